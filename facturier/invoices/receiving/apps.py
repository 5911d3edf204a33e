from django.apps import AppConfig


class ReceivingConfig(AppConfig):
    name = "facturier.invoices.receiving"
    label = "receiving"
