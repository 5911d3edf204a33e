from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "facturier.dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from facturier.dossiers import receivers  # noqa: F401  (connects the firms signals)
