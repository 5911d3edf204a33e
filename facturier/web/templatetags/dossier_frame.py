"""The frame around every page inside a dossier: the top bar (switcher, settings gear) and
the dossier menu (with the person's open task count).

Pages extend ``web/dossier.html`` and pass ``dossier`` (and ``active_menu``); the frame
asks for the rest itself, so no view builds it and every page shows the same one.
"""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from facturier.collation import french
from facturier.dossiers import access
from facturier.invoices.todo import open_tasks

register = template.Library()

SWITCHER_SIZE = 200  # the top bar lists this many dossiers; firm staff reach the rest from the client list


@dataclass(frozen=True)
class Frame:
    switchable: list
    firm_membership: object
    settings_url: str | None
    task_count: int


@register.simple_tag(takes_context=True)
def dossier_frame(context):
    """The frame's figures, computed once per request (the top bar and the menu both ask)."""
    request, dossier = context["request"], context["dossier"]
    cached = getattr(request, "_dossier_frame", None)
    if cached is None or cached[0] != dossier.pk:
        request._dossier_frame = (dossier.pk, _frame(context, request.user, dossier))
    return request._dossier_frame[1]


def _frame(context, user, dossier):
    rights = context.get("rights") or access.dossier_rights(user, dossier)
    counted = (context.get("dashboard") or {}).get("tasks")  # the home has counted them already
    return Frame(
        switchable=list(access.openable_dossiers(user).only("pk", "name").order_by(french("name"), "pk")
                        [:SWITCHER_SIZE]),
        firm_membership=access.firm_memberships(user).filter(firm=dossier.firm_id).first(),
        settings_url=reverse("dashboard:settings", args=[dossier.pk]) if rights.can_open_settings else None,
        task_count=counted.count if counted is not None else open_tasks(user).filter(dossier=dossier).count(),
    )
