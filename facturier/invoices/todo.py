"""Which open tasks are a person's ("Mes tâches"), across dossiers or in one.

A task is someone's when it names them (``assignee``), when it is for the firm
(``for_firm``) and they work its dossier on the firm side (admin of the firm, or
assigned with the platform delegation), or when it is for the client
(``for_client``) and they are a client user holding the right the task calls
for: a task about a purchase invoice goes to those who handle purchases, one
about a sales invoice to those who issue sales, one about no invoice to any
client user who is not read-only. Only dossiers the person can open count, so a
task never leaks a dossier.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Window

from facturier.dossiers import access
from facturier.invoices.models import Direction, Task

SHOWN = 10


def open_tasks(user):
    """The person's open tasks across the dossiers they can open, oldest first."""
    if not user.is_authenticated:
        return Task.objects.none()
    manages, issues, handles = access.client_rights(user)
    client_side = (
        (Q(invoice__direction=Direction.SALES) & issues)
        | (Q(invoice__direction=Direction.PURCHASE) & handles)
        | (Q(invoice__isnull=True) & (manages | issues | handles))
    )
    return (
        Task.objects.filter(done_at__isnull=True, dossier__in=access.openable_dossiers(user))
        .filter(Q(assignee=user) | (Q(for_firm=True) & access.works_on_firm_side(user))
                | (Q(for_client=True) & client_side))
        .select_related("dossier", "invoice", "anomaly")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class TaskList:
    count: int
    shown: list


def dossier_tasks(user, dossier, size=SHOWN):
    """The count of the person's open tasks in ``dossier`` and the oldest ``size`` of them, in one query."""
    tasks = list(open_tasks(user).filter(dossier=dossier).annotate(open_count=Window(Count("pk")))[:size])
    return TaskList(tasks[0].open_count if tasks else 0, tasks)
