from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "facturier.webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from facturier.webhooks import receivers  # noqa: F401  (connects the flows signal)
