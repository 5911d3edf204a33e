import re

from django.urls import path, re_path

from facturier.apiclients.paths import api_route
from facturier.openapi import views
from facturier.openapi.documents import SERVICES

app_name = "openapi"
urlpatterns = [
    path(api_route(f"{prefix}/openapi.json"), views.document, {"service": service}, name=service)
    for service, prefix in SERVICES.items()
] + [
    # Last of the API's routes (facturier/urls.py includes this module after the services).
    re_path("^" + re.escape(api_route(f"{prefix}/")) + r"(?P<path>[\s\S]*)\Z", views.unknown_operation)
    for prefix in SERVICES.values()
]
