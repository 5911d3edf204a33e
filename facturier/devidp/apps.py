from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevIdpConfig(AppConfig):
    name = "facturier.devidp"
    verbose_name = _("Fournisseur d'identité de développement")
