from django.urls import path

from facturier.apiclients.paths import api_route
from facturier.openapi import views
from facturier.openapi.documents import SERVICES

app_name = "openapi"
urlpatterns = [
    path(api_route(f"{prefix}/openapi.json"), views.document, {"service": service}, name=service)
    for service, prefix in SERVICES.items()
]
