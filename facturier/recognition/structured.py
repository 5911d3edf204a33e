"""The confirmed fields of a recognised invoice as an EN 16931 invoice (written as CII, filed as any other).

Lines are the ones read when they add up to the confirmed total excluding VAT
at the confirmed VAT rates; otherwise one line per VAT rate carries its base,
so the structured invoice always has the totals the person confirmed.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from einvoice.model import (
    Address,
    CreditTransfer,
    Identifier,
    Invoice,
    Item,
    Line,
    Note,
    Party,
    PaymentInstructions,
    Price,
)
from einvoice.recognition.parse import to_decimal

SCHEME_SIREN = "0002"
CENT = Decimal("0.01")


def build_invoice(dossier, values, result, filename):
    excl, vat, incl = (Decimal(values[name]) for name in ("total_excl_vat", "total_vat", "total_incl_vat"))
    seller_country = (values.get("seller_vat") or "")[:2] or ("FR" if values.get("seller_siren") else dossier.country)
    invoice = Invoice(
        number=values["number"], issue_date=values["issue_date"], due_date=values.get("due_date") or None,
        currency=values.get("currency") or "EUR",
        seller=Party(name=values["seller_name"], vat_id=values.get("seller_vat") or None,
                     legal_registration=Identifier(values["seller_siren"], SCHEME_SIREN)
                     if values.get("seller_siren") else None,
                     address=Address(country_code=seller_country.replace("EL", "GR"))),
        buyer=Party(name=dossier.name, vat_id=dossier.vat_number or None,
                    legal_registration=Identifier(dossier.siren, SCHEME_SIREN) if dossier.siren else None,
                    address=Address(line1=dossier.address, postcode=dossier.postal_code, city=dossier.city,
                                    country_code=dossier.country)),
        notes=[Note(_("Facture reconnue depuis le fichier %(name)s (PDF, scan ou photo).") % {"name": filename})],
        lines=invoice_lines(result, excl, vat, values.get("seller_vat") or ""),
    )
    if values.get("iban"):
        invoice.payment_instructions = PaymentInstructions("58", credit_transfers=[CreditTransfer(values["iban"])])
    invoice.compute_totals()
    invoice.totals.tax_total, invoice.totals.tax_inclusive, invoice.totals.payable = vat, incl, incl
    return invoice


def invoice_lines(result, excl, vat, seller_vat):
    read = [row for row in result.get("lines", []) if row.get("amount") not in (None, "")]
    rates = {Decimal(row["rate"]) for row in result.get("vat", []) if row.get("rate") not in (None, "")}
    if read and all(row.get("vat_rate") not in (None, "") for row in read) and \
            sum(Decimal(row["amount"]) for row in read) == excl and \
            (not rates or {Decimal(row["vat_rate"]) for row in read} == rates):
        return [line(index, row.get("description") or "-", Decimal(row["amount"]), Decimal(row["vat_rate"]),
                     seller_vat, quantity=to_decimal(row.get("quantity") or "1") or Decimal(1))
                for index, row in enumerate(read, start=1)]
    return [line(index, _("Montant au taux de %(rate)s %%") % {"rate": rate}, base, rate, seller_vat)
            for index, (rate, base) in enumerate(bases(result, excl, vat), start=1)]


def bases(result, excl, vat):
    """(rate, base) per VAT rate: the bases read, else worked out from each VAT amount and its rate."""
    rows = [(Decimal(row["rate"]), row) for row in result.get("vat", []) if row.get("rate") not in (None, "")]
    rows.sort(key=lambda pair: pair[0] == 0 and not pair[1].get("base"))  # a 0 % base is only what is left
    if len(rows) <= 1:
        rate = rows[0][0] if rows else ((vat * 100 / excl).quantize(Decimal("0.1")) if excl else Decimal(0))
        return [(rate, excl)]
    found, left = [], excl
    for rate, row in rows[:-1]:
        base = Decimal(row["base"]) if row.get("base") else (Decimal(row["amount"]) * 100 / rate).quantize(CENT)
        found.append((rate, base))
        left -= base
    return [*found, (rows[-1][0], left)]


def line(index, description, amount, rate, seller_vat, quantity=Decimal(1)):
    quantity = quantity or Decimal(1)
    category = "S" if rate else ("AE" if seller_vat and not seller_vat.startswith("FR") else "Z")
    return Line(id=str(index), quantity=quantity, unit_code="C62", net_amount=amount,
                price=Price((amount / quantity).quantize(Decimal("0.0001"))), item=Item(description[:200]),
                vat_category=category, vat_rate=rate)
