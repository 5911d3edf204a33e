"""Archive records are write-once, even against raw SQL: database triggers on SQLite and PostgreSQL.

The SQL is written out here rather than imported, so this migration stays what it
was whatever ``archive/triggers.py`` becomes (that module explains the rules).
"""

from django.db import migrations

CREATE = {
    "sqlite": [
        """CREATE TRIGGER archive_record_no_update BEFORE UPDATE ON archive_archiverecord
    BEGIN SELECT RAISE(ABORT, 'archive records are write-once'); END""",
        """CREATE TRIGGER archive_record_no_early_delete BEFORE DELETE ON archive_archiverecord
    WHEN OLD.retain_until > strftime('%Y-%m-%d %H:%M:%f', 'now')
    BEGIN SELECT RAISE(ABORT, 'archive records are kept until their retention term'); END""",
    ],
    "postgresql": [
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
        """CREATE TRIGGER archive_record_write_once BEFORE UPDATE OR DELETE ON archive_archiverecord
    FOR EACH ROW EXECUTE FUNCTION archive_record_write_once()""",
    ],
}
DROP = {
    "sqlite": [
        """DROP TRIGGER IF EXISTS archive_record_no_update""",
        """DROP TRIGGER IF EXISTS archive_record_no_early_delete""",
    ],
    "postgresql": [
        """DROP TRIGGER IF EXISTS archive_record_write_once ON archive_archiverecord""",
        """DROP FUNCTION IF EXISTS archive_record_write_once()""",
    ],
}


def install(apps, schema_editor):
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def remove(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
