"""PostgreSQL and Redis are extras: the core runs without them, and a setting that
needs one that is missing says which to install."""

import os
import subprocess
import sys

import pytest

OPTIONAL = ["psycopg", "django_tasks_rq", "django_rq", "rq", "redis", "boto3"]

# Each optional module is made unimportable, as in an install without the extras.
PROBE = """
import sys
for name in {optional!r}:
    sys.modules[name] = None
import django
from django.core.management import call_command
django.setup()
call_command("check")
"""


def start(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"DATABASE_URL", "FACTURIER_TASKS", "FACTURIER_REDIS_URL"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=str(tmp_path))
    return subprocess.run([sys.executable, "-c", PROBE.format(optional=OPTIONAL)], env=environment,
                          capture_output=True, text=True)


def test_the_core_starts_on_sqlite_without_any_extra(tmp_path):
    result = start(tmp_path, FACTURIER_TASKS="database")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(("env", "extra"), [
    ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/facturier"}, "postgres"),
    ({"FACTURIER_TASKS": "rq"}, "rq"),
    ({"FACTURIER_REDIS_URL": "redis://127.0.0.1:6379/1"}, "rq"),
])
def test_a_setting_needing_a_missing_extra_names_the_install_command(tmp_path, env, extra):
    result = start(tmp_path, **env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {next(iter(env))}" in result.stderr
    assert f"pip install 'facturier[{extra}]'" in result.stderr


def test_the_worker_on_the_database_queue_needs_no_extra(tmp_path):
    """`facturier worker` loads its command (and the sweeps it starts) without rq or redis installed."""
    probe = PROBE.replace('call_command("check")', "import facturier.web.management.commands.worker\nprint('loaded')")
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"DATABASE_URL", "FACTURIER_TASKS", "FACTURIER_REDIS_URL"}}
    environment.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=str(tmp_path),
                       FACTURIER_TASKS="database")
    result = subprocess.run([sys.executable, "-c", probe.format(optional=OPTIONAL)], env=environment,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout
