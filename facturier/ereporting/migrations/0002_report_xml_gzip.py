"""A report's XML is kept gzip-compressed: 5,000 invoices are 5 MB of XML, written and read at every build."""

import gzip

from django.db import migrations, models


def compress(apps, schema_editor):
    Report = apps.get_model("ereporting", "Report")
    for report in Report.objects.exclude(xml="").only("pk", "xml").iterator():
        Report.objects.filter(pk=report.pk).update(xml_gzip=gzip.compress(report.xml.encode(), mtime=0))


def decompress(apps, schema_editor):
    Report = apps.get_model("ereporting", "Report")
    for report in Report.objects.exclude(xml_gzip=b"").only("pk", "xml_gzip").iterator():
        Report.objects.filter(pk=report.pk).update(xml=gzip.decompress(bytes(report.xml_gzip)).decode())


class Migration(migrations.Migration):
    dependencies = [("ereporting", "0001_initial")]

    operations = [
        migrations.AddField(model_name="report", name="xml_gzip", field=models.BinaryField(default=b"")),
        migrations.RunPython(compress, decompress),
        migrations.RemoveField(model_name="report", name="xml"),
    ]
