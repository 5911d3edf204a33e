"""Proving the archive intact: recompute every digest and every chain link.

Records are streamed in chain order (constant memory whatever the archive's
size) and checked one by one; the first record of a dossier that fails is
named with the reason, and that dossier's check stops there since every later
link depends on it. The other dossiers are still checked.

A chain consistent with itself may still have been cut short or recomputed by
someone with database access: each chain head is then compared with the latest
signed checkpoint (``checkpoint``), kept outside the database, and so is the
audit trail's chain.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from facturier.archive import chain, checkpoint, storage, timestamping
from facturier.archive.exceptions import ContentChanged, ContentMissing
from facturier.archive.models import ArchiveChainHead, ArchiveRecord
from facturier.audit import models as audit
from facturier.dossiers.models import Dossier

BATCH_SIZE = 2000


class Reason:
    RECORD_MISSING = "record_missing"
    REORDERED = "reordered"
    LINK_BROKEN = "link_broken"
    METADATA_CHANGED = "metadata_changed"
    CONTENT_CHANGED = "content_changed"
    CONTENT_MISSING = "content_missing"
    TAIL_MISSING = "tail_missing"
    HEAD_MISSING = "head_missing"
    TRUNCATED = "truncated"
    RECOMPUTED = "recomputed"


@dataclass(frozen=True)
class Break:
    """The first record of a dossier's chain that fails, and why."""

    dossier_id: int
    dossier_siren: str
    dossier_name: str
    sequence: int
    record_id: int | None
    reason: str
    message: str

    def __str__(self):
        return _("Dossier %(name)s (SIREN %(siren)s), enregistrement n° %(sequence)s : %(message)s") % {
            "name": self.dossier_name,
            "siren": self.dossier_siren or "-",
            "sequence": self.sequence,
            "message": self.message,
        }


@dataclass
class VerifyResult:
    dossiers_checked: int = 0
    records_checked: int = 0
    breaks: list = field(default_factory=list)
    # Problems outside any one dossier: the checkpoint's signature, the audit trail.
    problems: list = field(default_factory=list)
    checkpoint_at: str = ""

    @property
    def ok(self):
        return not self.breaks and not self.problems

    @property
    def first_break(self):
        return self.breaks[0] if self.breaks else None


def verify_chain(dossier=None, *, check_content=True):
    """Check the chain of one dossier, or of every dossier with an archive (and then the audit trail)."""
    result = VerifyResult()
    anchor = _latest_checkpoint(result)
    anchored = anchor["dossiers"] if anchor else {}
    for current in _dossiers(dossier, anchored):
        checked, broken = _verify_dossier(current, check_content=check_content)
        if broken is None and str(current.pk) in anchored:
            broken = _check_anchor(current, anchored[str(current.pk)], result.checkpoint_at)
        result.dossiers_checked += 1
        result.records_checked += checked
        if broken is not None:
            result.breaks.append(broken)
    if dossier is None:
        result.problems += _vanished_dossiers(anchored, result.checkpoint_at)
        result.problems += _audit_problems(anchor["audit"] if anchor else None, result.checkpoint_at)
    return result


def _vanished_dossiers(anchored, checkpoint_at):
    """A dossier the checkpoint knows, gone from the database with its whole archive."""
    present = set(Dossier.objects.filter(pk__in=[int(pk) for pk in anchored]).values_list("pk", flat=True))
    return [
        _("Le dossier n° %(dossier)s et ses %(count)s enregistrement(s), scellés par le point de contrôle signé du "
          "%(date)s, ont disparu") % {"dossier": pk, "count": head["sequence"], "date": checkpoint_at}
        for pk, head in anchored.items() if int(pk) not in present
    ]


def _latest_checkpoint(result):
    """The latest signed checkpoint, or None (none made yet, or no key to check it with)."""
    try:
        public_key = checkpoint.public_key()
    except checkpoint.CheckpointError:
        return None
    try:
        anchor = checkpoint.latest_index(public_key)
    except checkpoint.SignatureInvalid:
        result.problems.append(_(
            "la signature du dernier point de contrôle est invalide : il a été modifié ou signé par une autre clé"))
        return None
    if anchor is not None:
        result.checkpoint_at = anchor["made_at"]
        result.problems += _timestamp_problems()
    return anchor


def _timestamp_problems():
    """A time-stamp kept beside the checkpoint must be the TSA's, for this very file."""
    try:
        checkpoint.check_timestamp(checkpoint.latest_name(checkpoint.INDEX_DIRECTORY))
    except timestamping.TimestampError as error:
        return [_("l'horodatage du dernier point de contrôle est invalide : %(error)s") % {"error": error}]
    return []


def _check_anchor(dossier, head, checkpoint_at):
    """The record the checkpoint sealed as the dossier's head must still be there, with the same hash."""
    sealed = ArchiveRecord.objects.filter(dossier=dossier, sequence=head["sequence"]).first()
    if head["sequence"] and sealed is None:
        last = ArchiveRecord.objects.filter(dossier=dossier).order_by("-sequence").values_list(
            "sequence", flat=True).first() or 0
        return _break(dossier, last + 1, None, Reason.TRUNCATED, _(
            "enregistrement(s) %(first)s à %(last)s supprimé(s) alors que le point de contrôle signé du "
            "%(date)s les scelle") % {"first": last + 1, "last": head["sequence"], "date": checkpoint_at})
    if sealed is not None and sealed.chain_hash != head["hash"]:
        return _break(dossier, sealed.sequence, sealed.pk, Reason.RECOMPUTED, _(
            "la chaîne a été recalculée : l'empreinte de cet enregistrement diffère de celle scellée par le "
            "point de contrôle signé du %(date)s") % {"date": checkpoint_at})
    return None


def _audit_problems(head, checkpoint_at):
    problems = []
    broken = audit.first_break()
    if broken is not None:
        problems.append(_("Journal d'audit, événement n° %(sequence)s : chaîne rompue (%(reason)s)") % {
            "sequence": broken[0], "reason": broken[1]})
    if head is None or not head["sequence"]:
        return problems
    sealed = audit.AuditEvent.objects.filter(sequence=head["sequence"]).values_list("chain_hash", flat=True).first()
    if sealed is None:
        problems.append(_(
            "Journal d'audit : des événements jusqu'au n° %(sequence)s, scellés par le point de contrôle signé du "
            "%(date)s, ont disparu") % {"sequence": head["sequence"], "date": checkpoint_at})
    elif sealed != head["hash"]:
        problems.append(_(
            "Journal d'audit : la chaîne a été recalculée (l'événement n° %(sequence)s ne correspond plus au "
            "point de contrôle signé du %(date)s)") % {"sequence": head["sequence"], "date": checkpoint_at})
    return problems


def _dossiers(dossier, anchored):
    if dossier is not None:
        return [dossier]
    ids = set(ArchiveChainHead.objects.values_list("dossier_id", flat=True))
    ids.update(ArchiveRecord.objects.order_by().values_list("dossier_id", flat=True).distinct())
    ids.update(int(dossier_id) for dossier_id in anchored)
    return Dossier.objects.filter(pk__in=ids).order_by("pk").only("pk", "siren", "name")


def _verify_dossier(dossier, *, check_content):
    expected_sequence = 1
    previous_hash = chain.genesis_hash(dossier.pk)
    records = ArchiveRecord.objects.filter(dossier=dossier).order_by("sequence").iterator(chunk_size=BATCH_SIZE)
    checked = 0
    for record in records:
        checked += 1
        problem = _check_record(record, dossier, expected_sequence, previous_hash, check_content)
        if problem is not None:
            reason, message = problem
            return checked, _break(dossier, expected_sequence, record.pk, reason, message)
        previous_hash = record.chain_hash
        expected_sequence += 1
    return checked, _check_head(dossier, expected_sequence - 1, previous_hash)


def _check_record(record, dossier, expected_sequence, previous_hash, check_content):
    if record.sequence != expected_sequence:
        return Reason.RECORD_MISSING, _(
            "enregistrement(s) %(first)s à %(last)s supprimé(s) : la séquence passe de %(before)s à %(after)s"
        ) % {"first": expected_sequence, "last": record.sequence - 1, "before": expected_sequence - 1,
             "after": record.sequence}
    if record.previous_hash != previous_hash:
        return _link_problem(record, dossier)
    if record.compute_chain_hash() != record.chain_hash:
        return Reason.METADATA_CHANGED, _(
            "les données de l'enregistrement (%(filename)s) ne correspondent plus à son empreinte de chaînage"
        ) % {"filename": record.filename}
    if check_content:
        try:
            storage.check(record.sha256, record.size)
        except ContentMissing:
            return Reason.CONTENT_MISSING, _("le fichier %(filename)s est introuvable") % {"filename": record.filename}
        except ContentChanged:
            return Reason.CONTENT_CHANGED, _(
                "le contenu du fichier %(filename)s ne correspond plus à son empreinte SHA-256"
            ) % {"filename": record.filename}
    return None


def _link_problem(record, dossier):
    """Tell a record moved within the chain from one whose predecessor is gone or altered."""
    linked = (
        ArchiveRecord.objects.filter(dossier=dossier, chain_hash=record.previous_hash)
        .exclude(pk=record.pk)
        .values_list("sequence", flat=True)
        .first()
    )
    if linked is not None:
        return Reason.REORDERED, _(
            "ordre modifié : cet enregistrement suit l'enregistrement n° %(linked)s, pas le n° %(expected)s"
        ) % {"linked": linked, "expected": record.sequence - 1}
    return Reason.LINK_BROKEN, _(
        "le lien vers l'enregistrement précédent est rompu : un enregistrement a été supprimé ou modifié avant lui"
    )


def _check_head(dossier, last_sequence, last_hash):
    head = ArchiveChainHead.objects.filter(dossier=dossier).first()
    if head is None:
        if last_sequence == 0:
            return None
        return _break(dossier, last_sequence, None, Reason.HEAD_MISSING, _("la tête de chaîne du dossier a disparu"))
    if head.last_sequence == last_sequence and head.last_hash == last_hash:
        return None
    if head.last_sequence > last_sequence:
        message = _("enregistrement(s) %(first)s à %(last)s supprimé(s) en fin de chaîne") % {
            "first": last_sequence + 1, "last": head.last_sequence}
    else:
        message = _("la fin de la chaîne ne correspond plus à sa tête (enregistrement n° %(last)s)") % {
            "last": head.last_sequence}
    return _break(dossier, last_sequence + 1, None, Reason.TAIL_MISSING, message)


def _break(dossier, sequence, record_id, reason, message):
    return Break(
        dossier_id=dossier.pk,
        dossier_siren=dossier.siren,
        dossier_name=dossier.name,
        sequence=sequence,
        record_id=record_id,
        reason=reason,
        message=message,
    )
