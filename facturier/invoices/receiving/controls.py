"""The controls of a received invoice (seed annex 2), each problem an anomaly and a task.

    run_controls(invoice)        # after receipt, in the background (tasks.run_controls)
    retry_pending(invoice)       # a registry check that could not run, tried again

What is checked, and what it raises (blocking unless said otherwise):

- incomplete invoice: the engine's validation errors (XSD, EN 16931, BR-FR:
  the mandatory French mentions) are listed;
- invoice not for this dossier: the buyer's SIREN (or French VAT number) is
  another company's;
- unidentified supplier: neither a usable SIREN nor a VAT number;
- SIRENE, for a French supplier: absent (a task and an e-mail alert for the
  assigned staff), closed (with its closing date), or being created, which
  needs a person to confirm it from the document. "Being created" is decided so: SIRENE knows the
  company and it was created less than ``RECENT_CREATION_DAYS`` days before the
  invoice; or SIRENE does not know it, its SIREN passes the Luhn check (a real
  number, not a typo) and the invoice itself says the company is being
  registered ("en cours d'immatriculation", "en formation", "en création").
  A SIREN SIRENE does not know and that nothing explains is "absent". Once a person confirmed the
  supplier (on its page, not by approving one invoice), neither is raised for it again;
- collective proceedings published in the BODACC (liquidation judiciaire,
  redressement, sauvegarde), the judgment and its date in the detail.

Each blocking anomaly comes with a task: for the dossier's assigned staff
(``for_firm``) and, except for the SIRENE alert, for the client's users who
handle purchases (``for_client``).

A registry that does not answer leaves a non-blocking "pending" anomaly; the
check is tried again later and the anomaly resolved when the registry answers.

A control that finishes after the invoice was settled (approved, refused, paid
or exported to accounting: a pending check answered late) never reopens it: its
findings are recorded for information, non-blocking and without a task, saying
they came after the decision; the SIRENE alert still reaches the staff.
Answers are cached by the registry service, so many invoices from one supplier
ask once.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_noop

from facturier import identifiers
from facturier.invoices.anomalies import described, raise_anomaly, refresh_needs_decision, resolve
from facturier.invoices.models import Anomaly, Invoice, InvoiceState
from facturier.registry import service
from facturier.registry.exceptions import InvalidSiren, RegistryUnavailable

Kind = Anomaly.Kind
RECENT_CREATION_DAYS = 90
BEING_CREATED_WORDS = re.compile(r"en cours d.immatriculation|en cours de cr[ée]ation|en formation|en cr[ée]ation",
                                 re.IGNORECASE)


def run_controls(invoice):
    """Check ``invoice`` and record what is wrong; returns the anomalies opened now."""
    opened = [record_finding(invoice, *finding) for finding in document_findings(invoice)]
    opened += registry_controls(invoice)
    refresh_needs_decision(invoice)
    return [anomaly for anomaly in opened if anomaly is not None]


def record_finding(invoice, kind, detail, data):
    """Open the anomaly of a finding: blocking, unless the invoice is already settled (then for information)."""
    invoice.refresh_from_db(fields=["lifecycle_status", "approved_at", "integrated_at"])
    settled = settled_on(invoice)
    if settled is None:
        return raise_anomaly(invoice, kind, detail, data)
    date = timezone.localtime(settled).strftime("%d/%m/%Y")
    if isinstance(detail, dict):  # wording and values: the pages translate it, the record keeps it in French
        data, detail = {**data, "detail": detail}, detail["text"] % detail.get("params", {})
    note = gettext_noop("Constaté après la décision du %(date)s, qui reste inchangée : ") % {"date": date}
    return raise_anomaly(invoice, kind, note + detail, {**data, "after_decision": date}, blocking=False)


def settled_on(invoice):
    """When the invoice was settled (approved, refused, paid, exported), or None while it is open."""
    from facturier.invoices.decisions import SETTLED

    if invoice.integrated_at or invoice.approved_at:
        return invoice.approved_at or invoice.integrated_at
    if invoice.lifecycle_status in SETTLED:
        event = invoice.events.filter(status=invoice.lifecycle_status).order_by("-at").first()
        return event.at if event else timezone.now()
    return None


def document_findings(invoice):
    """What the invoice itself shows: (kind, detail, data) of every problem."""
    findings = []
    errors = (invoice.validation or {}).get("errors") or []
    if not invoice.is_valid:  # the findings themselves are shown from ``data["errors"]``, grouped, on the invoice page
        findings.append((Kind.INCOMPLETE, described(gettext_noop(
            "La facture n'a pas passé la validation : %(count)s erreur(s), détaillées dans le rapport de validation."),
            {"count": len(errors)}), {"errors": errors}))
    buyer = invoice.buyer_siren or identifiers.siren_of_vat(invoice.buyer_vat)
    if buyer and buyer != invoice.dossier.siren:
        findings.append((Kind.NOT_FOR_THIS_DOSSIER, described(gettext_noop(
            "L'acheteur de la facture (SIREN %(buyer)s, %(name)s) n'est pas la société du dossier (SIREN %(own)s)."),
            {"buyer": buyer, "name": invoice.buyer_name or "?", "own": invoice.dossier.siren}),
            {"buyer_siren": buyer}))
    if not supplier_identifier(invoice):
        findings.append((Kind.UNIDENTIFIED_SUPPLIER, described(gettext_noop(
            "Le fournisseur n'a ni SIREN valide ni numéro de TVA : il ne peut pas être identifié.")), {}))
    return findings


def supplier_identifier(invoice):
    return identifiers.siren(invoice.seller_siren) or identifiers.vat_number(invoice.seller_vat)


def registry_controls(invoice):
    """Ask SIRENE and the BODACC about a French supplier; a registry outage leaves the check pending."""
    siren = identifiers.siren(invoice.seller_siren)
    if not siren:
        return []
    try:
        findings = registry_findings(invoice, siren)
    except InvalidSiren:
        return []
    except RegistryUnavailable as error:
        return [raise_anomaly(invoice, Kind.REGISTRY_PENDING, described(gettext_noop(
            "Le registre des entreprises n'a pas répondu (%(error)s) : le contrôle sera refait automatiquement."),
            {"error": str(error)}), {"siren": siren}, blocking=False)]
    resolve(invoice, Kind.REGISTRY_PENDING)
    return [record_finding(invoice, *finding) for finding in findings]


def creation_confirmed(invoice):
    """A person confirmed, from its documents, that the supplier exists while SIRENE does not know it
    yet (``ThirdParty.creation_confirmed_at``): its invoices are not held for that again."""
    party = invoice.third_party
    return party is not None and party.creation_confirmed_at is not None


def registry_findings(invoice, siren):
    company = service.lookup_company(siren)
    findings = []
    if company is None:
        if creation_confirmed(invoice):
            return findings
        if mentions_creation(invoice):
            findings.append((Kind.BEING_CREATED, described(gettext_noop(
                "SIREN %(siren)s inconnu de SIRENE, mais la facture indique une société en cours de création : "
                "confirmez-le au vu de la pièce."), {"siren": siren}), {"siren": siren, "sirene": "absent"}))
        else:
            findings.append((Kind.NOT_IN_SIRENE, described(gettext_noop(
                "Le fournisseur (SIREN %(siren)s) est absent de la base SIRENE."), {"siren": siren}), {"siren": siren}))
        return findings
    if company.is_closed:
        closed = company.closed_on.strftime("%d/%m/%Y") if company.closed_on else "?"
        findings.append((Kind.CLOSED, described(
            gettext_noop("%(name)s (SIREN %(siren)s) est fermée depuis le %(date)s."),
            {"name": company.name, "siren": siren, "date": closed}),
                         {"siren": siren, "closed_on": company.closed_on and company.closed_on.isoformat()}))
    elif is_recent(company.created_on, invoice.issue_date) and not creation_confirmed(invoice):
        findings.append((Kind.BEING_CREATED, described(gettext_noop(
            "%(name)s (SIREN %(siren)s) a été créée le %(date)s : "
            "confirmez l'existence du fournisseur au vu de la pièce."),
            {"name": company.name, "siren": siren, "date": company.created_on.strftime("%d/%m/%Y")}),
            {"siren": siren, "created_on": company.created_on.isoformat()}))
    proceedings = service.insolvency_proceedings(siren)
    if proceedings:
        latest = proceedings[0]
        when = latest.date.strftime("%d/%m/%Y") if latest.date else "?"
        findings.append((Kind.INSOLVENCY, described(gettext_noop(
            "%(name)s (SIREN %(siren)s) : %(judgment)s, jugement du %(date)s%(court)s (BODACC)."),
            {"name": company.name, "siren": siren, "judgment": latest.judgment, "date": when,
             "court": f", {latest.court}" if latest.court else ""}),
            {"siren": siren, "judgment": latest.judgment, "date": latest.date and latest.date.isoformat(),
             "liquidation": latest.is_liquidation}))
    return findings


def is_recent(created_on, issue_date):
    if created_on is None:
        return False
    reference = issue_date or timezone.localdate()
    return reference - created_on <= datetime.timedelta(days=RECENT_CREATION_DAYS)


def mentions_creation(invoice):
    """Whether the invoice says its seller is being registered (legal information, notes)."""
    from facturier.invoices.lifecycle import document_of

    try:
        document = document_of(invoice)
    except Exception:
        return False
    if document is None:
        return False
    texts = [document.seller.legal_information or "", document.seller.name or ""]
    texts += [note.text or "" for note in document.notes]
    return any(BEING_CREATED_WORDS.search(text) for text in texts)


def retry_pending(invoice):
    """Run the registry checks of an invoice whose check is pending; True once the registry answered."""
    if not invoice.anomalies.filter(kind=Kind.REGISTRY_PENDING, resolved_at__isnull=True).exists():
        return True
    registry_controls(invoice)
    refresh_needs_decision(invoice)
    return not invoice.anomalies.filter(kind=Kind.REGISTRY_PENDING, resolved_at__isnull=True).exists()


def pending_invoices():
    """Received invoices with a registry check still pending."""
    return Invoice.objects.filter(state=InvoiceState.RECEIVED, anomalies__kind=Kind.REGISTRY_PENDING,
                                  anomalies__resolved_at__isnull=True).distinct()
