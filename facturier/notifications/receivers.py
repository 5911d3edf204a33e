"""The notifications listen to the invoices app: statuses recorded on either side, anomalies opened."""

from django.dispatch import receiver

from facturier.invoices.signals import anomaly_raised, lifecycle_event_recorded, remote_event_recorded
from facturier.notifications.tasks import notify_anomaly, notify_event
from facturier.notifications.telling import kind_of_event


@receiver(lifecycle_event_recorded, dispatch_uid="notifications.local_event")
@receiver(remote_event_recorded, dispatch_uid="notifications.remote_event")
def tell_about_event(sender, event, **kwargs):
    if kind_of_event(event) is not None:  # most statuses are nobody's news: no task for them
        notify_event.enqueue(event.pk)


@receiver(anomaly_raised, dispatch_uid="notifications.anomaly")
def tell_about_anomaly(sender, anomaly, **kwargs):
    notify_anomaly.enqueue(anomaly.pk)
