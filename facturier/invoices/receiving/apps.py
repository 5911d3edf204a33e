from django.apps import AppConfig


class ReceivingConfig(AppConfig):
    name = "facturier.invoices.receiving"
    label = "receiving"

    def ready(self):
        from facturier.archive.orphans import adopt_record
        from facturier.invoices.receiving.intake import adopt_original

        adopt_record.connect(adopt_original, dispatch_uid="receiving.adopt_original")
