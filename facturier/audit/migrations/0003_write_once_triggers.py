from django.db import migrations

from facturier.audit import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor)


def remove(apps, schema_editor):
    triggers.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_event_chain")]

    operations = [migrations.RunPython(install, remove)]
