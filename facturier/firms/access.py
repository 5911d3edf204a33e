"""Who works in which firm: the firm-level answers of the access model.

``dossiers.access`` builds every dossier-level answer on these; ask there from
any app above the dossiers.
"""

from django.http import Http404

from facturier.firms.models import FirmMembership


def firm_memberships(user):
    """The firms a person works in with the platform delegation."""
    return FirmMembership.objects.delegated().filter(user=user).select_related("firm")


def get_firm_membership_or_404(user, firm_id, *, open_only=True):
    membership = firm_memberships(user).filter(firm_id=firm_id).first()
    if membership is None or (open_only and not membership.firm.is_open):
        raise Http404
    return membership
