"""Test helpers: reach archive rows and audit events past the write-once triggers.

Tests that prove ``verify`` detects tampering must first tamper, as an attacker
with database access would; and transactional tests must empty the archive
before the test database is flushed. Never used by the platform itself.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from facturier.archive import triggers
from facturier.audit import triggers as audit_triggers

TRIGGER_SETS = (triggers, audit_triggers)


@contextmanager
def write_once_suspended(using=DEFAULT_DB_ALIAS):
    """A raw cursor on which archive rows and audit events can be changed; the triggers come back on exit."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _switch(cursor, connection.vendor, on=False)
        yield cursor
        _switch(cursor, connection.vendor, on=True)


def _switch(cursor, vendor, *, on):
    if vendor == "postgresql":
        # Replica mode skips triggers (a superuser's power, which the tests have);
        # unlike ALTER TABLE it works with deferred constraint checks pending.
        cursor.execute(f"SET LOCAL session_replication_role = {'DEFAULT' if on else 'replica'}")
        return
    for trigger_set in TRIGGER_SETS:
        for statement in (trigger_set.CREATE if on else trigger_set.DROP).get(vendor, []):
            cursor.execute(statement)


def empty_archive(using=DEFAULT_DB_ALIAS):
    """Remove every archive row and audit event, so a transactional test's flush can run."""
    with write_once_suspended(using) as cursor:
        cursor.execute(f"DELETE FROM {triggers.TABLE}")
        cursor.execute(f"DELETE FROM {audit_triggers.TABLE}")
