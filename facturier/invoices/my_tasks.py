"""Which open tasks are a person's ("Mes tâches").

A task is someone's when it names them (``assignee``), when it is for the firm
(``for_firm``) and they work the dossier on the firm side (assigned with the
platform delegation, or admin of its firm), or when it is for the client
(``for_client``) and they are a client user holding the right the task's
invoice calls for (sales: issuing, purchases: handling; the owner holds both).
Only dossiers the person can open count, so a task never leaks a dossier.
"""

from django.db.models import Exists, OuterRef, Q

from facturier.dossiers import access
from facturier.dossiers.models import Assignment, DossierMembership
from facturier.firms.models import FirmMembership
from facturier.invoices.models import Direction, Task


def firm_side(user):
    """``Q`` on a task: the person works its dossier for the firm."""
    delegated = FirmMembership.objects.filter(user=user, has_delegation=True, firm=OuterRef("dossier__firm"))
    admin = delegated.filter(Q(role="chartered_accountant") | Q(is_admin=True))
    assigned = Assignment.objects.filter(user=user, dossier=OuterRef("dossier"))
    return Exists(admin) | (Exists(assigned) & Exists(delegated))


def client_side(user):
    """``Q`` on a task: the person is a client user of its dossier with the right its invoice needs."""
    memberships = DossierMembership.objects.filter(user=user, dossier=OuterRef("dossier"))
    can_issue = Exists(memberships.filter(Q(is_owner=True) | Q(can_issue_sales=True)))
    can_handle = Exists(memberships.filter(Q(is_owner=True) | Q(can_handle_purchases=True)))
    return (
        (Q(invoice__direction=Direction.SALES) & can_issue)
        | (Q(invoice__direction=Direction.PURCHASE) & can_handle)
        | (Q(invoice__isnull=True) & (can_issue | can_handle))
    )


def open_tasks(user):
    """The person's open tasks across the dossiers they can open, oldest first."""
    if not user.is_authenticated:
        return Task.objects.none()
    return (
        Task.objects.filter(done_at__isnull=True, dossier__in=access.openable_dossiers(user))
        .filter(Q(assignee=user) | (Q(for_firm=True) & firm_side(user)) | (Q(for_client=True) & client_side(user)))
        .select_related("dossier", "invoice")
        .order_by("created_at", "pk")
    )
