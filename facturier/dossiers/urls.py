from django.urls import path

app_name = "dossiers"
urlpatterns = []

from facturier.dossiers import import_views  # noqa: E402  (client import, seed annex 1)

urlpatterns += [
    path("cabinet/<int:firm_id>/importer/", import_views.upload, name="import"),
    path("cabinet/<int:firm_id>/importer/<str:token>/colonnes/", import_views.mapping, name="import_mapping"),
    path("cabinet/<int:firm_id>/importer/<str:token>/apercu/", import_views.preview, name="import_preview"),
    path("cabinet/<int:firm_id>/importer/<str:token>/importer/", import_views.run, name="import_run"),
]
