"""The demo's invoices, so that every home page has something to say at the first sign-in.

BIOBURO and PREMYS, two active dossiers of Cabinet Démo, trade with each other
through the platform and receive invoices from suppliers of the demo registry
(``registry/data/demo_companies.json``), two of them in trouble on purpose:

- BIOBURO → PREMYS: one invoice approved then paid (205, 212), one refused for
  a wrong order reference (210) and cancelled by a credit note, one waiting for
  PREMYS's decision; BIOBURO → an outside customer, by e-mail, now overdue; a draft.
- PREMYS → BIOBURO: one invoice approved (its entries wait for accounting), one
  waiting for BIOBURO's decision; PREMYS → a customer it has no address for: the
  sending failed, "À envoyer" until someone adds one and sends again.
- Suppliers: ATELIER MERCIER (healthy, approved by BIOBURO), TRANSPORTS VALLEE DE
  SEINE (in liquidation: an anomaly for BIOBURO to resolve), LIBRAIRIE DES QUAIS
  (closed: an anomaly for PREMYS).

Everything goes through the platform's own flows (issuing, delivery, receiving,
controls, decisions), which need background work to run in this process
(``FACTURIER_TASKS=immediate``, as ``facturier serve --demo`` sets it); the
invoices are created once, when neither dossier has any.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

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
from einvoice.write import to_cii
from facturier.exchange.channels.platform import counterpart_of
from facturier.identifiers import french_vat_number
from facturier.invoices.decisions import decide
from facturier.invoices.issuing import issue as issuing
from facturier.invoices.models import Invoice as InvoiceRow
from facturier.invoices.models import ThirdParty
from facturier.invoices.receiving.intake import receive_file

BANK = {"BIOBURO": ("FR7630006000011234567890189", "AGRIFRPP"),
        "PREMYS": ("FR1420041010050500013M02606", "PSSTFRPP")}
# Suppliers of the demo registry, and the customer BIOBURO reaches by e-mail.
MERCIER = ("900000027", "ATELIER MERCIER MENUISERIE", "3 RUE DES TANNEURS", "69007", "LYON")
TRANSPORTS = ("900000035", "TRANSPORTS VALLEE DE SEINE", "22 AVENUE DE PARIS", "78250", "MEULAN-EN-YVELINES")
LIBRAIRIE = ("900000043", "LIBRAIRIE DES QUAIS", "5 PLACE DU MARCHE", "33000", "BORDEAUX")
CANAL = ("900000019", "BOULANGERIE DU CANAL", "14 QUAI DE VALMY", "75010", "PARIS")
CAMPING = ("399072180", "CAMPING LES PINS", "AVENUE DE L'OCEAN", "40200", "MIMIZAN")


def obstacle():
    """Why the platform's flows cannot complete here, step by step; None when they can."""
    if settings.TASKS_BACKEND != "immediate":
        return ("Demo invoices need background work in this process (FACTURIER_TASKS=immediate, "
                "as `facturier serve --demo` sets it): none created.")
    if transaction.get_connection().in_atomic_block:
        return "Demo invoices are made step by step, each step committed: none created inside a transaction."
    return None


def create_demo_invoices(bioburo, premys):
    """Create the demo's invoices; False when they exist already (see ``obstacle`` first)."""
    if InvoiceRow.objects.filter(dossier__in=(bioburo, premys)).exists():
        return False
    pierre, julie = bioburo.owner, premys.owner
    for dossier in (bioburo, premys):
        dossier.iban, dossier.bic = BANK[dossier.name]
        dossier.save(update_fields=["iban", "bic"])
    premys_customer, bioburo_customer = customer_on_platform(bioburo, premys), customer_on_platform(premys, bioburo)
    canal = outside_customer(bioburo, CANAL, email="compta@boulangerie-du-canal.example")
    camping = outside_customer(premys, CAMPING, email="")  # its dossier not open yet, no e-mail address

    paid = issue(bioburo, premys_customer, pierre, days_ago=45, lines=[
        ("Ramettes de papier recyclé A4", "40", "C62", "4.90"), ("Classeurs à levier", "25", "C62", "3.20")])
    refused = issue(bioburo, premys_customer, pierre, days_ago=20, order="CMD-2026-118", lines=[
        ("Fauteuils de bureau ergonomiques", "4", "C62", "289.00")])
    issue(bioburo, premys_customer, pierre, days_ago=4, lines=[("Cartouches d'encre", "12", "C62", "18.50")])
    issue(bioburo, canal, pierre, days_ago=50, lines=[("Aménagement du point de vente", "1", "C62", "1450.00")])
    issuing.save_draft(bioburo, draft(canal, days_ago=0, lines=[("Étagères murales", "6", "C62", "74.00")]),
                       customer=canal, by=pierre)

    decide(counterpart_of(paid), julie, 205)
    decide(counterpart_of(refused), julie, 210, reason_code="CMD_ERR",
           reason="La commande CMD-2026-118 porte sur deux fauteuils, pas quatre.")
    credit_note = issuing.save_draft(bioburo, issuing.credit_note_draft(refused), customer=premys_customer,
                                     by=pierre, preceding=refused)
    issuing.issue(credit_note, by=pierre)
    decide(refreshed(paid), pierre, 212, amount=str(paid.amount_due))

    supplies = issue(premys, bioburo_customer, julie, days_ago=30, lines=[
        ("Maintenance du parc informatique", "6", "HUR", "85.00")])
    issue(premys, bioburo_customer, julie, days_ago=6, lines=[("Audit de sécurité", "1", "C62", "980.00")])
    issue(premys, camping, julie, days_ago=2, lines=[("Installation du réseau Wi-Fi", "1", "C62", "720.00")])
    decide(counterpart_of(supplies), pierre, 205)

    decide(supplier_invoice(bioburo, MERCIER, "AM-2026-0311", days_ago=25, amount="640.00"), pierre, 205)
    supplier_invoice(bioburo, TRANSPORTS, "TVS-26-0907", days_ago=8, amount="1180.00")
    supplier_invoice(premys, LIBRAIRIE, "LDQ-2026-044", days_ago=12, amount="96.40")
    return True


def customer_on_platform(dossier, other):
    """``other`` (a dossier) as a customer of ``dossier``: invoices to it are delivered through the platform."""
    return ThirdParty.objects.create(
        dossier=dossier, is_customer=True, name=other.name.upper(), siren=other.siren, vat_number=other.vat_number,
        electronic_address=other.siren, address=other.address, postal_code=other.postal_code, city=other.city,
        billing_email=other.representative_email)


def outside_customer(dossier, company, *, email):
    siren, name, address, postal_code, city = company
    return ThirdParty.objects.create(
        dossier=dossier, is_customer=True, name=name, siren=siren, vat_number=french_vat_number(siren),
        electronic_address=siren, address=address, postal_code=postal_code, city=city, billing_email=email)


def draft(buyer, *, days_ago, lines, order=""):
    issued_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    return {
        "customer": str(buyer.pk), "issue_date": issued_on.isoformat(),
        "due_date": (issued_on + datetime.timedelta(days=30)).isoformat(), "payment_terms": "30 jours",
        "payment_means": "58", "billing_frame": "B1", "vat_on_debits": False, "purchase_order_reference": order,
        "note_pmt": "Indemnité forfaitaire pour frais de recouvrement : 40 €",
        "note_pmd": "Pénalités de retard : trois fois le taux d'intérêt légal",
        "note_aab": "Pas d'escompte pour paiement anticipé",
        "lines": [{"description": text, "quantity": quantity, "unit": unit, "unit_price": price, "vat": "S:20"}
                  for text, quantity, unit, price in lines],
        "adjustments": [],
    }


def issue(dossier, buyer, by, *, days_ago, lines, order=""):
    invoice = issuing.save_draft(dossier, draft(buyer, days_ago=days_ago, lines=lines, order=order),
                                 customer=buyer, by=by)
    return issuing.issue(invoice, by=by)


def refreshed(invoice):
    invoice.refresh_from_db()
    return invoice


def supplier_invoice(dossier, supplier, number, *, days_ago, amount):
    """An invoice of ``supplier`` (from the demo registry) received by ``dossier``, as if uploaded."""
    data = to_cii(supplier_document(dossier, supplier, number, days_ago=days_ago, amount=Decimal(amount)))
    return receive_file(dossier, f"{number}.xml", data, by=dossier.owner).invoice


def supplier_document(dossier, supplier, number, *, days_ago, amount):
    siren, name, address, postal_code, city = supplier
    issued_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    invoice = Invoice(
        number=number, issue_date=issued_on, due_date=issued_on + datetime.timedelta(days=30),
        business_process="B1", payment_terms="30 jours",
        notes=[Note("Pénalités de retard : trois fois le taux d'intérêt légal", "PMD"),
               Note("Indemnité forfaitaire pour frais de recouvrement : 40 €", "PMT"),
               Note("Pas d'escompte pour paiement anticipé", "AAB")],
        seller=Party(name=name, identifiers=[Identifier(siren + "00017", "0009")],
                     legal_registration=Identifier(siren, "0002"), vat_id=french_vat_number(siren),
                     electronic_address=Identifier(siren, "0225"),
                     address=Address(address.title(), city=city, postcode=postal_code, country_code="FR")),
        buyer=Party(name=dossier.name, legal_registration=Identifier(dossier.siren, "0002"),
                    vat_id=dossier.vat_number, electronic_address=Identifier(dossier.siren, "0225"),
                    address=Address(dossier.address, city=dossier.city, postcode=dossier.postal_code,
                                    country_code="FR")),
        payment_instructions=PaymentInstructions(
            "58", credit_transfers=[CreditTransfer("FR7630004000031234567890143", name)]),
    )
    invoice.lines.append(Line("1", Decimal("1"), "C62", Decimal("0"), Price(amount), Item("Prestation"), "S",
                              Decimal("20")))
    invoice.compute_totals()
    return invoice
