from django.apps import AppConfig


class OpenAPIConfig(AppConfig):
    name = "facturier.openapi"
    verbose_name = "OpenAPI"
