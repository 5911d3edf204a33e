"""The left menu of every page of a firm's space, with the firm's own dossier at its top (seed page 8).

Pages extend ``web/firm.html`` and pass ``membership`` (the person's in the firm),
``firm`` and ``active_menu``.
"""

from django import template

from facturier.dossiers.models import Dossier

register = template.Library()


@register.simple_tag
def own_dossier(firm):
    """The firm's own dossier and its free invoices counter."""
    return (
        Dossier.objects.filter(firm_id=firm.pk, is_firm_own=True)
        .only("pk", "name", "status", "free_invoices", "firm_id")
        .first()
    )
