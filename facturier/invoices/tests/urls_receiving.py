"""The project's urls, with the invoices app mounted under dossiers/ until the project's urls include it."""

from django.urls import include, path

from facturier.urls import urlpatterns as project_urlpatterns

mounted = any(getattr(pattern, "namespace", None) == "invoices" for pattern in project_urlpatterns)
urlpatterns = project_urlpatterns if mounted else [
    *project_urlpatterns, path("dossiers/", include("facturier.invoices.urls")),
]
