from django.urls import path

from facturier.accredited import views

app_name = "accredited"
urlpatterns = [
    path("cabinets/<int:firm_id>/plateformes/", views.connections, name="connections"),
    path("cabinets/<int:firm_id>/plateformes/<int:pk>/", views.edit_connection, name="edit"),
    path("cabinets/<int:firm_id>/plateformes/<int:pk>/tester/", views.test_connection, name="test"),
    path("cabinets/<int:firm_id>/plateformes/<int:pk>/supprimer/", views.delete_connection, name="delete"),
    path("dossiers/<int:dossier_id>/parametres/plateforme/", views.dossier_platform, name="dossier_platform"),
]
