from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditedConfig(AppConfig):
    name = "facturier.accredited"
    label = "accredited"
    verbose_name = _("Plateformes agréées")
    default_auto_field = "django.db.models.BigAutoField"
