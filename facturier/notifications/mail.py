"""E-mailing notifications: one at once, or each person's daily digest.

Each notification is claimed (``emailed_at`` set by a conditional UPDATE) inside
the transaction that sends it: two workers never e-mail it twice, and a mail
server that refuses rolls the claim back, so the next digest carries it.
Every e-mail is written in its reader's language.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from facturier.notifications.models import Frequency, Notification
from facturier.notifications.wording import detail, headline, link, sentence

logger = logging.getLogger(__name__)


def send_immediately(notification_ids):
    """E-mail each notification whose person chose "immediate"; how many e-mails left."""
    pending = Notification.objects.filter(pk__in=notification_ids, frequency=Frequency.IMMEDIATE)
    return sum(send(notification.user, [notification.pk]) for notification in pending.select_related("user"))


def send_digests():
    """Each person's digest of what they have not read nor been e-mailed; how many e-mails left.

    Immediate notifications a mail server refused wait here too, so nothing is lost."""
    due = Notification.objects.filter(
        frequency__in=[Frequency.DAILY, Frequency.IMMEDIATE], emailed_at=None, read_at=None)
    people = {}
    for user_id, pk in due.order_by("created_at", "id").values_list("user_id", "pk"):
        people.setdefault(user_id, []).append(pk)
    users = get_user_model().objects.in_bulk(people)
    return sum(send(users[user_id], pks, digest=True) for user_id, pks in people.items())


def send(user, notification_ids, *, digest=False):
    """E-mail ``user`` the notifications of ``notification_ids`` nobody e-mailed yet: 1 if sent, else 0."""
    if not user.email or not user.is_active:
        return 0
    try:
        with transaction.atomic():
            claimed = claim(notification_ids, timezone.now())
            if not claimed:
                return 0
            compose(user, claimed, digest=digest).send(fail_silently=False)
            return 1
    except OSError:
        logger.exception("Could not e-mail notifications %s to user %s", notification_ids, user.pk)
        return 0


def claim(notification_ids, now):
    """The notifications this call marks e-mailed: those another call has not marked first."""
    rows = Notification.objects.filter(pk__in=notification_ids).select_related("dossier", "invoice")
    return [n for n in rows.order_by("created_at", "id")
            if Notification.objects.filter(pk=n.pk, emailed_at=None).update(emailed_at=now)]


def compose(user, notifications, *, digest):
    base_url = settings.BASE_URL.rstrip("/")
    with translation.override(user.language or settings.LANGUAGE_CODE):
        items = [{"text": sentence(n), "detail": detail(n), "link": base_url + link(n),
                  "dossier": n.dossier.name} for n in notifications]
        if digest:
            subject = _("Facturier : votre résumé (%(count)d notifications)") % {"count": len(items)}
        else:
            subject = f"{notifications[0].dossier.name} : {headline(notifications[0])}"
        body = render_to_string("notifications/email/notifications.txt", {
            "items": items, "digest": digest, "preferences": base_url + reverse("notifications:preferences"),
        })
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
