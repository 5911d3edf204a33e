from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "facturier.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from facturier.notifications import receivers  # noqa: F401  (connects the invoices signals)
