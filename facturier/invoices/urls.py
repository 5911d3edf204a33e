"""The invoices pages, mounted under ``dossiers/`` by the project's urls (namespace "invoices")."""

from django.urls import include, path

app_name = "invoices"
urlpatterns = [
    path("", include("facturier.invoices.urls_receiving")),
]
