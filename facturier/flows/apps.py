from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlowsConfig(AppConfig):
    name = "facturier.flows"
    verbose_name = _("Flux (API XP Z12-013)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from facturier.flows import receivers  # noqa: F401  (connects the In flows to the invoices' signals)
