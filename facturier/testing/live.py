"""Real platform processes for tests that need true concurrency or a loaded server.

Threads in the test process share its test database connection rules; two
requests racing for one row, or a server staying responsive while a worker
reads a large file, need what production runs: ``facturier serve`` and
``facturier worker`` processes on a database of their own.

    with LiveSite(tmp_path) as site:              # a fresh database (PostgreSQL or SQLite file)
        server = site.serve()                     # `python -m facturier serve` on a free port
        ids = site.django("print_json(...)")      # Django code run against that database
        site.work()                               # `python -m facturier worker`

The database follows the test run's: a new PostgreSQL database on the same
server when ``DATABASE_URL`` points at PostgreSQL, a SQLite file otherwise.
"""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
PRELUDE = """
import json
import django
django.setup()

def print_json(value):
    print(json.dumps(value, default=str))

"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveSite:
    """A database, the environment of the processes using it, and the processes started on it."""

    def __init__(self, tmp_path, **environment):
        self.tmp_path = tmp_path
        self.database_url, self._postgres = self._new_database(tmp_path)
        self.environment = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "facturier.settings", "DATABASE_URL": self.database_url,
            "FACTURIER_DATA_DIR": str(tmp_path / "data"), "FACTURIER_TASKS": "immediate",
            "PYTHONPATH": str(ROOT), **environment,
        }
        self.processes = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if self._postgres:
            self._drop_database()

    def serve(self, threads=8, *options, timeout=120):
        """Start a server (it migrates the database first); its base URL once it answers.

        ``options`` are more arguments of ``facturier serve`` (``"--demo"``).
        """
        port = free_port()
        self._start("serve", "--port", str(port), "--threads", str(threads), *options)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    return url
            except httpx.TransportError:
                pass
            self._check_alive()
            time.sleep(0.2)
        raise RuntimeError("the live server did not answer")

    def work(self):
        """Start a worker running the database task queue."""
        self._start("worker", FACTURIER_TASKS="database")

    def django(self, code):
        """Run ``code`` in a Django process on the site's database; what it passed to ``print_json``."""
        result = subprocess.run([sys.executable, "-c", PRELUDE + code], env=self.environment, cwd=ROOT,
                                capture_output=True, text=True, timeout=300, check=False)
        if result.returncode:
            raise RuntimeError(result.stderr)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def _start(self, *command, **environment):
        log = open(self.tmp_path / f"{command[0]}-{len(self.processes)}.log", "w")  # noqa: SIM115 - kept open
        process = subprocess.Popen([sys.executable, "-m", "facturier", *command], cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT, env={**self.environment, **environment})
        self.processes.append(process)
        return process

    def _check_alive(self):
        for process in self.processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args} exited with {process.returncode}")

    @staticmethod
    def _new_database(tmp_path):
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            return f"sqlite:///{tmp_path / 'live.sqlite3'}", None
        import psycopg

        server = url.rsplit("/", 1)[0]
        name = f"live_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return f"{server}/{name}", (f"{server}/postgres", name)

    def _drop_database(self):
        import psycopg

        admin, name = self._postgres
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
