"""`facturier serve --demo` is the README's main command: it must show the whole flow by itself."""

import os
from unittest import mock

import pytest

from facturier import cli

DECIDED_BY_SERVE = ["FACTURIER_TASKS", "FACTURIER_DEV_IDP", "FACTURIER_REGISTRY_FILE", "FACTURIER_BASE_URL",
                    "FACTURIER_ARCHIVE_SIGNING_KEY_FILE", "FACTURIER_WEBHOOKS_ALLOW_PRIVATE"]


def forget_serve_environment():
    for name in DECIDED_BY_SERVE:
        os.environ.pop(name, None)


@pytest.fixture(autouse=True)
def _environment_restored():
    """What ``_serve_environment`` sets is meant for the process it configures: the tests' own environment
    gets its variables back afterwards, or the live servers later tests start would inherit them."""
    with mock.patch.dict(os.environ):
        forget_serve_environment()
        yield


def test_the_demo_runs_background_work_in_its_own_process():
    cli._serve_environment(["serve", "--demo", "--port", "8123"])
    assert os.environ["FACTURIER_TASKS"] == "immediate"
    assert os.environ["FACTURIER_BASE_URL"] == "http://localhost:8123"


def test_a_plain_serve_keeps_the_task_queue():
    cli._serve_environment(["serve"])
    assert "FACTURIER_TASKS" not in os.environ


def test_a_worker_beside_the_demo_uses_its_registry_and_links():
    cli._serve_environment(["serve", "--demo", "--port", "8123"])
    served = {name: os.environ[name] for name in ("FACTURIER_REGISTRY_FILE", "FACTURIER_BASE_URL")}
    forget_serve_environment()
    cli._serve_environment(["worker", "--demo", "--port", "8123"])
    assert {name: os.environ[name] for name in served} == served
    assert os.environ["FACTURIER_TASKS"] == "database", "a worker runs the queue, never in process"
