import json
import os
import subprocess
import sys

import pytest

PROBE = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="localhost")
print(json.dumps({"status_code": response.status_code, "body": response.json()}))
"""


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_database_unreachable(tmp_path):
    # A really unreachable database: nothing listens on port 1.
    env = dict(os.environ, DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
               DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {"status_code": 503, "body": {"status": "error", "database": "error"}}


def test_persistent_database_connections_are_health_checked(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
