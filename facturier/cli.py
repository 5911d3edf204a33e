"""The ``facturier`` command.

Engine commands (validate, convert, extract, render) run without Django so a
cold start stays fast; every other command is a Django management command.
"""

import os
import sys
from pathlib import Path

ENGINE_COMMANDS = {"validate", "convert", "extract", "render"}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ENGINE_COMMANDS:
        from einvoice.cli import main as engine_main

        return engine_main(argv)
    if argv and not argv[0].startswith("-"):
        # Django names commands with underscores; the CLI spells them with dashes too (export-fec).
        argv[0] = argv[0].replace("-", "_")
    if argv[:1] in (["serve"], ["worker"]):
        _serve_environment(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facturier.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["facturier", *argv])
    return 0


def _serve_environment(argv):
    """Settings `serve` decides before Django reads them: links follow the port,
    and the demo signs firm staff in through the development identity provider.

    `worker` takes the same ``--demo`` and ``--port``, so a worker started beside the
    server it serves writes the same links and asks the same registry (its tasks run
    from the database queue, not in process)."""
    port = next((argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--port"), None)
    port = port or next((arg.split("=", 1)[1] for arg in argv if arg.startswith("--port=")), "8000")
    os.environ.setdefault("FACTURIER_BASE_URL", f"http://localhost:{port}")
    if "--demo" in argv:
        os.environ.setdefault("FACTURIER_DEV_IDP", "1")
        # Webhook receivers of a demo run on the same machine (http://localhost:...).
        os.environ.setdefault("FACTURIER_WEBHOOKS_ALLOW_PRIVATE", "1")
        # The demo is one process: background work (reading uploads, controls, deliveries) runs in it,
        # so the whole flow completes without a worker started by hand.
        os.environ.setdefault("FACTURIER_TASKS", "immediate" if argv[0] == "serve" else "database")
        # Offline look-ups of the demo companies; unset it to query SIRENE itself.
        demo_companies = Path(__file__).resolve().parent / "registry" / "data" / "demo_companies.json"
        os.environ.setdefault("FACTURIER_REGISTRY_FILE", str(demo_companies))
        data_dir = Path(os.environ.get("FACTURIER_DATA_DIR", Path(__file__).resolve().parent.parent / "var"))
        os.environ.setdefault("FACTURIER_ARCHIVE_SIGNING_KEY_FILE", str(data_dir / "demo-archive-signing-key.pem"))
