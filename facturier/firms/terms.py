"""Accepting the terms of use opens a firm's space (seed pages 4–6).

Only a chartered accountant accepts, once per firm. Accepting creates the
firm's own dossier (its first invoices are free) and invites the signatory to
activate it.
"""

from django.db import transaction
from django.utils import timezone

from facturier.audit.models import AuditAction, record
from facturier.dossiers.activation import send_owner_invitation
from facturier.dossiers.models import Dossier
from facturier.firms.models import FREE_INVOICES, Firm


class TermsAlreadyAccepted(Exception):
    pass


def accept_terms(membership):
    """Accept for ``membership.firm``; return the firm's own dossier.

    The firm row is locked so two accountants clicking at once accept once.
    """
    if not membership.is_chartered_accountant:
        raise PermissionError("only a chartered accountant accepts the terms")
    user = membership.user
    with transaction.atomic():
        firm = Firm.objects.select_for_update().get(pk=membership.firm_id)
        if firm.is_open:
            raise TermsAlreadyAccepted(firm)
        firm.terms_accepted_at = timezone.now()
        firm.terms_accepted_by = user
        firm.save(update_fields=["terms_accepted_at", "terms_accepted_by"])
        record(user, AuditAction.TERMS_ACCEPTED, firm=firm, target=firm.name)
        own = create_own_dossier(firm, user)
    send_owner_invitation(own, by=user)
    return own


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
