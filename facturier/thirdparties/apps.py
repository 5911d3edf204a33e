from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThirdPartiesConfig(AppConfig):
    name = "facturier.thirdparties"
    label = "thirdparties"
    verbose_name = _("Clients et fournisseurs")
