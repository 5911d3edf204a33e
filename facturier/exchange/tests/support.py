"""Fixtures shared by the issuing and exchange tests: a dossier ready to issue, its customers, a draft.

Builds on the shared test world (``facturier.testing.world``): its active
dossier issues; the foreign firm's active dossier is a buyer on the platform;
the not-yet-activated dossier is a buyer who is not.
"""

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import TestCase

from facturier.identifiers import french_vat_number
from facturier.invoices.issuing import issue as issuing
from facturier.invoices.models import ThirdParty
from facturier.testing.world import build_world

EMAIL_BUYER_SIREN = "552100554"
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def local_registry(settings, tmp_path):
    """SIRENE and BODACC answered from a local file: the receiving side's controls stay offline."""
    cache.clear()
    path = tmp_path / "registry.json"
    known = {siren: {"name": name, "status": "active", "created_on": "2001-01-01"} for siren, name in (
        ("356000000", "Société Active"), ("775672272", "Secret Voisin"), (EMAIL_BUYER_SIREN, "Acheteur SA"))}
    path.write_text(json.dumps(known))
    settings.REGISTRY_LOCAL_FILE = str(path)
    yield path
    cache.clear()


@pytest.fixture
def seller_world(db, archive_dir, local_registry):
    """The shared world, its active dossiers complete enough to issue (VAT number, IBAN)."""
    world = build_world()
    ready_to_issue(world.active)
    ready_to_issue(world.foreign)
    return world


def ready_to_issue(dossier):
    dossier.vat_number = french_vat_number(dossier.siren)
    dossier.iban = "FR7630006000011234567890189"
    dossier.bic = "AGRIFRPP"
    dossier.save()


def customer(dossier, *, siren=EMAIL_BUYER_SIREN, name="Acheteur SA", email="compta@acheteur.example",
             output_format="facturx", country="FR", vat=True):
    return ThirdParty.objects.create(
        dossier=dossier, is_customer=True, name=name, siren=siren,
        vat_number=french_vat_number(siren) if vat and siren else "",
        electronic_address=siren, address="1 place du Marché", postal_code="69001", city="Lyon",
        country=country, billing_email=email, output_format=output_format,
    )


def draft(buyer, *, lines=None, adjustments=None, **header):
    values = {
        "customer": str(buyer.pk) if buyer else "", "issue_date": TODAY.isoformat(),
        "due_date": (TODAY + datetime.timedelta(days=30)).isoformat(), "payment_terms": "30 jours",
        "payment_means": "58", "billing_frame": "S1", "vat_on_debits": False,
        "note_pmt": "Indemnité forfaitaire de 40 €", "note_pmd": "Pénalités de retard", "note_aab": "Pas d'escompte",
        "lines": lines if lines is not None else [
            {"description": "Conseil", "quantity": "2", "unit": "HUR", "unit_price": "100", "vat": "S:20"}],
        "adjustments": adjustments or [],
    }
    values.update(header)
    return values


def committed():
    """Run what waits for the commit (signals, deliveries) as a real commit would, inside a test transaction."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def issued_invoice(dossier, buyer, **header):
    """Issue a draft; its delivery runs as after a real commit."""
    invoice = issuing.save_draft(dossier, draft(buyer, **header), customer=buyer)
    with committed():
        issuing.issue(invoice)
    invoice.refresh_from_db()
    return invoice


