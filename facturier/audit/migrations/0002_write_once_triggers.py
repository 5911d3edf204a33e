"""Audit events are write-once, even against raw SQL: database triggers on SQLite and PostgreSQL.

The SQL is written out here rather than imported, so this migration stays what it
was whatever ``audit/triggers.py`` becomes (that module explains the rules).
"""

from django.db import migrations

CREATE = {
    "sqlite": [
        """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.action IS NOT OLD.action OR NEW.target IS NOT OLD.target OR NEW.detail IS NOT OLD.detail OR NEW.sequence IS NOT OLD.sequence OR NEW.parties IS NOT OLD.parties OR NEW.previous_hash IS NOT OLD.previous_hash OR NEW.chain_hash IS NOT OLD.chain_hash OR (NEW.actor_id IS NOT OLD.actor_id AND NEW.actor_id IS NOT NULL) OR (NEW.firm_id IS NOT OLD.firm_id AND NEW.firm_id IS NOT NULL) OR (NEW.dossier_id IS NOT OLD.dossier_id AND NEW.dossier_id IS NOT NULL)
    BEGIN SELECT RAISE(ABORT, 'audit events are write-once'); END""",
        """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are write-once'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_event_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR NEW.id IS DISTINCT FROM OLD.id OR NEW.at IS DISTINCT FROM OLD.at OR NEW.action IS DISTINCT FROM OLD.action OR NEW.target IS DISTINCT FROM OLD.target OR NEW.detail IS DISTINCT FROM OLD.detail OR NEW.sequence IS DISTINCT FROM OLD.sequence OR NEW.parties IS DISTINCT FROM OLD.parties OR NEW.previous_hash IS DISTINCT FROM OLD.previous_hash OR NEW.chain_hash IS DISTINCT FROM OLD.chain_hash OR (NEW.actor_id IS DISTINCT FROM OLD.actor_id AND NEW.actor_id IS NOT NULL) OR (NEW.firm_id IS DISTINCT FROM OLD.firm_id AND NEW.firm_id IS NOT NULL) OR (NEW.dossier_id IS DISTINCT FROM OLD.dossier_id AND NEW.dossier_id IS NOT NULL) THEN
            RAISE EXCEPTION 'audit events are write-once' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END $$""",
        """CREATE TRIGGER audit_event_write_once BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_write_once()""",
    ],
}
DROP = {
    "sqlite": [
        """DROP TRIGGER IF EXISTS audit_event_no_update""",
        """DROP TRIGGER IF EXISTS audit_event_no_delete""",
    ],
    "postgresql": [
        """DROP TRIGGER IF EXISTS audit_event_write_once ON audit_auditevent""",
        """DROP FUNCTION IF EXISTS audit_event_write_once()""",
    ],
}


def install(apps, schema_editor):
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def remove(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
