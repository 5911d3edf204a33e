"""What several benchmark scripts share: the quick mode, memory readings,
throwaway PostgreSQL databases and the timing of a page. Scripts run as
``python bench/NAME.py``, so this module is importable as ``support``."""

import os
import statistics
import time
from pathlib import Path

# BENCH_QUICK=1 (``make bench-smoke``, run by ``make test``) shrinks every size to
# seconds of work: the figures mean nothing then, but a script that no longer runs
# against today's code fails the build instead of rotting unnoticed.
QUICK = os.environ.get("BENCH_QUICK") == "1"


def size(full, quick):
    """The size a benchmark measures at, or its small stand-in in quick mode."""
    return quick if QUICK else full


WARM_UP = size(3, 0)  # requests before a page is timed, to warm caches and connections


def memory_kib(field):
    """A memory figure of this process from /proc (Linux), in KiB: VmRSS now, VmHWM the peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def throwaway_postgres(server_url, label):
    """Create an empty database on the server of ``server_url``; return (admin URL, name)."""
    import psycopg

    name = f"facturier_bench_{label}_{os.getpid()}"
    admin = server_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin, name


def drop_postgres(admin, name):
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def page_timings(user, url, requests, warm_up=WARM_UP):
    """Median and worst server time (ms) of ``url`` for ``user``, and its number of queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    for _ in range(warm_up):  # warm caches and connections
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), max(timings), len(queries.captured_queries)
