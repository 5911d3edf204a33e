"""The customers and suppliers of a dossier (namespace "thirdparties")."""

from django.urls import path

from facturier.thirdparties import views

app_name = "thirdparties"
urlpatterns = [
    path("<int:dossier_id>/clients/", views.customers, name="customers"),
    path("<int:dossier_id>/fournisseurs/", views.suppliers, name="suppliers"),
    path("<int:dossier_id>/tiers/<int:pk>/", views.detail, name="detail"),
    path("<int:dossier_id>/tiers/<int:pk>/confirmer-creation/", views.confirm, name="confirm_creation"),
]
