"""The hash chain that makes any change to a dossier's archive detectable.

Each record's chain hash is the SHA-256 of a canonical JSON array holding the
previous record's chain hash and every field of the record, content digest
included. Changing a byte of a file, a field of a row, removing a row or
swapping two rows therefore breaks the chain at the first record concerned.
The first record of a dossier links to a genesis hash derived from the
dossier's id, so a chain cannot be moved to another dossier unnoticed.

The layout below is part of the archive's format: records already archived were
sealed with it, so it never changes (a new layout would need a new version
prefix and a verifier that knows both).
"""

import datetime
import hashlib
import json

GENESIS_PREFIX = "facturier-archive/v1/dossier/"
RETENTION_YEARS = 10


def genesis_hash(dossier_id):
    return hashlib.sha256(f"{GENESIS_PREFIX}{dossier_id}".encode()).hexdigest()


def content_digest(content):
    return hashlib.sha256(content).hexdigest()


def timestamp(moment):
    """The canonical text of a time: UTC, ISO 8601, microseconds."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def reference_label(app_label, model, pk):
    if not (app_label or model or pk):
        return ""
    return f"{app_label}.{model}:{pk}"


def chain_hash(
    *, previous_hash, sequence, kind, filename, media_type, size, sha256, created_at, retain_until, period, reference
):
    fields = [
        previous_hash,
        sequence,
        kind,
        filename,
        media_type,
        size,
        sha256,
        timestamp(created_at),
        timestamp(retain_until),
        period.isoformat(),
        reference,
    ]
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def retention_end(created_at):
    """Ten years to the day; 29 February ends on 28 February."""
    try:
        return created_at.replace(year=created_at.year + RETENTION_YEARS)
    except ValueError:
        return created_at.replace(year=created_at.year + RETENTION_YEARS, day=28)
