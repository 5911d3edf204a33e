from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EreportingConfig(AppConfig):
    name = "facturier.ereporting"
    verbose_name = _("E-reporting")

    def ready(self):
        from facturier.ereporting import receivers  # noqa: F401  (connects the invoices signals)
