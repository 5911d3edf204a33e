"""Signed checkpoints: the chain heads anchored outside the database.

The hash chains prove that nothing changed *inside* a chain, but someone with
database access can delete the last records and roll the head back, or rewrite
a file and recompute every hash after it. A checkpoint records, at one moment,
the head (last sequence and chain hash) of every dossier's archive chain and of
the audit trail, signed with an Ed25519 key that is not in the database
(``ARCHIVE_SIGNING_KEY_FILE``), and is kept in the archive storage:

    checkpoints/index/<stamp>.json              every head, for ``verify``
    checkpoints/index/<stamp>.json.tsr          its RFC 3161 time-stamp, when a TSA is configured
    checkpoints/dossiers/<id>/<stamp>.json      one dossier's head, downloadable by its people

Each file is ``{"statement": {...}, "signature": base64, "public_key": base64,
"algorithm": "Ed25519"}``; the signature covers the statement's canonical JSON
(keys sorted, no spaces, UTF-8), so anyone can check it with the public key
alone. ``verify`` checks the chains against the latest index: a checkpointed
record missing is a truncation, a different hash a recomputation.

Make them periodically (``facturier archive checkpoint`` from cron), so a
rewrite can only hide what came after the last one. A checkpoint is refused
while a chain no longer holds the head the previous one sealed, so that a
forgery is never sealed in turn.
"""

import base64
import datetime
import json
import os

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from facturier.archive import chain, storage, timestamping
from facturier.archive.exceptions import ArchiveError
from facturier.archive.models import ArchiveChainHead, ArchiveRecord

FORMAT = "facturier-checkpoint/v1"
INDEX_DIRECTORY = "checkpoints/index"
DOSSIER_DIRECTORY = "checkpoints/dossiers"
TOKEN_SUFFIX = ".tsr"


class CheckpointError(ArchiveError):
    pass


class SignatureInvalid(CheckpointError):
    pass


class ChainDiverged(CheckpointError):
    """A chain no longer holds the head the previous checkpoint sealed: signing now would hide it."""

    def __init__(self, chains):
        super().__init__(f"Chains changed since the previous checkpoint: {', '.join(chains)}")
        self.chains = chains


def signing_key():
    """The private key named by ``ARCHIVE_SIGNING_KEY_FILE`` (PEM, Ed25519)."""
    path = getattr(settings, "ARCHIVE_SIGNING_KEY_FILE", "")
    if not path:
        raise CheckpointError("No signing key: set FACTURIER_ARCHIVE_SIGNING_KEY_FILE.")
    try:
        with open(path, "rb") as file:
            key = serialization.load_pem_private_key(file.read(), password=None)
    except (OSError, ValueError) as error:
        raise CheckpointError(f"Cannot read the signing key {path}: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"The signing key {path} is not an Ed25519 key.")
    return key


def generate_key_file(path):
    """Write a new Ed25519 private key (PEM, readable by its owner only)."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return path


def canonical(statement):
    return json.dumps(statement, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(statement, key):
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {
        "algorithm": "Ed25519",
        "public_key": base64.b64encode(public).decode(),
        "signature": base64.b64encode(key.sign(canonical(statement))).decode(),
        "statement": statement,
    }


def open_signed(envelope, public_key):
    """The statement of a signed envelope, once its signature is checked against ``public_key``."""
    try:
        statement = envelope["statement"]
        public_key.verify(base64.b64decode(envelope["signature"]), canonical(statement))
    except (KeyError, TypeError, ValueError, InvalidSignature) as error:
        raise SignatureInvalid("The checkpoint's signature does not match its content.") from error
    return statement


def make(now=None):
    """Sign and store a checkpoint of every chain head; return its index statement.

    With a time-stamping authority configured, the index is time-stamped too; if
    the authority fails, the signed checkpoint is kept and ``TimestampError`` raised.
    """
    from facturier.audit.models import chain_head as audit_head

    key = signing_key()
    made_at = now or timezone.now()
    stamp = made_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    previous = latest_index(key.public_key())
    previous_heads = previous["dossiers"] if previous else {}
    if diverged := diverged_since(previous):
        raise ChainDiverged(diverged)
    heads = {
        str(dossier_id): {"sequence": sequence, "hash": last_hash}
        for dossier_id, sequence, last_hash in ArchiveChainHead.objects.order_by("dossier_id").values_list(
            "dossier_id", "last_sequence", "last_hash")
    }
    audit_sequence, audit_hash = audit_head()
    index = {
        "format": FORMAT, "made_at": chain.timestamp(made_at), "dossiers": heads,
        "audit": {"sequence": audit_sequence, "hash": audit_hash},
    }
    for dossier_id, head in heads.items():
        if previous_heads.get(dossier_id) != head:
            statement = {"format": FORMAT, "made_at": index["made_at"], "dossier": int(dossier_id), **head}
            _store(f"{DOSSIER_DIRECTORY}/{dossier_id}/{stamp}.json", sign(statement, key))
    name = f"{INDEX_DIRECTORY}/{stamp}.json"
    content = _store(name, sign(index, key))
    if timestamping.is_configured():
        storage.archive_storage().save(f"{name}{TOKEN_SUFFIX}", ContentFile(timestamping.request_token(content)))
    return index


def diverged_since(previous, batch_size=2000):
    """The chains (``dossier <id>``, ``audit``) that lost or changed the head ``previous`` sealed.

    A checkpoint made after a truncation or a recomputation would seal the forgery:
    the next one is refused instead, until ``verify`` has been looked at.
    """
    from facturier.audit.models import AuditEvent

    if previous is None:
        return []
    sealed = {(int(pk), head["sequence"]): head["hash"] for pk, head in previous["dossiers"].items()
              if head["sequence"]}
    keys = sorted(sealed)
    found = {}
    for start in range(0, len(keys), batch_size):
        batch = keys[start:start + batch_size]
        rows = ArchiveRecord.objects.filter(
            dossier_id__in={pk for pk, _ in batch}, sequence__in={sequence for _, sequence in batch}
        ).values_list("dossier_id", "sequence", "chain_hash")
        found.update({(pk, sequence): chain_hash for pk, sequence, chain_hash in rows})
    diverged = [f"dossier {pk}" for (pk, sequence), chain_hash in sealed.items()
                if found.get((pk, sequence)) != chain_hash]
    audit = previous["audit"]
    if audit["sequence"] and AuditEvent.objects.filter(sequence=audit["sequence"]).values_list(
            "chain_hash", flat=True).first() != audit["hash"]:
        diverged.append("audit")
    return diverged


def _store(name, envelope):
    content = json.dumps(envelope, indent=1).encode()
    storage.archive_storage().save(name, ContentFile(content))
    return content


def check_timestamp(name):
    """The time the TSA vouches the index ``name`` existed at; None when it has no token."""
    token_name = f"{name}{TOKEN_SUFFIX}"
    archive = storage.archive_storage()
    if not archive.exists(token_name):
        return None
    with archive.open(name, "rb") as index, archive.open(token_name, "rb") as token:
        return timestamping.check(token.read(), index.read())["gen_time"]


def latest_name(directory):
    files = [name for name in storage.listdir(directory)[1] if name.endswith(".json")]
    return f"{directory}/{max(files)}" if files else None


def read_bytes(name):
    with storage.archive_storage().open(name, "rb") as file:
        return file.read()


def load(name):
    return json.loads(read_bytes(name))


def latest_index(public_key):
    """The latest index statement, its signature checked; None before the first checkpoint."""
    name = latest_name(INDEX_DIRECTORY)
    if name is None:
        return None
    try:
        envelope = load(name)
    except ValueError as error:
        raise SignatureInvalid(f"The checkpoint {name} is not readable.") from error
    return open_signed(envelope, public_key)


def latest_for_dossier(dossier_id):
    """The name of the dossier's latest signed statement, if any."""
    return latest_name(f"{DOSSIER_DIRECTORY}/{dossier_id}")


def public_key():
    return signing_key().public_key()
