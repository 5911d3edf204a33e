from django import template

from facturier.notifications.queries import visible_notifications
from facturier.notifications.wording import sentence

register = template.Library()
LATEST = 5


@register.inclusion_tag("notifications/menu.html", takes_context=True)
def notifications_menu(context):
    """The header's list: the latest unread notifications and how many there are."""
    user = context["request"].user
    unread = visible_notifications(user).filter(read_at=None)
    return {"unread": unread.count(), "latest": list(unread[:LATEST])}


register.filter("sentence", sentence)
