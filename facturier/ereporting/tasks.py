"""Background work of e-reporting."""

from django_tasks import task

from facturier.ereporting.gathering import facts_of
from facturier.invoices.models import Invoice


@task()
def remember_facts(invoice_id):
    """Read once what 10.1 needs of an invoice with a foreign company, so building its report reads no document."""
    invoice = Invoice.objects.select_related("third_party").filter(pk=invoice_id).first()
    if invoice is not None and invoice.original_id is not None:
        facts_of(invoice)
