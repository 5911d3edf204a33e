"""The dossiers app listens to the firms app: a firm that accepts the terms gets its own dossier;
and answers the accounts app: a firm that requires two-factor sign-in requires it of its dossiers' users."""

from django.dispatch import receiver

from facturier.accounts.signals import two_factor_required
from facturier.audit.models import AuditAction, record
from facturier.dossiers.activation import send_owner_invitation
from facturier.dossiers.models import Dossier, DossierMembership
from facturier.firms.models import FREE_INVOICES
from facturier.firms.signals import terms_accepted


@receiver(terms_accepted, dispatch_uid="dossiers.open_own_dossier")
def open_own_dossier(sender, firm, signatory, **kwargs):
    """Create the firm's own dossier and invite the signatory to activate it."""
    send_owner_invitation(create_own_dossier(firm, signatory), by=signatory)


def create_own_dossier(firm, signatory):
    """The firm's own company, a dossier like the others, with the free invoices.

    Address and fiscal year end are unknown to single sign-on: the firm
    completes them on the dossier's page.
    """
    dossier, created = Dossier.objects.get_or_create(
        firm=firm,
        is_firm_own=True,
        defaults={
            "siren": firm.siren,
            "name": firm.name,
            "fiscal_year_end_month": 12,
            "representative_name": signatory.full_name or signatory.email,
            "representative_email": signatory.email,
            "representative_language": signatory.language,
            "language": signatory.language,
            "free_invoices": FREE_INVOICES,
        },
    )
    if created:
        record(signatory, AuditAction.DOSSIER_CREATED, dossier=dossier, target=dossier.name, own=True)
    return dossier


@receiver(two_factor_required, dispatch_uid="dossiers.firm_requires_two_factor")
def firm_requires_two_factor(sender, user, **kwargs):
    return DossierMembership.objects.filter(user=user, dossier__firm__requires_two_factor=True).exists()
