"""The upload page of a dossier's purchase invoices (namespace "receiving")."""

from django.urls import path

from facturier.invoices.receiving import views

app_name = "receiving"
urlpatterns = [
    path("<int:dossier_id>/achats/recevoir/", views.upload, name="upload"),
    path("<int:dossier_id>/achats/recevoir/<int:file_id>/", views.held_file, name="held_file"),
]
