from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicesConfig(AppConfig):
    name = "facturier.invoices"
    verbose_name = _("Factures")

    def ready(self):
        from facturier.archive.orphans import adopt_record
        from facturier.invoices.ingestion import adopt_original

        adopt_record.connect(adopt_original, dispatch_uid="invoices.adopt_original")
