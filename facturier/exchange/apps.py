from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "facturier.exchange"
    verbose_name = "Exchange"

    def ready(self):
        from facturier.exchange import receivers  # noqa: F401  (connects the invoices signals)
