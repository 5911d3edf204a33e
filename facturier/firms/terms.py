"""Accepting the terms of use opens a firm's space (seed pages 4–6).

Only a chartered accountant accepts, once per firm. Accepting is announced
(``firms.signals.terms_accepted``): the dossiers app creates the firm's own
dossier (its first invoices are free) and invites the signatory to activate it.
"""

from django.db import transaction
from django.utils import timezone

from facturier.audit.models import record
from facturier.firms.models import Firm
from facturier.firms.signals import terms_accepted


class TermsAlreadyAccepted(Exception):
    pass


def accept_terms(membership):
    """Accept for ``membership.firm``, then announce it once the acceptance is committed.

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
        record(user, "terms_accepted", firm=firm, target=firm.name)
    terms_accepted.send(sender=Firm, firm=firm, signatory=user)
    return firm
