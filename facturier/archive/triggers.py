"""Database triggers that keep archive rows write-once even against raw SQL.

Installed by migration 0002 on SQLite and PostgreSQL. Rows may never be
updated, and may be deleted only after their retention term. Whoever can drop
a trigger can still change rows; ``verify`` then reveals the change.

(TRUNCATE is not blocked on PostgreSQL: a statement trigger would fire on the
test suite's table flushes too. Run the platform with a database role that does
not own the tables to take TRUNCATE away from it.)
"""

TABLE = "archive_archiverecord"

SQLITE_CREATE = [
    f"""CREATE TRIGGER archive_record_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'archive records are write-once'); END""",
    f"""CREATE TRIGGER archive_record_no_early_delete BEFORE DELETE ON {TABLE}
    WHEN OLD.retain_until > strftime('%Y-%m-%d %H:%M:%f', 'now')
    BEGIN SELECT RAISE(ABORT, 'archive records are kept until their retention term'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS archive_record_no_update",
    "DROP TRIGGER IF EXISTS archive_record_no_early_delete",
]

POSTGRESQL_CREATE = [
    """CREATE OR REPLACE FUNCTION archive_record_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'archive records are write-once' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.retain_until > now() THEN
            RAISE EXCEPTION 'archive records are kept until their retention term' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    END $$""",
    f"""CREATE TRIGGER archive_record_write_once BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION archive_record_write_once()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS archive_record_write_once ON {TABLE}",
    "DROP FUNCTION IF EXISTS archive_record_write_once()",
]

CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}
DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}


def install(schema_editor):
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def remove(schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)
