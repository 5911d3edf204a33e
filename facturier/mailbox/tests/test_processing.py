"""The SMTP session only stores and queues; the worker files each message once, whatever runs twice."""

import datetime
import time

import pytest
from django.utils import timezone

from facturier.invoices.models import IncomingFile, Invoice
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
from facturier.mailbox import delivery
from facturier.mailbox.models import MailMessage
from facturier.mailbox.tests.conftest import message, send
from facturier.testing.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued(mail_settings):
    """Tasks go to the database queue: nothing runs until a worker takes them."""
    mail_settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return mail_settings


def test_the_session_answers_before_the_message_is_read(queued, listener, world, address):
    from django_tasks_db.models import DBTaskResult

    xml = purchase_cii(world.active.siren, number="F-Q1")
    started = time.monotonic()
    send(listener.port, message(address, attachments=[("f.xml", xml, "text/xml")]))
    assert time.monotonic() - started < 5
    mail = MailMessage.objects.get()
    assert mail.state == "queued" and bytes(mail.raw).count(b"f.xml") >= 1 and not IncomingFile.objects.exists()
    task = DBTaskResult.objects.get(task_path__endswith="process_message")
    assert task.args_kwargs["args"] == [mail.pk]
    assert delivery.process(mail.pk).outcome == "files"
    assert Invoice.objects.get().number == "F-Q1"


def test_two_workers_given_the_same_message_file_it_once(queued, listener, world, address):
    xml = purchase_cii(world.active.siren, number="F-Q2")
    send(listener.port, message(address, attachments=[("f.xml", xml, "text/xml")]))
    pk = MailMessage.objects.get().pk
    results, errors = at_once(lambda index: delivery.process(pk), 2)
    assert errors == [] and sum(result is not None for result in results) == 1
    assert IncomingFile.objects.count() == 1 and Invoice.objects.count() == 1


def test_a_message_left_queued_is_queued_again_then_given_up(queued, listener, world, address, settings):
    from django_tasks_db.models import DBTaskResult

    send(listener.port, message(address))
    mail = MailMessage.objects.get()
    assert delivery.requeue_stuck() == 0  # not late yet
    MailMessage.objects.filter(pk=mail.pk).update(queued_at=timezone.now() - datetime.timedelta(hours=1))
    assert delivery.requeue_stuck() == 1 and delivery.requeue_stuck() == 0
    assert DBTaskResult.objects.filter(task_path__endswith="process_message").count() == 2
    MailMessage.objects.filter(pk=mail.pk).update(queued_at=timezone.now() - datetime.timedelta(hours=1), runs=3)
    assert delivery.requeue_stuck() == 0
    assert MailMessage.objects.get().state == "queued"  # kept, with its bytes, for someone to look at
