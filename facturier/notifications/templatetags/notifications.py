from django import template
from django.db.models import Count, Window

from facturier.notifications.queries import visible_notifications
from facturier.notifications.wording import sentence

register = template.Library()
LATEST = 5


@register.inclusion_tag("notifications/menu.html", takes_context=True)
def notifications_menu(context):
    """The header's list: the latest unread notifications and how many there are, in one query."""
    user = context["request"].user
    latest = list(visible_notifications(user).filter(read_at=None).annotate(total=Window(Count("id")))[:LATEST])
    return {"unread": latest[0].total if latest else 0, "latest": latest}


register.filter("sentence", sentence)
