"""Pulling a dossier's incoming flows from its accredited platform.

    pull(inbox)    # walk the platform's search for new In flows, then take in every pending one
    pull_all()     # every connected dossier whose platform is not asking us to wait (the worker's sweep)

A walk asks ``POST /v1/flows/search`` for the ``In`` flows updated after the
inbox's mark, a page at a time. Each page is noted (one ``ReceivedFlow`` row per
flow, inserted once whoever else notes it) together with the cursor to the next
page, in one transaction: a walk cut short (the platform down, the worker
killed) resumes at that cursor. At the end of a walk the mark moves to the
latest ``updatedAt`` seen, less ``OVERLAP``: a flow the platform dated a little
earlier but committed later is still listed by the next walk, and listing a flow
twice costs nothing (its row exists).

The pending rows are then taken in, oldest first (``taking.take_in``), each
file fetched with ``GET /v1/flows/{id}?docType=Original``. Each row is first
claimed for ``CLAIM``: pulls running at once (one per worker) share the pending
flows instead of fetching the same files and waiting on each other's rows, and
a pull that dies midway lets its row fall due again. A platform that is
down or answers 429/5xx stops the pull (the rows stay pending, the next sweep
goes on, after ``Retry-After`` when the platform gave one); a flow that cannot
be taken now (a status whose invoice has not arrived, a file the platform does
not give) is tried again later with a growing delay, and after
``MAX_ATTEMPTS`` is left failed, for a person to see.
"""

import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from facturier.accredited.client import PlatformClient, PlatformRefused, PlatformUnavailable
from facturier.accredited.models import connection_for
from facturier.accredited.receiving.models import Inbox, ReceivedFlow
from facturier.accredited.receiving.subscription import subscribe
from facturier.accredited.receiving.taking import NotYetMatched, take_in
from facturier.dossiers.models import Dossier, DossierStatus

logger = logging.getLogger(__name__)

PAGE_SIZE = 100  # the most the specification lets a page hold
OVERLAP = datetime.timedelta(minutes=10)
BATCH = 50  # pending rows read at a time: memory stays flat however many wait
MAX_ATTEMPTS = 10
CLAIM = datetime.timedelta(minutes=5)  # longer than fetching and taking in the largest file
FIRST_RETRY = datetime.timedelta(seconds=30)
LONGEST_WAIT = datetime.timedelta(hours=6)
DOWN_WAIT = datetime.timedelta(seconds=60)  # a platform down without a Retry-After
RETRIES = 3  # tries of one request within a pull
LONGEST_INLINE_WAIT = 5  # seconds a pull waits for a platform that asked to (Retry-After) before giving up


@dataclass
class Pulled:
    listed: int = 0
    taken: int = 0


def backoff(attempts):
    """30 s, 1 min, 2 min, … capped at 6 h."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def inbox_for(dossier_connection):
    """The inbox of a dossier on the connection it uses now, made the first time."""
    inbox, _ = Inbox.objects.get_or_create(
        connection=dossier_connection.connection, dossier=dossier_connection.dossier,
        defaults={"organization_id": dossier_connection.organization_id})
    if inbox.organization_id != dossier_connection.organization_id:
        inbox.organization_id = dossier_connection.organization_id
        inbox.save(update_fields=["organization_id"])
    inbox.dossier = dossier_connection.dossier
    return inbox


def client_for(inbox):
    return PlatformClient(inbox.connection, organization_id=inbox.organization_id)


def connected_inboxes(dossiers=None):
    """The inbox of each active dossier that uses a connection: its own, or its firm's default."""
    dossiers = Dossier.objects.all() if dossiers is None else dossiers
    dossiers = dossiers.filter(status=DossierStatus.ACTIVE).filter(
        Q(platform_connection__isnull=False) | Q(firm__platform_connections__is_default=True)).distinct()
    for dossier in list(dossiers.order_by("pk")):  # read first: the pulls write while this goes on
        link = connection_for(dossier)
        if link is not None:
            yield inbox_for(link)


def pull_all(now=None):
    """Pull every connected active dossier; how many flows were taken in. One platform down stops only its own."""
    now = now or timezone.now()
    taken = 0
    for inbox in connected_inboxes():
        if inbox.next_pull_at and inbox.next_pull_at > now:
            continue
        taken += pull_quietly(inbox).taken
    return taken


def pull_quietly(inbox):
    """``pull``, with what went wrong noted on the inbox (and the next pull delayed) rather than raised.

    With ``ACCREDITED_WEBHOOKS`` an inbox not yet subscribed to its platform's webhook subscribes first.
    """
    try:
        if settings.ACCREDITED_WEBHOOKS and not inbox.webhook_id:
            subscribe(inbox)
        pulled = pull(inbox)
    except PlatformUnavailable as down:
        wait = datetime.timedelta(seconds=down.retry_after) if down.retry_after else DOWN_WAIT
        _note(inbox, str(down), timezone.now() + wait)
        logger.warning("Platform of inbox %s unavailable: %s", inbox.pk, down)
        return Pulled()
    except PlatformRefused as refused:
        _note(inbox, str(refused), timezone.now() + DOWN_WAIT)
        logger.warning("Platform of inbox %s refused the pull: %s", inbox.pk, refused)
        return Pulled()
    _note(inbox, "", None)
    return pulled


def pull(inbox, *, client=None):
    """Walk the platform's new flows, then take the pending ones in; raises what the platform raised."""
    if client is None:
        with client_for(inbox) as client:
            return pull(inbox, client=client)
    listed = walk(inbox, client)
    return Pulled(listed=listed, taken=take_pending(inbox, client))


def walk(inbox, client):
    """Note every In flow updated after the inbox's mark; how many the platform listed."""
    listed = 0
    while True:
        inbox.refresh_from_db(fields=["updated_after", "cursor", "newest_seen"])
        where = {"flowDirection": ["In"]}
        if inbox.updated_after:
            where["updatedAfter"] = inbox.updated_after.isoformat().replace("+00:00", "Z")
        try:
            page = patiently(client.search_flows, where, limit=PAGE_SIZE, cursor=inbox.cursor or None)
        except PlatformRefused as refused:
            if not inbox.cursor or refused.status != 400:
                raise
            logger.warning("Inbox %s: the platform no longer knows its cursor; walking again from the mark", inbox.pk)
            Inbox.objects.filter(pk=inbox.pk).update(cursor="")
            continue
        results = [flow for flow in page.get("results") or [] if flow.get("flowDirection", "In") == "In"]
        listed += len(results)
        _note_page(inbox, results, page.get("nextCursor") or "")
        if not page.get("nextCursor"):
            return listed


def _note_page(inbox, results, next_cursor):
    """The page's flows noted and the walk's position moved, together."""
    seen = [moment for moment in (_moment(flow.get("updatedAt")) for flow in results) if moment]
    newest = max([*seen, *([inbox.newest_seen] if inbox.newest_seen else [])], default=None)
    with transaction.atomic():
        note_flows(inbox, results)
        if next_cursor:
            Inbox.objects.filter(pk=inbox.pk).update(cursor=next_cursor, newest_seen=newest)
        else:
            mark = newest - OVERLAP if newest else inbox.updated_after
            if inbox.updated_after and mark and mark < inbox.updated_after:
                mark = inbox.updated_after
            Inbox.objects.filter(pk=inbox.pk).update(cursor="", newest_seen=None, updated_after=mark)


def note_flows(inbox, flows):
    """A pending row for each flow (the ``Flow`` schema's dicts) not noted yet; those already noted stay as they are."""
    rows = [ReceivedFlow(connection_id=inbox.connection_id, inbox=inbox, flow_id=str(flow["flowId"])[:64],
                         flow_type=str(flow.get("flowType") or "")[:40], syntax=str(flow.get("flowSyntax") or "")[:10],
                         name=str(flow.get("name") or "")[:255], platform_updated_at=_moment(flow.get("updatedAt")))
            for flow in flows if flow.get("flowId")]
    ReceivedFlow.objects.bulk_create(rows, ignore_conflicts=True)


def take_pending(inbox, client):
    """Take in the inbox's pending flows whose time has come, oldest first; how many this call took."""
    taken = 0
    while True:
        due = list(ReceivedFlow.objects.filter(inbox=inbox, state=ReceivedFlow.State.PENDING,
                                               next_attempt_at__lte=timezone.now())
                   .select_related("inbox__dossier").order_by("platform_updated_at", "pk")[:BATCH])
        if not due:
            return taken
        for received in due:
            if claim(received):
                taken += take_one(received, client)


def claim(received):
    """Hold ``received`` for this pull for ``CLAIM``; False when another pull holds it or took it meanwhile."""
    now = timezone.now()
    return bool(ReceivedFlow.objects.filter(pk=received.pk, state=ReceivedFlow.State.PENDING,
                                            next_attempt_at__lte=now).update(next_attempt_at=now + CLAIM))


def take_one(received, client):
    """Fetch and take in one flow; 1 if this call took it. ``PlatformUnavailable`` stops the pull."""
    try:
        data = patiently(client.get_flow, received.flow_id, doc_type="Original")
        return int(take_in(received, data))
    except PlatformRefused as refused:
        postpone(received, str(refused))
    except NotYetMatched as unmatched:
        postpone(received, str(unmatched))
    except PlatformUnavailable:
        # Not the flow's fault: due again at once, for the next pull (after the platform's wait).
        ReceivedFlow.objects.filter(pk=received.pk, state=ReceivedFlow.State.PENDING).update(
            next_attempt_at=timezone.now())
        raise
    except Exception as error:  # a bug on one flow must not hold the others up
        logger.exception("Incoming flow %s could not be taken in", received.flow_id)
        postpone(received, f"{type(error).__name__}: {error}")
    return 0


def patiently(call, *args, **kwargs):
    """``call``, tried again when the platform asks for a short wait (429/5xx), ``RETRIES`` times at most.

    A platform asking for a longer wait than ``LONGEST_INLINE_WAIT`` stops the pull at once: the sweep
    comes back after its ``Retry-After``.
    """
    attempt = 1
    while True:
        try:
            return call(*args, **kwargs)
        except PlatformUnavailable as down:
            wait = down.retry_after if down.retry_after is not None else 1
            if attempt >= RETRIES or wait > LONGEST_INLINE_WAIT:
                raise
        attempt += 1
        time.sleep(wait)


def postpone(received, error):
    """Try the flow again later; after ``MAX_ATTEMPTS`` leave it failed, for a person to see."""
    attempts = received.attempts + 1
    pending = ReceivedFlow.objects.filter(pk=received.pk, state=ReceivedFlow.State.PENDING)
    if attempts >= MAX_ATTEMPTS:
        pending.update(state=ReceivedFlow.State.FAILED, attempts=F("attempts") + 1, last_error=error)
        logger.warning("Incoming flow %s given up after %s attempts: %s", received.flow_id, attempts, error)
    else:
        pending.update(attempts=F("attempts") + 1, last_error=error,
                       next_attempt_at=timezone.now() + backoff(attempts))


def _note(inbox, error, next_pull_at):
    Inbox.objects.filter(pk=inbox.pk).update(last_error=error[:2000], next_pull_at=next_pull_at,
                                             last_pulled_at=timezone.now())


def _moment(value):
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None
