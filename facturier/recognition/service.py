"""Recognition as the platform runs it: started by the intake, read by the worker, confirmed by a person.

    start(incoming)            # the intake handed over a PDF without invoice data, or an image
    read(recognition_id)       # the worker reads it: fields, confidence, boxes, SIRENE, layout memory
    confirm(recognition, values, by=user)   # one request wins; the invoice is filed like any other

Confirming writes the fields as a CII invoice, archived next to the untouched
original, and files it through the intake (controls, decisions, ledger follow
as for every received invoice). What the person corrected is remembered where
it is printed, per supplier, so the next invoice of that supplier is read right.
"""

import datetime
import logging
import time
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from einvoice.errors import EInvoiceError
from einvoice.recognition import learn, read_document, recognise
from einvoice.recognition.document import count_pages
from einvoice.recognition.fields import Field, plain
from einvoice.write.cii import to_cii
from facturier.archive.models import Kind
from facturier.archive.store import archive, open_content
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.invoices.models import IncomingFile
from facturier.invoices.receiving.intake import accept_recognised
from facturier.recognition import pages as stored_pages
from facturier.recognition.forms import LINE_COLUMNS, comparable
from facturier.recognition.models import Recognition, SupplierLayout
from facturier.recognition.structured import build_invoice
from facturier.registry.exceptions import RegistryError
from facturier.registry.service import lookup_company

logger = logging.getLogger(__name__)
State = Recognition.State
EDITABLE = ("seller_name", "seller_siren", "seller_vat", "number", "issue_date", "due_date", "currency", "iban",
            "total_excl_vat", "total_vat", "total_incl_vat")


def start(sender=None, incoming=None, **kwargs):
    """Queue the reading of a file the intake handed over (receiver of ``unstructured_received``)."""
    try:
        total = count_pages(open_content(incoming.archived))
    except EInvoiceError:
        total = 0
    recognition, created = Recognition.objects.get_or_create(
        incoming=incoming, defaults={"dossier_id": incoming.dossier_id, "pages_total": total})
    if created:
        from facturier.recognition.tasks import recognise_file

        transaction.on_commit(lambda: recognise_file.enqueue(recognition.pk))
    return recognition


MAX_RUNS = 3


def requeue_stuck_recognitions():
    """Queue again the readings still unfinished ``INVOICE_ANALYSIS_TIMEOUT`` after they were queued; how many.

    A task lost with its queue, or given up, would leave the file "being read"
    for ever. One read ``MAX_RUNS`` times without an end is marked unreadable
    (its original stays archived). A conditional update takes each one, so two
    sweeping workers queue it once.
    """
    from facturier.recognition.tasks import recognise_file

    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.INVOICE_ANALYSIS_TIMEOUT)
    stuck = Recognition.objects.filter(state__in=[State.QUEUED, State.READING], queued_at__lt=cutoff)
    queued = 0
    for pk, queued_at, runs in stuck.values_list("pk", "queued_at", "runs"):
        same = Recognition.objects.filter(pk=pk, queued_at=queued_at, state__in=[State.QUEUED, State.READING])
        if runs >= MAX_RUNS:
            if same.update(state=State.READING):
                failed(Recognition.objects.get(pk=pk), _("sa lecture n'a pas abouti après %(runs)d essais") % {
                    "runs": runs})
        elif same.update(state=State.QUEUED, queued_at=now, runs=F("runs") + 1):
            recognise_file.enqueue(pk)
            queued += 1
    return queued


def read(recognition_id):
    """Read a queued file (or one whose worker died mid-reading); None when another run already read it."""
    if not Recognition.objects.filter(pk=recognition_id, state__in=[State.QUEUED, State.READING]).update(
            state=State.READING, pages_done=0):
        return None
    recognition = Recognition.objects.select_related("dossier", "incoming__archived").get(pk=recognition_id)
    began = time.monotonic()

    def progress(done, total):
        Recognition.objects.filter(pk=recognition_id).update(pages_done=done, pages_total=total)

    try:
        pages = read_document(open_content(recognition.incoming.archived), progress)
    except EInvoiceError as error:
        return failed(recognition, str(error))
    dossier = recognition.dossier
    result = recognise(pages, buyer_ids={i for i in (dossier.siren, dossier.vat_number) if i},
                       buyer_names=[dossier.name], memory_for=lambda fields: remembered(dossier, fields))
    registry = confirm_with_registry(result)
    Recognition.objects.filter(pk=recognition_id, state=State.READING).update(
        state=State.REVIEW, result=result.as_dict(), pages=stored_pages.dump(pages), registry=registry,
        seconds=round(time.monotonic() - began, 3))
    recognition.refresh_from_db()
    return recognition


def failed(recognition, reason):
    logger.warning("Recognition %s failed: %s", recognition.pk, reason)
    message = _("Fichier illisible : ni texte ni image exploitable (%(reason)s).") % {"reason": reason}
    Recognition.objects.filter(pk=recognition.pk, state=State.READING).update(state=State.FAILED, message=message)
    IncomingFile.objects.filter(pk=recognition.incoming_id, outcome=IncomingFile.Outcome.RECOGNITION).update(
        outcome=IncomingFile.Outcome.UNREADABLE, message=message)
    recognition.refresh_from_db()
    return recognition


def seller_key(siren="", vat="", name=""):
    """How a supplier's layout is found again: its SIREN, else its VAT number, else its name."""
    return siren or vat or (f"name:{plain(name).strip()}" if name else "")


def remembered(dossier, fields):
    values = {name: fields[name].value for name in ("seller_siren", "seller_vat", "seller_name") if name in fields}
    key = seller_key(values.get("seller_siren", ""), values.get("seller_vat", ""), values.get("seller_name", ""))
    layout = SupplierLayout.objects.filter(dossier=dossier, seller_key=key).first() if key else None
    return layout.boxes if layout else {}


def confirm_with_registry(result):
    """SIRENE's word on the seller: its name completes or confirms the one read; {} when it cannot say."""
    siren = result.value("seller_siren")
    if not siren:
        return {}
    try:
        company = lookup_company(siren)
    except RegistryError as error:
        logger.info("No registry answer for %s: %s", siren, error)
        return {}
    if company is None:
        return {"found": False}
    read_name = result.fields.get("seller_name")
    if read_name and plain(read_name.value) == plain(company.name):
        read_name.confidence = max(read_name.confidence, 0.99)
    else:
        result.fields["seller_name"] = Field(company.name, 0.95, read_name.box if read_name else None, "registry")
    if company.vat_number and "seller_vat" not in result.fields:
        result.fields["seller_vat"] = Field(company.vat_number, 0.95, None, "registry")
    return {"found": True, "name": company.name, "city": company.city, "closed": company.is_closed}


def draft_values(recognition):
    """The fields as read, the way the review form shows them."""
    fields = recognition.result.get("fields", {})
    return {name: (fields.get(name) or {}).get("value") or "" for name in EDITABLE}


def confirm(recognition, values, *, by):
    """File the reviewed invoice; the recognition as it now stands, or None when another request confirmed it."""
    with transaction.atomic():
        if not Recognition.objects.filter(pk=recognition.pk, state=State.REVIEW).update(state=State.CONFIRMING):
            return None
        recognition.refresh_from_db()
        incoming = recognition.incoming
        result = {**recognition.result, **{name: values[name] for name in ("vat", "lines") if name in values}}
        document = build_invoice(recognition.dossier, values, result, incoming.filename)
        xml = archive(recognition.dossier, to_cii(document), kind=Kind.GENERATED,
                      filename=f"{incoming.filename.rsplit('.', 1)[0]}-reconnue.xml")
        incoming = accept_recognised(incoming, xml, by=by)
        corrections = corrected(recognition, values)
        if incoming.outcome != IncomingFile.Outcome.ACCEPTED:
            recognition.state, recognition.message = State.DUPLICATE, incoming.message
        else:
            recognition.state, recognition.invoice = State.CONFIRMED, incoming.invoice
            remember(recognition, values, corrections)
        recognition.corrections, recognition.confirmed_by, recognition.confirmed_at = corrections, by, timezone.now()
        recognition.save()
        audit(by, AuditAction.RECOGNISED_INVOICE_CONFIRMED, dossier=recognition.dossier, target=values["number"],
              file=incoming.filename, incoming=incoming.pk, invoice=recognition.invoice_id,
              state=recognition.state, corrected=sorted(corrections))
    return recognition


def dismiss(recognition, *, by):
    """Set aside a file a person says is no invoice; None when another request decided first."""
    with transaction.atomic():
        if not Recognition.objects.filter(pk=recognition.pk, state=State.REVIEW).update(
                state=State.DISMISSED, confirmed_by=by, confirmed_at=timezone.now()):
            return None
        IncomingFile.objects.filter(pk=recognition.incoming_id, outcome=IncomingFile.Outcome.RECOGNITION).update(
            outcome=IncomingFile.Outcome.UNSUPPORTED, message=_("Écarté à la vérification : ce n'est pas une facture."))
        recognition.refresh_from_db()
        audit(by, AuditAction.RECOGNISED_FILE_DISMISSED, dossier=recognition.dossier,
              target=recognition.incoming.filename, incoming=recognition.incoming_id)
    return recognition


def corrected(recognition, values):
    """{field: {"read": ..., "confirmed": ...}} for each field the person changed; "vat" and "lines" for the tables."""
    read = draft_values(recognition)
    corrections = {name: {"read": read[name], "confirmed": text(values.get(name))}
                   for name in EDITABLE if text(values.get(name)) != text(read[name])}
    read_vat = vat_rows(recognition.result.get("vat", []))
    if "vat" in values and vat_rows(values["vat"]) != read_vat:
        corrections["vat"] = {"read": recognition.result.get("vat", []), "confirmed": values["vat"]}
    if "lines" in values and comparable(values["lines"], LINE_COLUMNS) != comparable(
            recognition.result.get("lines", []), LINE_COLUMNS):
        corrections["lines"] = {"read": recognition.result.get("lines", []), "confirmed": values["lines"]}
    return corrections


def vat_rows(rows):
    """A VAT breakdown as comparable numbers: (rate, base or None, amount) by rate."""
    def number(value):
        return Decimal(value) if value not in (None, "") else None

    return sorted((number(row.get("rate")), number(row.get("base")), number(row.get("amount"))) for row in rows)


def text(value):
    from einvoice.recognition.recognise import to_text

    return "" if value in (None, "") else str(to_text(value))


def remember(recognition, values, corrections):
    """Keep where each corrected value is printed, for this supplier's next invoices."""
    boxes = {}
    pages = stored_pages.load(recognition.pages)
    for name in corrections.keys() & set(EDITABLE):  # tables (VAT, lines) have no single place on the page
        box = learn(pages, name, values.get(name))
        if box is not None:
            boxes[name] = box
    key = seller_key(values.get("seller_siren") or "", values.get("seller_vat") or "", values.get("seller_name") or "")
    if not boxes or not key:
        return
    layout, _created = SupplierLayout.objects.select_for_update().get_or_create(
        dossier=recognition.dossier, seller_key=key)
    layout.boxes = {**layout.boxes, **boxes}
    layout.updated_at = timezone.now()
    layout.save()
