"""Background work of the mailbox: ``process_message(pk)`` files a message accepted by the listener."""

from django_tasks import task

from facturier.mailbox import delivery


@task()
def process_message(message_pk):
    message = delivery.process(message_pk)
    return message.outcome if message is not None else None
