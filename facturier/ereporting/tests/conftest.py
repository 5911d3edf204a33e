"""A realistic e-reporting dossier: foreign sales and purchases built from real documents, B2C days, receipts.

Invoices are archived CII documents written by the engine with their rows made
from them, the way ingestion and issuing do, so gathering reads their VAT
breakdown back from the archived original.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from einvoice import model
from einvoice.write.cii import to_cii
from facturier.archive.models import Kind
from facturier.archive.store import archive
from facturier.dossiers.models import ServicesVatBasis, VatRegime
from facturier.ereporting.models import B2CDay
from facturier.invoices.documents import row_fields
from facturier.invoices.models import Direction, Invoice, InvoiceState, LifecycleEvent, ThirdParty

D = Decimal
OURS = ("Société Active", "356000000", "FR12356000000")
MARCH = datetime.date(2026, 3, 1)


@pytest.fixture
def shop(world, settings):
    """The world's active dossier, on réel normal mensuel, selling abroad and to private persons."""
    settings.EREPORTING_START = "2026-01-01"
    dossier = world.active
    dossier.vat_regime = VatRegime.NORMAL_MONTHLY
    dossier.services_vat_basis = ServicesVatBasis.RECEIPTS
    dossier.sells_to_individuals = True
    dossier.trades_abroad = True
    dossier.vat_number = OURS[2]
    dossier.save()
    return dossier


def party(name, country, *, siren=None, vat=None):
    return model.Party(name=name, vat_id=vat,
                       legal_registration=model.Identifier(siren, "0002") if siren else None,
                       address=model.Address(city="Ville", postcode="10000", country_code=country))


def document(number, amount, *, seller, buyer, issue_date, category="S", rate="20", reason=None, frame="S1"):
    amount = D(amount)
    line = model.Line(id="1", quantity=D("1"), unit_code="C62", net_amount=amount,
                      price=model.Price(net_price=amount), item=model.Item(name="Prestation"),
                      vat_category=category, vat_rate=D(rate))
    doc = model.Invoice(number=number, issue_date=issue_date, type_code="380", seller=seller, buyer=buyer,
                        lines=[line], business_process=frame)
    doc.compute_totals(exemption_reasons={category: reason} if reason else None)
    return doc


def store(dossier, doc, direction, third_party):
    kind = Kind.ORIGINAL_RECEIVED if direction == Direction.PURCHASE else Kind.ORIGINAL_ISSUED
    record = archive(dossier, to_cii(doc), kind=kind, filename=f"{doc.number}.xml", media_type="application/xml",
                     period=doc.issue_date)
    state = InvoiceState.ISSUED if direction == Direction.SALES else InvoiceState.RECEIVED
    return Invoice.objects.create(dossier=dossier, direction=direction, state=state, third_party=third_party,
                                  original=record, syntax="CII", is_valid=True, **row_fields(doc))


def foreign_sale(dossier, number, amount, day, *, customer=None, category="K", rate="0",
                 reason=("Livraison intracommunautaire", "VATEX-EU-IC")):
    customer = customer or ThirdParty.objects.create(dossier=dossier, is_customer=True, name="Müller GmbH",
                                                     vat_number="DE123456789", country="DE")
    doc = document(number, amount, seller=party(OURS[0], "FR", siren=OURS[1], vat=OURS[2]),
                   buyer=party(customer.name, customer.country, vat=customer.vat_number or None),
                   issue_date=day, category=category, rate=rate, reason=reason)
    return store(dossier, doc, Direction.SALES, customer)


def foreign_purchase(dossier, number, amount, day):
    supplier = ThirdParty.objects.create(dossier=dossier, is_supplier=True, name="Acme Inc.", country="US")
    doc = document(number, amount, seller=party("Acme Inc.", "US", vat="US987654321"),
                   buyer=party(OURS[0], "FR", siren=OURS[1], vat=OURS[2]), issue_date=day, category="AE",
                   rate="0", reason=("Autoliquidation", "VATEX-EU-AE"), frame="B1")
    return store(dossier, doc, Direction.PURCHASE, supplier)


def domestic_sale(dossier, number, amount, day):
    customer = ThirdParty.objects.create(dossier=dossier, is_customer=True, name="Client Durand",
                                         siren="552100554", country="FR")
    doc = document(number, amount, seller=party(OURS[0], "FR", siren=OURS[1], vat=OURS[2]),
                   buyer=party(customer.name, "FR", siren="552100554"), issue_date=day)
    return store(dossier, doc, Direction.SALES, customer)


def private_sale(dossier, number, amount, day, *, frame="S1", rate="20"):
    """An invoice to a private person in France: no SIREN, no VAT number (an e-mail as electronic address)."""
    person = ThirdParty.objects.create(dossier=dossier, is_customer=True, name="Jean Dupont", country="FR",
                                       electronic_address="jean@example.org", electronic_address_scheme="EM")
    doc = document(number, amount, seller=party(OURS[0], "FR", siren=OURS[1], vat=OURS[2]),
                   buyer=party(person.name, "FR"), issue_date=day, frame=frame, rate=rate)
    return store(dossier, doc, Direction.SALES, person)


def paid(invoice, amount, day):
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return LifecycleEvent.objects.create(invoice=invoice, status=212, party="seller", amount=D(amount), at=at)


def b2c(dossier, day, rate, excl, *, category="TLB1", received="0", count=None):
    excl, rate = D(excl), D(rate)
    return B2CDay.objects.create(dossier=dossier, date=day, category=category, rate=rate, amount_excl_vat=excl,
                                 vat_amount=(excl * rate / 100).quantize(D("0.01")), received=D(received),
                                 count=count)
