"""Emptying the platform's tables at the end of a transactional test.

Such a test ends with a flush, and the archive's write-once triggers refuse to
delete archive records that rows still point at. The rows that reference them go
first, in an order their foreign keys accept, then the archive itself.
"""


def empty_platform_tables():
    from facturier.accredited.receiving.models import ReceivedFlow
    from facturier.archive.testing import empty_archive
    from facturier.exchange.models import Delivery
    from facturier.flows.models import Flow
    from facturier.invoices.models import IncomingFile, Invoice, LifecycleEvent
    from facturier.ledger.models import Entry, Export
    from facturier.mailbox.models import MailMessage

    for model_class in (ReceivedFlow, MailMessage, Flow, Delivery, Export, Entry, LifecycleEvent, IncomingFile):
        model_class.objects.all().delete()
    Invoice.objects.update(preceding_invoice=None, original=None)
    Invoice.objects.all().delete()
    empty_archive()
