from django.urls import path

from facturier.ledger import views

app_name = "ledger"
urlpatterns = [
    path("<int:dossier_id>/comptabilite/", views.pending, name="pending"),
    path("<int:dossier_id>/comptabilite/exporter/", views.export_pending, name="export"),
    path("<int:dossier_id>/comptabilite/annuler/", views.undo_export, name="undo"),
    path("<int:dossier_id>/comptabilite/fec/", views.export_fec, name="fec"),
    path("<int:dossier_id>/comptabilite/ecritures.csv", views.entries_csv, name="csv"),
    path("<int:dossier_id>/comptabilite/exports/<int:export_id>/", views.download, name="download"),
    path("<int:dossier_id>/comptabilite/parametres/", views.ledger_settings, name="settings"),
]
