"""Background work of the notifications: telling people of an event, and the daily digest.

Run ``send_daily_digests`` once a day (``facturier notifications digest`` from cron).
Either task may run twice: people are told once per event and e-mailed once per notification.
"""

from django_tasks import task

from facturier.invoices.models import Anomaly, LifecycleEvent
from facturier.notifications import mail
from facturier.notifications.telling import tell_about_anomaly, tell_about_event


@task()
def notify_event(event_id):
    event = LifecycleEvent.objects.select_related("invoice__dossier").get(pk=event_id)
    return mail.send_immediately([n.pk for n in tell_about_event(event)])


@task()
def notify_anomaly(anomaly_id):
    anomaly = Anomaly.objects.select_related("invoice__dossier").get(pk=anomaly_id)
    return mail.send_immediately([n.pk for n in tell_about_anomaly(anomaly)])


@task()
def send_daily_digests():
    return mail.send_digests()
