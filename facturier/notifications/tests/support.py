"""Invoices and people for the notifications tests, on the shared test world."""

from decimal import Decimal

from facturier.dossiers.models import DossierMembership
from facturier.invoices.models import Direction, Invoice, InvoiceState
from facturier.testing.world import User


def sales_invoice(dossier, number="F-2026-0007"):
    return Invoice.objects.create(
        dossier=dossier, direction=Direction.SALES, state=InvoiceState.ISSUED, number=number,
        seller_name=dossier.name, buyer_name="Acheteur SA", total_incl_vat=Decimal("1200.00"))


def purchase_invoice(dossier, number="A-77", created_by=None):
    return Invoice.objects.create(
        dossier=dossier, direction=Direction.PURCHASE, state=InvoiceState.RECEIVED, number=number,
        seller_name="VENDEUR SARL", buyer_name=dossier.name, total_incl_vat=Decimal("240.00"), created_by=created_by)


def member(dossier, email, *, language="fr", **rights):
    """A client user of ``dossier`` with the given rights (no right: told of nothing)."""
    user = User.objects.create_user(email, full_name=email.split("@")[0].title(), language=language)
    DossierMembership.objects.create(dossier=dossier, user=user, **rights)
    return user
