from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiClientsConfig(AppConfig):
    name = "facturier.apiclients"
    verbose_name = _("Clients de l'API")
