"""Mes tâches: the open tasks of a dossier that are the reader's to do.

A task is someone's when it is assigned to them by name, or when it is
addressed to their side of the dossier:
- ``for_firm`` tasks go to everyone on the firm side who can open the dossier;
- ``for_client`` tasks go to the client users holding the right the task needs:
  a task about a purchase invoice to those who handle purchases, one about a
  sales invoice to those who issue sales, one about no invoice to any user who
  is not read-only. A read-only user sees only the tasks assigned to them.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Window

from facturier.invoices.models import Direction, Task

SHOWN = 10


def open_tasks(user, dossier, rights):
    return Task.objects.filter(dossier=dossier, done_at__isnull=True).filter(
        Q(assignee=user) | _addressed_to_side(rights)
    )


def _addressed_to_side(rights):
    if rights.is_firm_side:
        return Q(for_firm=True)
    needed = Q(pk__in=[])
    if not rights.is_read_only:
        needed |= Q(invoice__isnull=True)
    if rights.can_handle_purchases:
        needed |= Q(invoice__direction=Direction.PURCHASE)
    if rights.can_issue_sales:
        needed |= Q(invoice__direction=Direction.SALES)
    return Q(for_client=True) & needed


@dataclass(frozen=True)
class TaskList:
    count: int
    shown: list


def my_tasks(user, dossier, rights, size=SHOWN):
    """The count of open tasks and the oldest ``size`` of them, from one query."""
    tasks = list(
        open_tasks(user, dossier, rights)
        .select_related("invoice")
        .annotate(open_count=Window(Count("pk")))
        .order_by("created_at", "pk")[:size]
    )
    return TaskList(tasks[0].open_count if tasks else 0, tasks)
