"""Database triggers that keep audit events write-once even against raw SQL.

Installed by migration 0002 on SQLite and PostgreSQL, like the archive's. An
event is never deleted, and never updated but for Django nulling the link to a
deleted user, firm or dossier (``on_delete=SET_NULL``). Whoever can drop a
trigger can still change rows; the hash chain and the signed checkpoints then
reveal it.
"""

TABLE = "audit_auditevent"
FROZEN = ["id", "at", "action", "target", "detail", "sequence", "parties", "previous_hash", "chain_hash"]
NULLABLE_LINKS = ["actor_id", "firm_id", "dossier_id"]

_SQLITE_CHANGED = " OR ".join(
    [f"NEW.{column} IS NOT OLD.{column}" for column in FROZEN]
    + [f"(NEW.{column} IS NOT OLD.{column} AND NEW.{column} IS NOT NULL)" for column in NULLABLE_LINKS]
)
_POSTGRESQL_CHANGED = " OR ".join(
    [f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in FROZEN]
    + [f"(NEW.{column} IS DISTINCT FROM OLD.{column} AND NEW.{column} IS NOT NULL)" for column in NULLABLE_LINKS]
)

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE} WHEN {_SQLITE_CHANGED}
    BEGIN SELECT RAISE(ABORT, 'audit events are write-once'); END""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit events are write-once'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"]

POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_event_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR {_POSTGRESQL_CHANGED} THEN
            RAISE EXCEPTION 'audit events are write-once' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE TRIGGER audit_event_write_once BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_write_once()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_event_write_once ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_event_write_once()",
]

CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}
DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}


def install(schema_editor):
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def remove(schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)
