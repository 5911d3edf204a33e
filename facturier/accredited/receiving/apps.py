from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditedReceivingConfig(AppConfig):
    name = "facturier.accredited.receiving"
    label = "accredited_receiving"
    verbose_name = _("Réception depuis les plateformes agréées")
    default_auto_field = "django.db.models.BigAutoField"
