"""The dossier menu's live figure: the person's open tasks in the dossier."""

from django import template

from facturier.invoices.my_tasks import open_tasks

register = template.Library()


@register.simple_tag(takes_context=True)
def open_task_count(context, dossier):
    """The dossier home has already counted them for its "Mes tâches" panel; other pages ask."""
    counted = (context.get("dashboard") or {}).get("tasks")
    if counted is not None:
        return counted.count
    return open_tasks(context["request"].user).filter(dossier=dossier).count()
