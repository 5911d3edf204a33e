"""The one place that scopes tenant data to the person asking.

Every view that shows firm or dossier data gets its querysets from here, so a
rule of the access model is written once. Anything outside a person's scope is
answered with 404, never with someone else's data. The firm-level answers
(who works in which firm) come from ``firms.access``, below the dossiers.

- Firm staff see the dossiers assigned to them; firm admins (chartered
  accountants and delegated admins) see all of the firm's.
- A firm member without the platform delegation sees nothing of the firm.
- Nobody, the firm included, enters a dossier before it is active.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from facturier.dossiers.models import Assignment, Dossier, DossierMembership, DossierStatus
from facturier.firms.access import firm_memberships, get_firm_membership_or_404  # noqa: F401  (asked here too)
from facturier.firms.models import FirmMembership


def listed_dossiers(membership):
    """The dossiers a firm member sees in the firm's client list."""
    dossiers = Dossier.objects.filter(firm=membership.firm)
    if membership.can_administer:
        return dossiers
    return dossiers.filter(assignments__user=membership.user)


def assigned_dossiers(membership):
    """The dossiers of the firm assigned to the member (their own dashboard), admins included."""
    return Dossier.objects.filter(firm=membership.firm, assignments__user=membership.user)


def get_listed_dossier_or_404(membership, dossier_id):
    try:
        return listed_dossiers(membership).get(pk=dossier_id)
    except (Dossier.DoesNotExist, ValueError):
        raise Http404 from None


def openable_dossiers(user):
    """The active dossiers a person may enter: as a client user or as firm staff."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return Dossier.objects.filter(status=DossierStatus.ACTIVE).filter(
        Exists(DossierMembership.objects.filter(dossier=OuterRef("pk"), user=user)) | works_on_firm_side(user, "")
    )


def works_on_firm_side(user, dossier_path="dossier"):
    """On rows linked to a dossier by ``dossier_path`` (``""`` for dossiers themselves): the person
    works that dossier for its firm, as an admin of the firm or as assigned staff with the delegation."""
    prefix = f"{dossier_path}__" if dossier_path else ""
    delegated = FirmMembership.objects.delegated().filter(user=user, firm=OuterRef(f"{prefix}firm"))
    assigned = Assignment.objects.filter(user=user, dossier=OuterRef(dossier_path or "pk"))
    return Exists(delegated.administering()) | (Exists(assigned) & Exists(delegated))


def client_rights(user, dossier_path="dossier"):
    """On rows linked to a dossier by ``dossier_path``: which rights the person holds there as a
    client user (the owner holds them all), as ``(manage_users, issue_sales, handle_purchases)``."""
    memberships = DossierMembership.objects.filter(user=user, dossier=OuterRef(dossier_path))
    return (
        Exists(memberships.filter(Q(is_owner=True) | Q(can_manage_users=True))),
        Exists(memberships.filter(Q(is_owner=True) | Q(can_issue_sales=True))),
        Exists(memberships.filter(Q(is_owner=True) | Q(can_handle_purchases=True))),
    )


def assigned_staff(dossier):
    """The firm staff assigned to the dossier who work on the platform (with the delegation)."""
    delegated = FirmMembership.objects.delegated().filter(firm=dossier.firm_id).values("user")
    return [a.user for a in Assignment.objects.filter(dossier=dossier, user__in=delegated).select_related("user")]


def get_open_dossier_or_404(user, dossier_id):
    try:
        return openable_dossiers(user).select_related("firm").get(pk=dossier_id)
    except (Dossier.DoesNotExist, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class DossierRights:
    """What a person may do inside a dossier they can open."""

    is_firm_side: bool
    can_manage_users: bool
    can_issue_sales: bool
    can_handle_purchases: bool

    @property
    def is_read_only(self):
        return not (self.can_manage_users or self.can_issue_sales or self.can_handle_purchases)

    @property
    def can_open_settings(self):
        """The dossier settings (the gear): the firm side, and client users who manage users."""
        return self.is_firm_side or self.can_manage_users

    @property
    def can_see_accounting(self):
        """"Attente intégration", the CSV and past exports: the firm side and client users who are not read-only."""
        return self.is_firm_side or not self.is_read_only

    @property
    def can_do_accounting(self):
        """Exporting, undoing an export, the accounting settings: the firm side and the client's user managers."""
        return self.is_firm_side or self.can_manage_users


def dossier_rights(user, dossier):
    membership = DossierMembership.objects.filter(dossier=dossier, user=user).first()
    if membership is not None:
        return DossierRights(
            is_firm_side=False,
            can_manage_users=membership.is_owner or membership.can_manage_users,
            can_issue_sales=membership.is_owner or membership.can_issue_sales,
            can_handle_purchases=membership.is_owner or membership.can_handle_purchases,
        )
    # Firm staff who can open the dossier act on its invoices, but the client's
    # users are the client's business.
    return DossierRights(is_firm_side=True, can_manage_users=False, can_issue_sales=True, can_handle_purchases=True)


def get_dossier_for_or_403(user, dossier_id, right):
    """The dossier and the person's rights in it, if they hold ``right`` (a ``DossierRights`` attribute):
    404 outside the dossiers they can open, 403 inside without the right."""
    dossier = get_open_dossier_or_404(user, dossier_id)
    rights = dossier_rights(user, dossier)
    if not getattr(rights, right):
        raise PermissionDenied
    return dossier, rights
