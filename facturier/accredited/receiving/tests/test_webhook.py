"""The webhook an accredited platform calls: signed as XP Z12-013 says, or refused unread."""

import json
import time

from django.urls import reverse

from facturier.accredited.receiving.models import Inbox, ReceivedFlow
from facturier.webhooks.models import new_signing_key
from facturier.webhooks.signing import signed_headers

FLOW = {"flowId": "0b7c4d0e-5a1f-4f57-9b1e-0d3c6a2e8f11", "name": "F-1.xml", "flowSyntax": "CII",
        "flowType": "SupplierInvoice", "flowDirection": "In", "updatedAt": "2026-11-27T10:00:00Z",
        "acknowledgement": {"status": "Ok"}}


def subscribed(inbox):
    inbox.webhook_id, inbox.signing_key = "hook-1", new_signing_key()
    inbox.save()
    return inbox


def call(client, inbox, body, headers):
    return client.post(reverse("accredited_receiving:webhook", args=[inbox.token]), body,
                       content_type="application/json", headers=headers)


def test_a_signed_callback_notes_the_flow_once_and_pulls(client, inbox, django_capture_on_commit_callbacks):
    inbox = subscribed(inbox)
    body = json.dumps(FLOW).encode()
    with django_capture_on_commit_callbacks(execute=True):
        assert call(client, inbox, body, signed_headers(inbox.signing_key, body)).status_code == 204
    assert call(client, inbox, body, signed_headers(inbox.signing_key, body)).status_code == 204  # sent again
    [row] = ReceivedFlow.objects.all()
    assert (row.flow_id, row.flow_type, row.state) == (FLOW["flowId"], "SupplierInvoice", "pending")
    inbox.refresh_from_db()
    assert "ne répond pas" in inbox.last_error, "the pull the callback queued tried the platform"


def test_a_forged_stale_or_unsigned_callback_is_refused_unread(client, inbox):
    inbox = subscribed(inbox)
    body = json.dumps(FLOW).encode()
    forged = signed_headers(new_signing_key(), body)
    stale = signed_headers(inbox.signing_key, body, timestamp=time.time() - 3600)
    altered = signed_headers(inbox.signing_key, body)
    for headers, sent in ((forged, body), (stale, body), ({}, body), (altered, body.replace(b"F-1", b"F-2"))):
        assert call(client, inbox, sent, headers).status_code == 401
    assert not ReceivedFlow.objects.exists()


def test_an_inbox_not_subscribed_or_unknown_takes_no_callback(client, inbox):
    body = json.dumps(FLOW).encode()
    assert call(client, inbox, body, signed_headers(new_signing_key(), body)).status_code == 401
    unknown = Inbox(token="6f1c7d2e-3b0a-4c8e-9a51-2f4d8e7b1c30")
    assert call(client, unknown, body, {}).status_code == 404
    assert client.get(reverse("accredited_receiving:webhook", args=[inbox.token])).status_code == 405


def test_a_signed_body_that_names_no_flow_is_a_bad_request(client, inbox):
    inbox = subscribed(inbox)
    body = b'{"hello": "world"}'
    assert call(client, inbox, body, signed_headers(inbox.signing_key, body)).status_code == 400
