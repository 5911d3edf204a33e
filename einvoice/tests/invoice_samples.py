"""Invoices built in code for rendering and Factur-X tests: one with every kind of term, and long ones."""

import datetime
from decimal import Decimal as D

from einvoice.model import (
    Address,
    AllowanceCharge,
    Attachment,
    Contact,
    CreditTransfer,
    Delivery,
    ExtraParty,
    Identifier,
    Invoice,
    Item,
    ItemAttribute,
    Line,
    Note,
    Party,
    PaymentInstructions,
    Period,
    PrecedingInvoice,
    Price,
)


def rich_invoice(lines=3):
    """A French B2B invoice using most business terms, totals computed by the model."""
    invoice = Invoice(
        number="F2026-0042", issue_date=datetime.date(2026, 9, 1), due_date=datetime.date(2026, 10, 1),
        business_process="B1", tax_point_date_code="432", buyer_reference="SERVICE-ACHATS",
        purchase_order_reference="PO-77", contract_reference="CT-2026", project_reference="PRJ-1",
        project_name="Refonte <site> & co", payment_terms="30 jours fin de mois",
        notes=[Note("Pénalités de retard : trois fois le taux d'intérêt légal", "PMD"),
               Note("Indemnité forfaitaire pour frais de recouvrement : 40 €", "PMT"),
               Note("Pas d'escompte pour paiement anticipé", "AAB")],
        preceding_invoices=[PrecedingInvoice("F2026-0001", datetime.date(2026, 8, 1))],
        seller=Party(
            name="VENDEUR SARL", identifiers=[Identifier("10000000900017", "0009")],
            legal_registration=Identifier("100000009", "0002"), vat_id="FR88100000009",
            legal_information="SARL au capital de 50 000 EUR", electronic_address=Identifier("100000009", "0225"),
            address=Address("35 rue de la Paix", city="Paris", postcode="75002", country_code="FR"),
            contact=Contact("Jeanne Martin", "01 02 03 04 05", "compta@vendeur.example")),
        buyer=Party(
            name="ACHETEUR SA", legal_registration=Identifier("200000008", "0002"), vat_id="FR12200000008",
            electronic_address=Identifier("200000008", "0225"),
            address=Address("1 place du Marché", city="Lyon", postcode="69001", country_code="FR")),
        payee=Party(name="FACTOR SA", identifiers=[Identifier("30000000700019", "0009")]),
        extra_parties=[ExtraParty("Invoicee", Party(name="ACHETEUR SA — COMPTABILITÉ"))],
        delivery=Delivery(party_name="Entrepôt Sud", date=datetime.date(2026, 8, 28),
                          address=Address("2 rue du Port", city="Marseille", postcode="13002", country_code="FR")),
        invoicing_period=Period(datetime.date(2026, 8, 1), datetime.date(2026, 8, 31)),
        payment_instructions=PaymentInstructions(
            "58", remittance_information="RF18F20260042",
            credit_transfers=[CreditTransfer("FR7630006000011234567890189", "VENDEUR SARL", "AGRIFRPP")]),
        attachments=[Attachment("BL-1", "Bon de livraison", filename="bl.pdf", mime_code="application/pdf",
                                content=b"%PDF-1.4 minimal"),
                     Attachment("CGV", "Conditions générales", uri="https://vendeur.example/cgv")],
        allowances=[AllowanceCharge(False, D("5.00"), vat_category="S", vat_rate=D("20"), reason="Remise fidélité",
                                    reason_code="95")],
        charges=[AllowanceCharge(True, D("10.00"), vat_category="S", vat_rate=D("20"), reason="Frais de port",
                                 reason_code="FC")],
    )
    for number in range(1, lines + 1):
        invoice.lines.append(Line(
            str(number), D("2.5") if number % 2 else D("1"), "HUR" if number % 2 else "C62", D("0"),
            Price(D("80.00"), gross_price=D("100.00"), discount=D("20.00")),
            Item(f"Prestation {number}", description="Conseil et accompagnement", seller_id=f"SKU-{number}",
                 attributes=[ItemAttribute("Niveau", "Senior")]),
            "S", D("20"), period=Period(datetime.date(2026, 8, 1), datetime.date(2026, 8, 31))))
    invoice.lines.append(Line(
        str(lines + 1), D("3"), "C62", D("0"), Price(D("12.50")), Item("Livre technique"), "S", D("5.5"),
        allowances=[AllowanceCharge(False, D("1.50"), reason="Remise éditeur")]))
    invoice.compute_totals()
    return invoice


def catalogue_invoice(lines=500):
    """A long invoice as an ERP writes one: each line an article, its reference, quantity, price and VAT."""
    invoice = rich_invoice(lines=0)
    invoice.lines = [
        Line(str(number), D(number % 7 + 1), "C62", D("0"), Price(D("12.40") + number % 5),
             Item(f"Article {number} — fourniture de bureau", seller_id=f"REF-{number:05d}"), "S", D("20"))
        for number in range(1, lines + 1)
    ]
    invoice.compute_totals()
    return invoice


def one_page_invoice():
    """An ordinary invoice that fits on one page: two parties, notes, a few lines, bank details."""
    invoice = rich_invoice(lines=3)
    invoice.payee, invoice.extra_parties, invoice.delivery = None, [], None
    invoice.preceding_invoices, invoice.attachments = [], []
    invoice.compute_totals()
    return invoice
