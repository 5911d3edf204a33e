"""`facturier serve --demo` is the README's main command: it must show the whole flow by itself."""

from facturier import cli

DECIDED_BY_SERVE = ["FACTURIER_TASKS", "FACTURIER_DEV_IDP", "FACTURIER_REGISTRY_FILE", "FACTURIER_BASE_URL",
                    "FACTURIER_ARCHIVE_SIGNING_KEY_FILE"]


def test_the_demo_runs_background_work_in_its_own_process(monkeypatch):
    for name in DECIDED_BY_SERVE:
        monkeypatch.delenv(name, raising=False)
    cli._serve_environment(["serve", "--demo", "--port", "8123"])
    assert cli.os.environ["FACTURIER_TASKS"] == "immediate"
    assert cli.os.environ["FACTURIER_BASE_URL"] == "http://localhost:8123"


def test_a_plain_serve_keeps_the_task_queue(monkeypatch):
    for name in DECIDED_BY_SERVE:
        monkeypatch.delenv(name, raising=False)
    cli._serve_environment(["serve"])
    assert "FACTURIER_TASKS" not in cli.os.environ


def test_a_worker_beside_the_demo_uses_its_registry_and_links(monkeypatch):
    for name in DECIDED_BY_SERVE:
        monkeypatch.delenv(name, raising=False)
    cli._serve_environment(["serve", "--demo", "--port", "8123"])
    served = {name: cli.os.environ[name] for name in ("FACTURIER_REGISTRY_FILE", "FACTURIER_BASE_URL")}
    for name in DECIDED_BY_SERVE:
        monkeypatch.delenv(name, raising=False)
    cli._serve_environment(["worker", "--demo", "--port", "8123"])
    assert {name: cli.os.environ[name] for name in served} == served
    assert cli.os.environ["FACTURIER_TASKS"] == "database", "a worker runs the queue, never in process"
