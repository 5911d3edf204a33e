"""Receiving a purchase invoice file into a dossier.

    incoming = receive_file(dossier, "facture.pdf", data, by=user, source="upload")
    incoming.outcome   # accepted, duplicate (DOUBLON), unreadable, unsupported, too_large, recognition
    incoming.message   # the engine's message, or why it is a duplicate
    incoming = receive_file_later(dossier, "facture.pdf", data, by=user)   # "pending" until the worker read it

A file is stored unchanged before anything reads it (``archive.held``), so a
file handed to the platform is never lost, whatever becomes of it. The engine
reads the file once (``detect``) and validates and reads that same parse.

What the engine recognises as a structured invoice (CII, UBL, Factur-X) is a
legal original from then on, moved into the ten-year archive whatever follows:
valid or not, unreadable in its amounts, or refused as a duplicate — what a
supplier sent is evidence, including a malformed or repeated invoice. What it
does not recognise (not an invoice file, an unsupported format such as
Order-X, a corrupt file) is not one: it stays held, shown on the upload page
with why, for ``FACTURIER_REJECTED_FILES_DAYS`` days, then the worker erases
it. A file too large is refused unread and unstored. An accepted
file becomes a purchase invoice in state "received" with its lifecycle events
202 Reçue and 203 Mise à disposition; the controls of seed annex 2 run
afterwards in the background and never hold the upload up.

A PDF without invoice data, a JPEG or a PNG is not refused: it is the
supplier's invoice all the same, so it is archived as a legal original too, and
goes to recognition (``unstructured_received``), which reads it into a draft a
person confirms; the confirmed fields come back through ``accept_recognised``.

A file whose reading never finished (its task lost or given up with a dead
worker) is queued again by ``requeue_stuck_files``, which the worker runs.
Whatever runs at once, a pending file gets one outcome: only a run that finds
it still pending records one.
"""

import datetime
import hashlib
import logging
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from einvoice.detect import detect
from einvoice.errors import EInvoiceError, TooLargeError, UnsupportedFormatError
from einvoice.lifecycle import LifecycleStatus
from einvoice.read import read_detected
from einvoice.recognition import is_image, recognisable
from einvoice.validate import validate
from facturier.archive import held
from facturier.archive.models import Kind
from facturier.archive.store import archive, clean_filename, open_content
from facturier.formats import file_size
from facturier.invoices.documents import row_fields
from facturier.invoices.lifecycle import Party, record_event
from facturier.invoices.models import Direction, IncomingFile, Invoice, InvoiceState
from facturier.invoices.parties import match_party
from facturier.invoices.signals import invoice_received, unstructured_received

logger = logging.getLogger(__name__)
SOURCES = ("upload", "platform", "email", "accredited")
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
Outcome = IncomingFile.Outcome


def max_file_bytes():
    """The largest file accepted (``INVOICE_MAX_FILE_BYTES``, 20 MB by default)."""
    return getattr(settings, "INVOICE_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)


def receive_file(dossier, filename, data, *, by=None, source="upload"):
    """Take ``data`` in as a purchase invoice of ``dossier`` and say what became of it."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    filename = stored_name(filename)
    if len(data) > max_file_bytes():
        return refuse_too_large(dossier, filename, len(data), by=by, source=source)
    return _analyse(_held(dossier, filename, data, by=by, source=source), data, by=by)


def receive_file_later(dossier, filename, data, *, by=None, source="upload"):
    """Archive ``data`` and leave reading it to the worker: the file stays "pending" until then.

    Reading and validating a large invoice takes seconds of CPU; done in a web
    request, it holds that process (and every request it serves) up. With the
    immediate task backend the file is read before this returns.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    filename = stored_name(filename)
    if len(data) > max_file_bytes():
        return refuse_too_large(dossier, filename, len(data), by=by, source=source)
    incoming = _held(dossier, filename, data, by=by, source=source)
    incoming.outcome = Outcome.PENDING
    incoming.analysis_queued_at, incoming.analysis_runs = timezone.now(), 1
    incoming.save()
    queue_analysis(incoming.pk)
    incoming.refresh_from_db()
    return incoming


MAX_ANALYSIS_RUNS = 3


def requeue_stuck_files():
    """Queue again the reading of files pending for longer than ``INVOICE_ANALYSIS_TIMEOUT``; how many.

    A file queued ``MAX_ANALYSIS_RUNS`` times without an outcome (one that
    kills its worker each time) is marked unreadable instead: the person sees
    it, and its original stays archived.
    """
    now = timezone.now()
    return sum(requeue_stuck(stuck, now) for stuck in stuck_files(now))


def stuck_files(now):
    """``(pk, analysis_queued_at, analysis_runs)`` of the files pending past the timeout."""
    cutoff = now - datetime.timedelta(seconds=settings.INVOICE_ANALYSIS_TIMEOUT)
    return list(IncomingFile.objects.filter(outcome=Outcome.PENDING).filter(
        Q(analysis_queued_at__lt=cutoff) | Q(analysis_queued_at__isnull=True, received_at__lt=cutoff),
    ).values_list("pk", "analysis_queued_at", "analysis_runs"))


def requeue_stuck(stuck, now):
    """Queue one stuck file again (True), unless another sweep took it since it was listed.

    The file is taken by a conditional update of the moment it was queued, so two
    workers sweeping at once queue it once.
    """
    pk, queued_at, runs = stuck
    same = IncomingFile.objects.filter(pk=pk, outcome=Outcome.PENDING)
    same = same.filter(analysis_queued_at=queued_at) if queued_at else same.filter(analysis_queued_at__isnull=True)
    if runs >= MAX_ANALYSIS_RUNS:
        if same.update(outcome=Outcome.UNREADABLE, message=_(
                "Fichier illisible : sa lecture n'a pas abouti après %(runs)d essais. "
                "Le fichier est conservé ; contactez l'assistance.") % {"runs": runs}):
            logger.warning("Received file %s given up after %s readings", pk, runs)
        return False
    if not same.update(analysis_queued_at=now, analysis_runs=F("analysis_runs") + 1):
        return False
    logger.warning("Received file %s still pending %s s after its reading was queued: queued again",
                   pk, settings.INVOICE_ANALYSIS_TIMEOUT)
    queue_analysis(pk)
    return True


def analyse_pending(incoming_id):
    """Read a pending file as ``receive_file`` would have; None once it is no longer pending."""
    incoming = (IncomingFile.objects.select_related("dossier", "archived", "held", "uploaded_by")
                .filter(pk=incoming_id, outcome=Outcome.PENDING).first())
    if incoming is None:
        return None
    if incoming.archived is not None:  # archived on receipt (before held files existed)
        return _analyse(incoming, open_content(incoming.archived), by=incoming.uploaded_by)
    return _analyse(incoming, held.held_content(incoming.held), by=incoming.uploaded_by)


def _held(dossier, filename, data, *, by, source):
    incoming = IncomingFile(dossier=dossier, filename=filename, size=len(data), source=source,
                            sha256=hashlib.sha256(data).hexdigest(), uploaded_by=by)
    incoming.held = held.hold(dossier, data, filename=filename)
    return incoming


def _kept_as_original(incoming, data):
    """Move a file recognised as an invoice from the held files into the legal archive, once.

    Two readings of one pending file (a reading queued again) archive it once: the
    second finds the first one's record on the locked row.
    """
    if incoming.archived_id is not None:
        return incoming
    with transaction.atomic():
        row = IncomingFile.objects.select_for_update().filter(pk=incoming.pk).first() if incoming.pk else None
        if row is not None and row.archived_id is not None:
            incoming.archived = row.archived
        else:
            incoming.archived = archive(incoming.dossier, data, kind=Kind.ORIGINAL_RECEIVED,
                                        filename=incoming.filename)
            if row is not None:
                IncomingFile.objects.filter(pk=row.pk).update(archived=incoming.archived, held=None)
        if incoming.held is not None:
            held.release(incoming.held)
            incoming.held = None
    return incoming


def adopt_original(sender, record, **kwargs):
    """File a received original whose intake never finished (the server stopped after archiving it).

    Connected to ``archive.orphans.adopt_record``: ``facturier archive orphans --fix`` calls it.
    """
    if record.kind != Kind.ORIGINAL_RECEIVED:
        return None
    incoming = IncomingFile(dossier=record.dossier, filename=record.filename, size=record.size,
                            sha256=record.sha256, archived=record, received_at=record.created_at)
    return _analyse(incoming, open_content(record), by=None)


def _analyse(incoming, data, *, by):
    try:
        detected = detect(data)
    except Exception as error:
        return _engine_refused(incoming, error, data)
    incoming = _kept_as_original(incoming, data)  # a structured invoice: evidence, whatever follows
    try:
        report = validate(detected, "fr")
        document = read_detected(detected)
    except Exception as error:
        return _engine_refused(incoming, error, data)
    return _accept(incoming, detected, report, document, by=by)


def _engine_refused(incoming, error, data):
    if isinstance(error, EInvoiceError):
        if recognisable(data) and (isinstance(error, UnsupportedFormatError) or is_image(data)):
            # An invoice without data (a PDF, a scan, a photo) is still the supplier's invoice: evidence.
            return _to_recognition(_kept_as_original(incoming, data))
        return _refuse(incoming, _outcome_of(error), str(error))  # the engine's text; pages explain it
    # A reader bug must not lose the file nor fail the upload.
    logger.error("Unexpected engine failure on %s (dossier %s)", incoming.filename, incoming.dossier_id,
                 exc_info=error)
    return _refuse(incoming, Outcome.UNREADABLE, _("Fichier illisible : le moteur n'a pas pu le lire."))


def _to_recognition(incoming):
    """Hand an unstructured file to recognition: its outcome says so until a person confirms it."""
    incoming = _refuse(incoming, Outcome.RECOGNITION, _(
        "Facture sans données structurées : lecture automatique en cours, puis vérification."))
    if incoming.outcome == Outcome.RECOGNITION:
        transaction.on_commit(lambda: unstructured_received.send(sender=IncomingFile, incoming=incoming))
    return incoming


def accept_recognised(incoming, xml, *, by):
    """File the invoice a person confirmed from an unstructured file, as any received invoice.

    ``xml`` is the archived CII written from the confirmed fields: it becomes the
    invoice's document, while the file received stays archived untouched as the
    incoming file's. Only a file still waiting for recognition is filed.
    """
    data = open_content(xml)
    detected = detect(data)
    return _accept(incoming, detected, validate(detected, "fr"), read_detected(detected), by=by,
                   original=xml, awaiting=Outcome.RECOGNITION)


def stored_name(filename):
    """The file's own name, made safe for the archive (a bare default when nothing usable is left)."""
    try:
        return clean_filename(filename or "")
    except ValueError:
        return "facture"


def refuse_too_large(dossier, filename, size, *, by=None, source="upload"):
    """A file over the limit, refused unread and unstored (its sender still holds it)."""
    limit = max_file_bytes()
    incoming = IncomingFile(dossier=dossier, filename=stored_name(filename), size=size, sha256="", uploaded_by=by,
                            source=source)
    return _refuse(incoming, Outcome.TOO_LARGE,
                   _("Fichier trop volumineux (%(size)s) : la limite est de %(limit)s par fichier.")
                   % {"size": file_size(size), "limit": file_size(limit)})


def _outcome_of(error):
    if isinstance(error, TooLargeError):
        return Outcome.TOO_LARGE
    if isinstance(error, UnsupportedFormatError):
        return Outcome.UNSUPPORTED
    return Outcome.UNREADABLE


def _refuse(incoming, outcome, message, awaiting=Outcome.PENDING):
    incoming.outcome = outcome
    incoming.message = message
    if incoming.pk is None:
        incoming.save()
    elif not IncomingFile.objects.filter(pk=incoming.pk, outcome=awaiting).update(
            outcome=outcome, message=message):
        incoming.refresh_from_db()  # another reading of this pending file recorded its outcome first
        return incoming
    if incoming.held is not None:  # not a legal original: kept a short time for its sender, then erased
        held.expire(incoming.held)
    return incoming


def _accept(incoming, detected, report, document, *, by, original=None, awaiting=Outcome.PENDING):
    dossier = incoming.dossier
    try:
        fields = clean_row(row_fields(document))
    except (ValueError, InvalidOperation) as error:
        return _refuse(incoming, Outcome.UNREADABLE, str(error), awaiting)
    duplicate = find_duplicate(dossier, fields)
    if duplicate is not None:
        return _refuse(incoming, Outcome.DUPLICATE, duplicate_message(duplicate), awaiting)
    pending = incoming.pk is not None  # a row saved before, rolled back to "pending" with the transaction
    try:
        with transaction.atomic():
            if pending and not IncomingFile.objects.select_for_update().filter(
                    pk=incoming.pk, outcome=awaiting).exists():
                incoming.refresh_from_db()  # another reading of this pending file recorded its outcome first
                return incoming
            invoice = Invoice.objects.create(
                dossier=dossier, direction=Direction.PURCHASE, state=InvoiceState.RECEIVED,
                syntax=str(detected.syntax), profile=str(detected.profile), original=original or incoming.archived,
                validation=report.as_dict(), is_valid=report.valid, created_by=by,
                third_party=match_supplier(dossier, fields, document.seller, payment_account(document)), **fields,
            )
            incoming.outcome, incoming.invoice = Outcome.ACCEPTED, invoice
            incoming.message = _("Facture valide.") if report.valid else _(
                "Facture reçue avec %(count)d erreur(s) de validation.") % {"count": len(report.errors)}
            incoming.save()
            for status in (LifecycleStatus.RECUE, LifecycleStatus.MISE_A_DISPOSITION):
                record_event(invoice, status, party=Party.PLATFORM, document=document)
            invoice_received.send(sender=Invoice, invoice=invoice)
            transaction.on_commit(lambda: queue_controls(invoice.pk))
    except IntegrityError:
        # Another upload of the same invoice committed between our check and our insert.
        duplicate = find_duplicate(dossier, fields)
        if duplicate is None:
            raise
        incoming.invoice = None
        if not pending:
            incoming.pk, incoming._state.adding = None, True
        return _refuse(incoming, Outcome.DUPLICATE, duplicate_message(duplicate), awaiting)
    return incoming


MAX_AMOUNT = Decimal("1e17")


def clean_row(fields):
    """The row terms fitted to their columns: text cut to length, amounts in cents within range."""
    cleaned = {}
    for name, value in fields.items():
        column = Invoice._meta.get_field(name)
        if isinstance(column, models.CharField):
            value = (value or "")[: column.max_length]
        elif isinstance(column, models.DecimalField):
            value = Decimal(value or 0).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if abs(value) >= MAX_AMOUNT:
                raise ValueError(_("montant hors limites (%(value)s)") % {"value": value})
        cleaned[name] = value
    return cleaned


def find_duplicate(dossier, fields, direction=Direction.PURCHASE):
    """The invoice of ``direction`` with the same seller (SIREN, else VAT), number and year, if any."""
    if not fields["number"]:
        return None
    same = Invoice.objects.filter(dossier=dossier, direction=direction, number=fields["number"],
                                  issue_year=fields["issue_date"].year if fields["issue_date"] else None)
    if fields["seller_siren"]:
        same = same.filter(seller_siren=fields["seller_siren"])
    elif fields["seller_vat"]:
        same = same.filter(seller_vat=fields["seller_vat"])
    else:
        same = same.filter(seller_siren="", seller_vat="", seller_name=fields["seller_name"])
    return same.order_by("pk").first()


def duplicate_message(existing):
    return _("DOUBLON : la facture n° %(number)s de %(seller)s (%(year)s) a déjà été reçue le %(date)s.") % {
        "number": existing.number, "seller": existing.seller_name or existing.seller_siren,
        "year": existing.issue_year, "date": timezone.localtime(existing.created_at).strftime("%d/%m/%Y"),
    }


def payment_account(document):
    """The IBAN and BIC the invoice asks to be paid to (BG-17), or empty strings."""
    transfers = document.payment_instructions.credit_transfers if document.payment_instructions else []
    usable = [t for t in transfers if t.account_id and not t.proprietary_id]
    if not usable:
        return "", ""
    return "".join(usable[0].account_id.split()).upper()[:34], (usable[0].service_provider_id or "")[:11]


def match_supplier(dossier, fields, seller=None, account=("", "")):
    """The dossier's supplier for the invoice's seller: found by SIREN, then VAT number, else created."""
    return match_party(dossier, seller, siren=fields["seller_siren"], vat=fields["seller_vat"],
                       name=fields["seller_name"], role="supplier", account=account)


def queue_analysis(incoming_id):
    from facturier.invoices.receiving.tasks import analyse_file

    analyse_file.enqueue(incoming_id)


def queue_controls(invoice_id):
    from facturier.invoices.receiving.tasks import run_controls

    run_controls.enqueue(invoice_id)

