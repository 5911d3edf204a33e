"""Background work of received invoices, through the Django tasks API.

- ``analyse_file(incoming_id)``: an uploaded file, archived and left "pending"
  by the upload, read, validated and filed (out of the web request: a large
  invoice takes seconds of CPU).
- ``run_controls(invoice_id)``: the controls of seed annex 2 after receipt, then
  the dossier's automatic approval of a clean invoice.
- ``retry_registry_check(invoice_id)``: a registry check that could not run,
  tried again; while the registry stays down it schedules itself again (on
  backends that can defer a task) with a growing delay.
- ``retry_pending_checks()``: every pending check at once; the
  ``facturier retry_checks`` command runs it (from cron, or by hand after an
  outage), so pending checks are picked up whatever the backend.
"""

import datetime

from django.utils import timezone
from django_tasks import task, task_backends

from facturier.invoices import decisions
from facturier.invoices.models import Invoice
from facturier.invoices.receiving import controls, intake

RETRY_DELAYS = (60, 300, 1800, 3600)  # seconds; the last one repeats


@task()
def analyse_file(incoming_id):
    incoming = intake.analyse_pending(incoming_id)
    return incoming.outcome if incoming is not None else None


@task()
def run_controls(invoice_id):
    invoice = Invoice.objects.select_related("dossier").filter(pk=invoice_id).first()
    if invoice is None:
        return None
    opened = controls.run_controls(invoice)
    if invoice.anomalies.filter(kind=controls.Kind.REGISTRY_PENDING, resolved_at__isnull=True).exists():
        schedule_retry(invoice_id, attempt=0)
    else:
        decisions.auto_approve(invoice)
    return [anomaly.kind for anomaly in opened]


@task()
def retry_registry_check(invoice_id, attempt=0):
    invoice = Invoice.objects.select_related("dossier").filter(pk=invoice_id).first()
    if invoice is None:
        return True
    answered = check_again(invoice)
    if not answered:
        schedule_retry(invoice_id, attempt=attempt + 1)
    return answered


@task()
def retry_pending_checks():
    """Try every pending registry check again; how many the registry answered."""
    return sum(check_again(invoice) for invoice in controls.pending_invoices().select_related("dossier"))


def check_again(invoice):
    answered = controls.retry_pending(invoice)
    if answered:
        decisions.auto_approve(invoice)
    return answered


def schedule_retry(invoice_id, *, attempt):
    """Queue another try later, where the backend can defer; otherwise the command picks it up."""
    if not task_backends[retry_registry_check.backend].supports_defer:
        return None
    delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    return retry_registry_check.using(run_after=run_after).enqueue(invoice_id, attempt=attempt)
