"""What each report declares, gathered from what the platform holds.

- 10.1 sales: the dossier's issued invoices to companies outside France;
  10.1 purchases: its received invoices from companies outside France
  (per invoice, with the VAT breakdown of the document);
- 10.2: the amounts received on those sales (status 212 "Encaissée"), spread
  per VAT rate, when the dossier pays VAT on services on receipts;
- 10.3: the daily B2C totals per category and rate: the days typed or imported
  (``B2CDay``, a till's totals) and the invoices issued to private persons in
  France;
- 10.4: the B2C amounts received per day and rate for services, on receipts.

Every function yields engine objects (``einvoice.ereporting.model``), each
with what it came from (``Source``), so a broken rule can be shown next to
the invoice or the day that caused it. 10.1 yields them as it reads its rows:
a report of thousands of invoices is written and checked a part at a time,
never held whole.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from einvoice.ereporting import DailyPayment, DailyTransactions, InvoicePayment, Party, ReportedInvoice, VatAmount
from einvoice.errors import EInvoiceError
from einvoice.model import CREDIT_NOTE_TYPE_CODES
from facturier.dossiers.models import ServicesVatBasis
from facturier.ereporting.models import B2CCategory, B2CDay, InvoiceFacts, ReportKind
from facturier.invoices.lifecycle import document_of
from facturier.invoices.models import Direction, Invoice, InvoiceState, LifecycleEvent

CENT = Decimal("0.01")
PAID = 212  # lifecycle status "Encaissée"
# Member states of the European Union other than France: their companies are identified by
# their VAT number (scheme 0223); companies elsewhere by scheme 0227.
EU_OUTSIDE_FRANCE = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "EL", "HR", "HU", "IE", "IT", "LT", "LU",
    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
# Billing frames (BT-23) the flux 10 rules accept; an invoice without one is declared a sale of goods (B1).
BILLING_FRAMES = ("B1", "S1", "M1", "B2", "S2", "M2", "B4", "S4", "M4", "S5", "S6", "B7", "S7")
DEFAULT_BILLING_FRAME = "B1"


@dataclass(frozen=True)
class Source:
    """What one reported item came from, for the pages: its label and who must act on an error."""

    label: str
    action: str
    invoice_id: int | None = None
    date: datetime.date | None = None


def kinds_for(dossier):
    """The reports the dossier's VAT profile calls for."""
    if not dossier.vat_regime:
        return []
    on_receipts = dossier.services_vat_basis == ServicesVatBasis.RECEIPTS
    kinds = []
    if dossier.trades_abroad:
        kinds += [ReportKind.SALES, ReportKind.PURCHASES] + ([ReportKind.PAYMENTS] if on_receipts else [])
    if dossier.sells_to_individuals:
        kinds += [ReportKind.B2C] + ([ReportKind.B2C_PAYMENTS] if on_receipts else [])
    return kinds


def declarant(dossier):
    return Party(id=dossier.siren, scheme="0002", name=dossier.name, vat_id=dossier.vat_number,
                 country=dossier.country or "FR")


# 10.1 -------------------------------------------------------------------------------

ROW_FIELDS = ("pk", "number", "issue_date", "type_code", "currency", "billing_frame", "due_date", "total_excl_vat",
              "total_vat", "buyer_name", "buyer_vat", "seller_name", "seller_vat", "preceding_invoice__number",
              "preceding_invoice__issue_date")
FACT_FIELDS = ("vat", "seller_country", "buyer_country", "seller_id", "buyer_id", "preceding", "vat_total_eur")


def foreign_invoices(dossier, direction, start, end):
    """The dossier's invoices of the period with a company outside France, as rows (dicts) with their facts.

    Facts missing are read first (once per invoice, ever); the rows themselves
    are plain values: thousands of invoices build no model instance.
    """
    counterpart_siren = "buyer_siren" if direction == Direction.SALES else "seller_siren"
    state = InvoiceState.ISSUED if direction == Direction.SALES else InvoiceState.RECEIVED
    invoices = (Invoice.objects.filter(dossier=dossier, direction=direction, state=state,
                                       issue_date__range=(start, end))
                .filter(Q(third_party__country__gt="") & ~Q(third_party__country="FR")
                        | Q(third_party__isnull=True, **{counterpart_siren: ""})))
    for invoice in invoices.filter(ereporting_facts__isnull=True).select_related("third_party"):
        facts_of(invoice)
    country = "ereporting_facts__buyer_country" if direction == Direction.SALES else "ereporting_facts__seller_country"
    rows = (invoices.exclude(**{country: "FR"}).exclude(**{country: ""}).order_by("issue_date", "id")
            .values(*ROW_FIELDS, *(f"ereporting_facts__{name}" for name in FACT_FIELDS)))
    for row in rows.iterator(chunk_size=2000):
        yield row, {name: row[f"ereporting_facts__{name}"] for name in FACT_FIELDS}


def facts_of(invoice):
    """The invoice's ``InvoiceFacts``, read from its archived original the first time."""
    try:
        return invoice.ereporting_facts
    except InvoiceFacts.DoesNotExist:
        pass
    facts = InvoiceFacts(invoice=invoice)
    try:
        document = document_of(invoice)
    except EInvoiceError:
        document = None
    if document is not None:
        facts.vat = [{"category": row.category, "rate": str(row.rate if row.rate is not None else 0),
                      "taxable": str(row.taxable_amount), "tax": str(row.tax_amount),
                      "reason": row.exemption_reason or "", "reason_code": row.exemption_reason_code or ""}
                     for row in document.vat_breakdown]
        facts.seller_country = (document.seller.address.country_code or "").upper() if document.seller.address else ""
        facts.buyer_country = (document.buyer.address.country_code or "").upper() if document.buyer.address else ""
        facts.seller_id = _foreign_id(document.seller)
        facts.buyer_id = _foreign_id(document.buyer)
        facts.preceding = [[ref.number, ref.issue_date.isoformat() if ref.issue_date else None]
                           for ref in document.preceding_invoices]
        facts.vat_total_eur = document.totals.tax_total_accounting
    elif invoice.third_party is not None:
        country = invoice.third_party.country
        facts.seller_country, facts.buyer_country = (
            ("FR", country) if invoice.direction == Direction.SALES else (country, "FR"))
    InvoiceFacts.objects.bulk_create([facts], ignore_conflicts=True)
    return facts


def _foreign_id(party):
    """A company's identifier when it has no SIREN: its VAT number, else its first identifier."""
    if party.vat_id:
        return party.vat_id.replace(" ", "").upper()[:40]
    candidates = [party.legal_registration, *party.identifiers]
    return next((identifier.value[:40] for identifier in candidates if identifier and identifier.value), "")


def counterpart(row, facts, direction):
    """The company outside France, as flux 10 identifies it."""
    side = "buyer" if direction == Direction.SALES else "seller"
    name, vat, country, other = row[f"{side}_name"], row[f"{side}_vat"], facts[f"{side}_country"], facts[f"{side}_id"]
    scheme = "0223" if country in EU_OUTSIDE_FRANCE else "0227"
    return Party(id=vat or other, scheme=scheme, name=name, vat_id=vat, country=country)


def vat_rows(facts):
    return tuple(VatAmount(rate=Decimal(row["rate"]), taxable_amount=Decimal(row["taxable"]),
                           tax_amount=Decimal(row["tax"]), category=row["category"],
                           exemption_reason=row["reason"], exemption_reason_code=row["reason_code"])
                 for row in facts["vat"])


def invoice_transactions(dossier, kind, start, end):
    """10.1: one ``ReportedInvoice`` per foreign invoice of the period, and its source."""
    direction = Direction.SALES if kind == ReportKind.SALES else Direction.PURCHASE
    ours = declarant(dossier)
    action = (_("À corriger sur la facture émise (un avoir la rectifie).") if direction == Direction.SALES
              else _("À demander au fournisseur, ou à corriger sur la facture reçue."))
    label = _("Facture %(number)s")  # looked up once: a translation costs more than the row it labels
    for row, facts in foreign_invoices(dossier, direction, start, end):
        other = counterpart(row, facts, direction)
        preceding = tuple((number, datetime.date.fromisoformat(day) if day else None)
                          for number, day in facts["preceding"])
        if not preceding and row["preceding_invoice__number"]:
            preceding = ((row["preceding_invoice__number"], row["preceding_invoice__issue_date"]),)
        frame = row["billing_frame"] if row["billing_frame"] in BILLING_FRAMES else DEFAULT_BILLING_FRAME
        yield ReportedInvoice(
            number=row["number"], issue_date=row["issue_date"], type_code=row["type_code"],
            currency=row["currency"], billing_frame=frame,
            seller=ours if direction == Direction.SALES else other,
            buyer=other if direction == Direction.SALES else ours,
            total_excl_vat=row["total_excl_vat"], total_vat=row["total_vat"], vat=vat_rows(facts),
            due_date=row["due_date"], preceding=preceding, total_vat_eur=facts["vat_total_eur"],
        ), Source(label % {"number": row["number"]}, action, invoice_id=row["pk"], date=row["issue_date"])


# 10.2 -------------------------------------------------------------------------------

def invoice_payments(dossier, start, end):
    """10.2: the amounts received in the period on foreign sales invoices of services, per rate."""
    events = paid_events(dossier, start, end).exclude(invoice__billing_frame__startswith="B")
    found = []
    action = _("À corriger sur le statut « Encaissée » de la facture.")
    for event in events:
        invoice = event.invoice
        facts = facts_of(invoice)
        if not facts.buyer_country or facts.buyer_country == "FR":
            continue
        paid_on = timezone.localtime(event.at).date()
        found.append((
            InvoicePayment(invoice_number=invoice.number, invoice_date=invoice.issue_date, date=paid_on,
                           amounts=spread(event.amount, vat_rows({"vat": facts.vat}))),
            Source(_("Encaissement de la facture %(number)s") % {"number": invoice.number}, action,
                   invoice_id=invoice.pk, date=paid_on)))
    return found


def paid_events(dossier, start, end):
    """The 212 "Encaissée" statuses of the dossier's sales invoices recorded in the period, with an amount."""
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    until = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    return (LifecycleEvent.objects.filter(invoice__dossier=dossier, invoice__direction=Direction.SALES,
                                          status=PAID, at__gte=since, at__lt=until, amount__isnull=False)
            .select_related("invoice", "invoice__third_party", "invoice__ereporting_facts").order_by("at", "id"))


def spread(amount, rows):
    """``amount`` (VAT included) shared between the VAT rates in proportion to the invoice's breakdown."""
    weights = defaultdict(Decimal)
    for row in rows:
        weights[row.rate] += row.taxable_amount + row.tax_amount
    total = sum(weights.values(), Decimal(0))
    if not total:
        return ((next(iter(weights), Decimal(0)), Decimal(amount)),)
    shares, given = [], Decimal(0)
    rates = list(weights)
    for rate in rates[:-1]:
        share = (Decimal(amount) * weights[rate] / total).quantize(CENT, ROUND_HALF_UP)
        shares.append((rate, share))
        given += share
    shares.append((rates[-1], Decimal(amount) - given))
    return tuple(shares)


# 10.3 and 10.4 ------------------------------------------------------------------------

def daily_transactions(dossier, start, end):
    """10.3: per day and category, the B2C totals per rate: the days typed or imported, and the invoices the
    dossier issued to private persons in France (``b2c_invoices``)."""
    days = defaultdict(lambda: {"rates": defaultdict(lambda: [Decimal(0), Decimal(0)]), "count": None})
    for row in B2CDay.objects.filter(dossier=dossier, date__range=(start, end)):
        day = days[row.date, row.category]
        day["rates"][row.rate][0] += row.amount_excl_vat
        day["rates"][row.rate][1] += row.vat_amount
        if row.count is not None:
            day["count"] = (day["count"] or 0) + row.count
    for invoice, facts in b2c_invoices(dossier, start, end):
        sign = -1 if invoice.type_code in CREDIT_NOTE_TYPE_CODES else 1
        for vat in vat_rows({"vat": facts.vat}):
            day = days[invoice.issue_date, b2c_category(invoice.billing_frame, vat.category)]
            day["rates"][vat.rate][0] += sign * vat.taxable_amount
            day["rates"][vat.rate][1] += sign * vat.tax_amount
        for key in {(invoice.issue_date, b2c_category(invoice.billing_frame, vat["category"])) for vat in facts.vat}:
            days[key]["count"] = (days[key]["count"] or 0) + 1
    action = _("À corriger dans les ventes aux particuliers du jour, ou sur la facture émise.")
    label = _("Ventes du %(date)s (%(category)s)")
    found = []
    for (date, category), day in sorted(days.items()):
        found.append((
            DailyTransactions(date=date, category=category, count=day["count"], vat=tuple(
                VatAmount(rate=rate, taxable_amount=base, tax_amount=tax)
                for rate, (base, tax) in sorted(day["rates"].items(), reverse=True))),
            Source(label % {"date": date.strftime("%d/%m/%Y"), "category": B2CCategory(category).label}, action,
                   date=date)))
    return found


def b2c_invoices(dossier, start, end):
    """The dossier's invoices of the period to private persons in France, with their VAT breakdown (facts).

    A private person is a buyer without SIREN nor VAT number (a company abroad
    has one and goes to 10.1), in France: its customer record says so, or,
    without one, the invoice itself.
    """
    invoices = (Invoice.objects.filter(dossier=dossier, direction=Direction.SALES, state=InvoiceState.ISSUED,
                                       issue_date__range=(start, end), buyer_siren="", buyer_vat="")
                .filter(Q(third_party__country__in=("FR", "")) | Q(third_party__isnull=True))
                .select_related("third_party", "ereporting_facts").order_by("issue_date", "pk"))
    for invoice in invoices:
        facts = facts_of(invoice)
        if facts.buyer_country in ("FR", ""):
            yield invoice, facts


def b2c_category(billing_frame, vat_category):
    """TT-81 of an invoice's VAT line: not subject to VAT (O) is TNT1, else services (S…) or goods."""
    if vat_category == "O":
        return B2CCategory.NOT_TAXABLE
    return B2CCategory.SERVICES if (billing_frame or "").startswith("S") else B2CCategory.GOODS


def daily_payments(dossier, start, end):
    """10.4: per day, the amounts received on B2C services, per rate: the days typed or imported, and the
    payments (212 "Encaissée") of the services invoiced to private persons in France."""
    grouped = defaultdict(lambda: defaultdict(Decimal))
    rows = B2CDay.objects.filter(dossier=dossier, date__range=(start, end), category=B2CCategory.SERVICES,
                                 received__gt=0)
    for row in rows:
        grouped[row.date][row.rate] += row.received
    for event in paid_events(dossier, start, end).filter(invoice__buyer_siren="", invoice__buyer_vat="",
                                                         invoice__billing_frame__startswith="S"):
        facts = facts_of(event.invoice)
        if facts.buyer_country in ("FR", ""):
            for rate, amount in spread(event.amount, vat_rows({"vat": facts.vat})):
                grouped[timezone.localtime(event.at).date()][rate] += amount
    action = _("À corriger dans les ventes aux particuliers du jour, ou sur le statut « Encaissée » de la facture.")
    return [(DailyPayment(date=date, amounts=tuple(sorted(amounts.items(), reverse=True))),
             Source(_("Encaissements du %(date)s") % {"date": date.strftime("%d/%m/%Y")}, action, date=date))
            for date, amounts in sorted(grouped.items())]


GATHERERS = {
    ReportKind.SALES: lambda dossier, start, end: invoice_transactions(dossier, ReportKind.SALES, start, end),
    ReportKind.PURCHASES: lambda dossier, start, end: invoice_transactions(dossier, ReportKind.PURCHASES, start, end),
    ReportKind.PAYMENTS: invoice_payments,
    ReportKind.B2C: daily_transactions,
    ReportKind.B2C_PAYMENTS: daily_payments,
}
