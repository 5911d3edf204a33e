"""What a callback of an accredited platform does (the view is in ``views``; the subscription in ``subscription``).

    authentic(inbox, body, headers)   # signed with the inbox's key, recently
    notified(inbox, body)             # note the flow it names, and have it taken in

The platform signs each callback as XP Z12-013 says (``Afnor-Signature``:
HMAC-SHA-256 with the key it returned at creation, over the body and the
``Afnor-Signature-Timestamp``); a callback whose signature does not match or
whose timestamp is outside the replay window is refused unread. A callback
only notes the flow (the same row the pull would make) and queues a pull of the
inbox: the flow is then taken in like any other, exactly once, and a status
arriving ahead of its invoice waits for it.
"""

import json

from django.db import transaction

from facturier.accredited.receiving.pull import note_flows
from facturier.webhooks.signing import verify


def authentic(inbox, body, headers):
    """Whether a callback comes from the inbox's platform, signed with its key, recently."""
    return bool(inbox.webhook_id and inbox.encrypted_signing_key) and verify(inbox.signing_key, body, headers)


def notified(inbox, body):
    """Note the flow a verified callback names and queue the inbox's pull; False for a body that names none."""
    try:
        flow = json.loads(body)
    except ValueError:
        return False
    if not isinstance(flow, dict) or not isinstance(flow.get("flowId"), str):
        return False
    if flow.get("flowDirection", "In") != "In":
        return True  # the subscription asks for In flows; anything else is no news for this inbox
    from facturier.accredited.receiving.tasks import pull_inbox

    with transaction.atomic():
        note_flows(inbox, [flow])
        transaction.on_commit(lambda: pull_inbox.enqueue(inbox.pk))
    return True
