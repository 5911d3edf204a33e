from django.apps import AppConfig


class IssuingConfig(AppConfig):
    name = "facturier.invoices.issuing"
    label = "issuing"
