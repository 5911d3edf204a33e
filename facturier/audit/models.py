"""The audit trail: who did what, when, in which firm and dossier.

Events are write-once and hash-chained like the archive: each event's chain
hash covers the previous event's and every field of its own, database triggers
(migration 0003, ``triggers``) refuse any change but the platform's own nulling
of a deleted user, firm or dossier, and the archive's signed checkpoints record
the chain's head. The ids an event was recorded with stay in ``parties``, so the
hash still checks once a link was nulled.

Appends lock the single ``AuditChainHead`` row until their transaction commits:
record events late in a transaction, and after any archive append (the archive's
dossier head is always locked first, so the two locks never deadlock).
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

GENESIS_HASH = hashlib.sha256(b"facturier-audit/v1").hexdigest()


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)
    firm = models.ForeignKey("firms.Firm", null=True, on_delete=models.SET_NULL, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, on_delete=models.SET_NULL, related_name="+")
    target = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    sequence = models.PositiveBigIntegerField(null=True, unique=True)
    parties = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    chain_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["firm", "-at"]), models.Index(fields=["dossier", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"

    def compute_chain_hash(self):
        return event_hash(self.previous_hash, self.sequence, self.at, self.action, self.parties, self.target,
                          self.detail)

    def parties_match(self):
        """The links still name the recorded ids, or were nulled by a deletion."""
        current = [self.actor_id, self.firm_id, self.dossier_id]
        recorded = [int(part) if part else None for part in self.parties.split("/")]
        return all(now is None or now == then for now, then in zip(current, recorded, strict=True))


class AuditChainHead(models.Model):
    """The one row appends lock, and the tail the checkpoints sign."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)


def event_hash(previous_hash, sequence, at, action, parties, target, detail):
    """SHA-256 of the canonical JSON of the event (its detail as the database gives it back)."""
    fields = [previous_hash, sequence, at.astimezone(datetime.UTC).isoformat(timespec="microseconds"), action,
              parties, target, json.loads(json.dumps(detail))]
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def parties_of(actor_id, firm_id, dossier_id):
    return "/".join("" if pk is None else str(pk) for pk in (actor_id, firm_id, dossier_id))


def record(actor, action, *, firm=None, dossier=None, target="", **detail):
    """Append one event; ``actor`` may be None for the platform itself."""
    if dossier is not None and firm is None:
        firm = dossier.firm
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        firm=firm,
        dossier=dossier,
        target=str(target),
        detail=detail,
    )
    return record_many([event])[0]


def record_many(events, batch_size=1000):
    """Append unsaved events in one go, chained in the order given (e.g. a whole import)."""
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get_or_create(pk=1)[0]
        for event in events:
            event.at = timezone.now()
            event.parties = parties_of(event.actor_id, event.firm_id, event.dossier_id)
            event.sequence, event.previous_hash = head.last_sequence + 1, head.last_hash
            event.chain_hash = event.compute_chain_hash()
            head.last_sequence, head.last_hash = event.sequence, event.chain_hash
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
        head.save(update_fields=["last_sequence", "last_hash"])
    return events


def chain_head():
    head = AuditChainHead.objects.filter(pk=1).first()
    return (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)


def first_break():
    """``(sequence, reason)`` of the first event that fails its chain, or None when the trail is intact.

    Reasons: ``unchained`` (an event written around ``record``), ``missing`` (a gap in the
    sequence), ``link_broken``, ``changed``, ``tail_missing``.
    """
    if AuditEvent.objects.filter(sequence__isnull=True).exists():
        return 0, "unchained"
    expected, previous_hash = 1, GENESIS_HASH
    for event in AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected:
            return expected, "missing"
        if event.previous_hash != previous_hash:
            return expected, "link_broken"
        if event.compute_chain_hash() != event.chain_hash or not event.parties_match():
            return expected, "changed"
        previous_hash, expected = event.chain_hash, expected + 1
    if chain_head() != (expected - 1, previous_hash):
        return expected, "tail_missing"
    return None
