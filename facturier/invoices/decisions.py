"""The decisions people take on invoices, as lifecycle statuses.

    decide(invoice, user, 205, confirmed=True)         # approve, after checking its anomalies
    decide(invoice, user, 210, reason_code="DOUBLE_FACT")
    allowed_decisions(invoice, user) -> [Choice(...)]  # what the invoice page offers this person

Buyer side (purchase invoices, people who handle purchases): 204 prise en
charge, 205 approuvée, 206 approuvée partiellement (amount and reason), 207 en
litige, 208 suspendue, 209 complétée, 210 refusée (reason from the closed
list), 211 paiement transmis. Seller side (sales invoices, people who issue
them): 212 encaissée with the amount received. ``TRANSITIONS`` says which
status may follow which; a refused invoice stays refused.

An invoice with an open blocking anomaly is approved only by a person who
says they checked it (``confirmed``): the anomalies are then resolved in
their name. Anyone else gets a clear refusal rather than a silent approval.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from einvoice.lifecycle import REASONS, REASONS_BY_STATUS, LifecycleStatus, reason_text
from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.dossiers import access
from facturier.formats import money, parse_decimal
from facturier.invoices import anomalies
from facturier.invoices.lifecycle import Party, record_event
from facturier.invoices.models import Direction, InvoiceState, Task

S = LifecycleStatus
RECEIVED = (None, S.DEPOSEE, S.EMISE, S.RECUE, S.MISE_A_DISPOSITION)
OPEN_DECISIONS = {S.PRISE_EN_CHARGE, S.APPROUVEE, S.APPROUVEE_PARTIELLEMENT, S.EN_LITIGE, S.SUSPENDUE, S.REFUSEE}
# The buyer's next statuses from the invoice's latest one.
TRANSITIONS = {
    **dict.fromkeys(RECEIVED, OPEN_DECISIONS),
    S.PRISE_EN_CHARGE: OPEN_DECISIONS - {S.PRISE_EN_CHARGE},
    S.EN_LITIGE: {S.APPROUVEE, S.APPROUVEE_PARTIELLEMENT, S.SUSPENDUE, S.REFUSEE},
    S.SUSPENDUE: {S.COMPLETEE, S.EN_LITIGE, S.REFUSEE},
    S.COMPLETEE: OPEN_DECISIONS,
    S.APPROUVEE: {S.PAIEMENT_TRANSMIS},
    S.APPROUVEE_PARTIELLEMENT: {S.PAIEMENT_TRANSMIS},
    S.REFUSEE: set(),
    S.PAIEMENT_TRANSMIS: set(),
}
# Statuses after which the seller may not record a payment received.
NOT_PAYABLE = {S.REFUSEE, S.ENCAISSEE, S.REJETEE, S.ANNULEE, S.IRRECEVABLE}
# Statuses that settle what a person had to decide.
DECIDED = {S.APPROUVEE, S.APPROUVEE_PARTIELLEMENT, S.EN_LITIGE, S.SUSPENDUE, S.REFUSEE, S.PAIEMENT_TRANSMIS}
APPROVALS = {S.APPROUVEE, S.APPROUVEE_PARTIELLEMENT}
# Statuses after which a late control only informs (receiving.controls): nothing is left to decide.
SETTLED = APPROVALS | {S.REFUSEE, S.PAIEMENT_TRANSMIS}
AMOUNT_REQUIRED = {S.APPROUVEE_PARTIELLEMENT, S.ENCAISSEE}
AMOUNT_OPTIONAL = {S.PAIEMENT_TRANSMIS}
# The decisions the invoice page and the lists put first, as the verb a person clicks; the others
# wait in a secondary panel.
PRIMARY_ACTIONS = {
    S.APPROUVEE: gettext_lazy("Approuver"),
    S.REFUSEE: gettext_lazy("Refuser"),
    S.ENCAISSEE: gettext_lazy("Enregistrer l'encaissement"),
}


class DecisionError(Exception):
    """A decision that cannot be taken, with the reason shown to the person."""


@dataclass(frozen=True)
class Choice:
    """One decision the invoice page offers."""

    status: int
    label: str
    reasons: tuple  # ((code, label), ...) when a reason from the closed list is required
    needs_amount: bool
    amount_optional: bool
    needs_confirmation: bool
    action: str = ""  # the verb of a primary decision ("Approuver"); empty for the secondary ones

    @property
    def is_primary(self):
        return bool(self.action)


def may_decide(invoice, user):
    """Whether ``user`` takes decisions on ``invoice``: the right for its side, in a dossier they can open."""
    if not user.is_authenticated or not access.openable_dossiers(user).filter(pk=invoice.dossier_id).exists():
        return False
    rights = access.dossier_rights(user, invoice.dossier)
    return rights.can_handle_purchases if invoice.direction == Direction.PURCHASE else rights.can_issue_sales


def next_statuses(invoice):
    """The statuses that may follow the invoice's latest one, on this side."""
    current = S(invoice.lifecycle_status) if invoice.lifecycle_status else None
    if invoice.direction == Direction.PURCHASE:
        return sorted(TRANSITIONS.get(current, set()))
    if invoice.state == InvoiceState.ISSUED and current not in NOT_PAYABLE:
        return [S.ENCAISSEE]
    return []


def has_blocking_anomaly(invoice):
    return invoice.anomalies.filter(blocking=True, resolved_at__isnull=True).exists()


def allowed_decisions(invoice, user):
    """The decisions ``user`` may take now on ``invoice`` (empty for anyone without the right)."""
    if not may_decide(invoice, user):
        return []
    blocked, language = has_blocking_anomaly(invoice), get_language()
    return [
        Choice(status=int(status), label=status.text(language),
               reasons=reason_choices(status, language),
               needs_amount=status in AMOUNT_REQUIRED, amount_optional=status in AMOUNT_OPTIONAL,
               needs_confirmation=blocked and status in APPROVALS, action=PRIMARY_ACTIONS.get(status, ""))
        for status in next_statuses(invoice)
    ]


def reason_choices(status, language):
    """``((code, description), ...)`` of the reasons ``status`` accepts, in alphabetical order of what people read."""
    described = ((code, reason_text(code, language)) for code in REASONS_BY_STATUS.get(status, ()))
    return tuple(sorted(described, key=lambda choice: choice[1].casefold()))


def refusal_reasons():
    """The closed list of reasons a refusal (210) picks from, for the lists' bulk refusal."""
    return reason_choices(S.REFUSEE, get_language())


def decide(invoice, user, status, *, reason_code=None, reason="", amount=None, confirmed=False):
    """Record ``user``'s decision on ``invoice``; raises PermissionDenied or DecisionError."""
    if not may_decide(invoice, user):
        raise PermissionDenied
    return record_decision(invoice, status, actor=user, reason_code=reason_code, reason=reason, amount=amount,
                           confirmed=confirmed)


def record_decision(invoice, status, *, actor=None, reason_code=None, reason="", amount=None, confirmed=False,
                    audit_detail=None):
    """Record a decision whose author was already allowed to take it; raises DecisionError.

    The rules on the decision itself (which status may follow, its reason and
    amount, the check of open anomalies) are the same whoever takes it: a person
    on the invoice page, or the dossier's software through the API (``actor``
    None, its name in ``audit_detail``).
    """
    try:
        status = S(int(status))
    except (TypeError, ValueError):
        raise DecisionError(_("Statut inconnu.")) from None
    given = invoice
    with transaction.atomic():
        invoice = type(invoice).objects.select_for_update().get(pk=invoice.pk)
        if status not in next_statuses(invoice):
            raise DecisionError(_("Le statut « %(status)s » n'est pas possible pour cette facture maintenant.")
                                % {"status": status.text(get_language())})
        reason_code = checked_reason(status, reason_code, reason)
        amount = checked_amount(status, amount, invoice)
        if status in APPROVALS and has_blocking_anomaly(invoice):
            if not confirmed:
                raise DecisionError(_(
                    "Cette facture a une anomalie ouverte : cochez « J'ai vérifié la facture et ses anomalies » "
                    "pour l'approuver, ou choisissez une autre décision."))
            blocking = invoice.anomalies.filter(blocking=True, resolved_at__isnull=True)
            for kind in blocking.values_list("kind", flat=True):
                anomalies.resolve(invoice, kind, by=actor)
        party = Party.BUYER if invoice.direction == Direction.PURCHASE else Party.SELLER
        event = record_event(invoice, status, party=party, actor=actor, reason_code=reason_code, reason=reason,
                             amount=amount)
        apply(invoice, event)
        audit(actor, AuditAction.INVOICE_DECISION_RECORDED, dossier=invoice.dossier,
              target=invoice.number or invoice.pk, status=int(status), reason_code=reason_code,
              amount=str(amount) if amount is not None else None, **(audit_detail or {}))
    given.refresh_from_db()
    return event


def apply(invoice, event):
    """What a recorded decision changes on the invoice row and its tasks."""
    status, changed = S(event.status), []
    if status in APPROVALS:
        invoice.approved_at, changed = event.at, [*changed, "approved_at"]
    if status in (S.PAIEMENT_TRANSMIS, S.ENCAISSEE):
        invoice.amount_paid = event.amount if event.amount is not None else invoice.amount_due
        changed.append("amount_paid")
    if changed:
        invoice.save(update_fields=changed)
    if status in DECIDED:
        Task.objects.filter(invoice=invoice, done_at__isnull=True).update(done_at=timezone.now())
    anomalies.refresh_needs_decision(invoice)


def checked_reason(status, reason_code, reason):
    """The reason code the status carries: from its closed list when the status requires one."""
    allowed = REASONS_BY_STATUS.get(status)
    if not status.requires_reason:
        return reason_code if reason_code in (allowed or REASONS) else ""
    if not reason_code and "AUTRE" in (allowed or ()) and reason.strip():
        reason_code = "AUTRE"
    if reason_code not in (allowed or REASONS):
        raise DecisionError(_("Choisissez un motif dans la liste pour le statut « %(status)s ».")
                            % {"status": status.text(get_language())})
    return reason_code


def checked_amount(status, amount, invoice):
    if status not in AMOUNT_REQUIRED | AMOUNT_OPTIONAL:
        return None
    if amount in (None, ""):
        if status in AMOUNT_OPTIONAL:
            return invoice.amount_due
        raise DecisionError(_("Indiquez le montant."))
    try:
        amount = parse_decimal(amount).quantize(Decimal("0.01"))
    except (ValueError, InvalidOperation):
        raise DecisionError(_("Montant invalide.")) from None
    if amount <= 0 or amount > abs(invoice.total_incl_vat or amount):
        raise DecisionError(_("Le montant doit être positif et au plus égal au total de la facture (%(total)s).")
                            % {"total": money(invoice.total_incl_vat, invoice.currency)})
    return amount


def auto_approve(invoice):
    """Approve a clean invoice as the platform, when its dossier asks for it; the event or None."""
    if not invoice.dossier.auto_approve or not invoice.is_valid or invoice.direction != Direction.PURCHASE:
        return None
    with transaction.atomic():
        invoice = type(invoice).objects.select_for_update().get(pk=invoice.pk)
        current = S(invoice.lifecycle_status) if invoice.lifecycle_status else None
        if current not in RECEIVED or invoice.anomalies.filter(resolved_at__isnull=True).exists():
            return None
        event = record_event(invoice, S.APPROUVEE, party=Party.BUYER, actor=None,
                             reason=_("Approbation automatique (facture sans anomalie)"))
        apply(invoice, event)
    return event


@dataclass
class BulkOutcome:
    """What a decision taken on several invoices did to each: decided, left for a confirmation, refused."""

    decided: list
    need_confirmation: list
    refused: list


# The decisions the lists take on the invoices ticked: approve or refuse purchases, mark sales paid.
BULK_STATUSES = {S.APPROUVEE, S.REFUSEE, S.ENCAISSEE}


def decide_many(invoices, user, status, *, reason_code=None):
    """Take one decision on each of ``invoices``, each in its own transaction, by ``decide``'s rules.

    Approve or refuse purchase invoices; record sales invoices as paid (212) for the whole amount
    due of each (a partial payment is entered on the invoice's own page). Each invoice is checked
    as on its page: who may decide for its side, which status may follow its latest one. An invoice
    with an open blocking anomaly is never approved here: it needs a person's confirmation on its
    own page. An invoice someone decided meanwhile (a second tab, a double click) is refused by
    ``decide`` and reported, so each decision is recorded once.
    """
    try:
        status = S(int(status))
    except (TypeError, ValueError):
        raise DecisionError(_("Statut inconnu.")) from None
    if status not in BULK_STATUSES:
        raise DecisionError(_("Seuls l'approbation, le refus et l'encaissement se décident sur plusieurs factures."))
    checked_reason(status, reason_code, "")  # one reason for all, asked before any is decided
    outcome = BulkOutcome(decided=[], need_confirmation=[], refused=[])
    for invoice in invoices:
        if status == S.APPROUVEE and has_blocking_anomaly(invoice):
            outcome.need_confirmation.append(invoice)
            continue
        amount = invoice.amount_due if status == S.ENCAISSEE else None
        try:
            decide(invoice, user, status, reason_code=reason_code, amount=amount)
        except DecisionError:
            outcome.refused.append(invoice)
        else:
            outcome.decided.append(invoice)
    return outcome
