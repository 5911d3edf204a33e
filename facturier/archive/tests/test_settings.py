import json
import os
import subprocess
import sys

PROBE = """
import json
from django.conf import settings
import django
django.setup()
print(json.dumps({"alias": settings.ARCHIVE_STORAGE, "storages": settings.STORAGES}, default=str))
"""


def settings_with(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FACTURIER_ARCHIVE_")}
    environment.update(env, DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_archive_goes_to_the_filesystem_by_default(tmp_path):
    answer = settings_with(tmp_path)
    assert answer["alias"] == "archive"
    archive = answer["storages"]["archive"]
    assert archive["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert archive["OPTIONS"]["location"] == str(tmp_path / "media" / "archive")


def test_a_bucket_moves_the_archive_to_s3_compatible_storage(tmp_path):
    answer = settings_with(
        tmp_path,
        FACTURIER_ARCHIVE_S3_BUCKET="facturier-archive",
        FACTURIER_ARCHIVE_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        FACTURIER_ARCHIVE_S3_REGION="fr-par",
        FACTURIER_ARCHIVE_S3_ACCESS_KEY="key",
        FACTURIER_ARCHIVE_S3_SECRET_KEY="secret",
    )
    assert answer["alias"] == "archive_s3"
    s3 = answer["storages"]["archive_s3"]
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "facturier-archive"
    assert s3["OPTIONS"]["endpoint_url"] == "https://s3.fr-par.scw.cloud"
    assert s3["OPTIONS"]["file_overwrite"] is False
