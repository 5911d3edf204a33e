from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "facturier.ledger"
    verbose_name = _("Comptabilité")

    def ready(self):
        from facturier.ledger import receivers  # noqa: F401  (connects the booking receivers)
