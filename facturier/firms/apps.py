from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirmsConfig(AppConfig):
    name = "facturier.firms"
    verbose_name = _("Cabinets")
