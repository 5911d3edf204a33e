from django.urls import path

from facturier.dossiers import import_views, views

app_name = "dossiers"
urlpatterns = [
    path("changer/", views.switch, name="switch"),
    path("cabinet/<int:firm_id>/nouveau/", views.new, name="new"),
    path("cabinet/<int:firm_id>/tout-activer/", views.activate_all, name="activate_all"),
    path("cabinet/<int:firm_id>/<int:pk>/", views.detail, name="detail"),
    path("cabinet/<int:firm_id>/<int:pk>/affectations/", views.toggle_assignment, name="toggle_assignment"),
    path("cabinet/<int:firm_id>/<int:pk>/activer/", views.activate, name="activate"),
    path("cabinet/<int:firm_id>/<int:pk>/supprimer/", views.delete, name="delete"),
    # Client import (seed annex 1).
    path("cabinet/<int:firm_id>/importer/", import_views.upload, name="import"),
    path("cabinet/<int:firm_id>/importer/<str:token>/colonnes/", import_views.mapping, name="import_mapping"),
    path("cabinet/<int:firm_id>/importer/<str:token>/apercu/", import_views.preview, name="import_preview"),
    path("cabinet/<int:firm_id>/importer/<str:token>/importer/", import_views.run, name="import_run"),
]
