from django.urls import path

from facturier.archive import views

app_name = "archive"
urlpatterns = [
    path("<int:dossier_id>/fichiers/", views.files, name="files"),
    path("<int:dossier_id>/fichiers/periode.zip", views.download_period, name="download_period"),
    path("<int:dossier_id>/fichiers/<int:sequence>/", views.download, name="download"),
    path("<int:dossier_id>/fichiers/point-de-controle.json", views.download_checkpoint, name="download_checkpoint"),
]
