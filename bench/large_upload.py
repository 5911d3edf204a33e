"""A maximum-size purchase invoice: where the engine's time goes, and what the web process feels.

    python bench/large_upload.py [megabytes]          (default: the 20 MB limit, just under it)
    python bench/large_upload.py 19 --engine-only

1. The engine stages on the file in this process (detect, validate, read),
   wall and CPU time, and the ten functions where validation spends its time
   (cProfile, cumulative).
2. A real ``facturier serve`` and ``facturier worker`` on a throwaway database
   (PostgreSQL when ``DATABASE_URL`` points at it, SQLite otherwise): how long
   the upload request takes, ``/healthz`` latency (median, 95th percentile,
   worst) while the worker reads the file, and how long until it is accepted.

Goal: the upload answers in a few seconds whatever the file, and ``/healthz``
stays under 200 ms meanwhile (before, the request read the file itself: 27-35 s
for 19 MB, with ``/healthz`` waiting up to 22 s).
"""

import cProfile
import logging
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETUP = """
from django.test import Client
from facturier.testing.world import build_world

world = build_world()
browser = Client()
browser.force_login(world.user("client"))
print_json({"dossier": world.active.pk, "siren": world.active.siren, "session": browser.cookies["sessionid"].value})
"""
OUTCOME = """
from facturier.invoices.models import IncomingFile
print_json(list(IncomingFile.objects.values_list("outcome", flat=True)))
"""


def timed(function, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def engine_stages(data):
    from einvoice.detect import detect
    from einvoice.read import read_detected
    from einvoice.validate import validate

    detected, wall, cpu = timed(detect, data)
    print(f"1. detect (parse):  wall {wall:6.2f} s, CPU {cpu:6.2f} s")
    profile = cProfile.Profile()
    report, wall, cpu = timed(profile.runcall, validate, detected, "fr")
    print(f"   validate:        wall {wall:6.2f} s, CPU {cpu:6.2f} s (valid={report.valid}, "
          f"{len(report.errors)} errors)")
    document, wall, cpu = timed(read_detected, detected)
    print(f"   read:            wall {wall:6.2f} s, CPU {cpu:6.2f} s ({len(document.lines)} lines)")
    print("   validation, top functions by cumulative time:")
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(12)


def live_upload(data, limit_mb, workdir):
    import httpx
    from django.urls import reverse

    from facturier.testing.live import LiveSite

    registry = Path(workdir) / "registry.json"
    registry.write_text('{"100000009": {"name": "VENDEUR SARL", "status": "active", "created_on": "2001-01-01"}}')
    with LiveSite(Path(workdir), FACTURIER_TASKS="database", FACTURIER_MAX_FILE_MB=str(limit_mb),
                  FACTURIER_REGISTRY_FILE=str(registry)) as site:
        server = site.serve()
        ids = site.django(SETUP)
        site.work()
        url = server + reverse("receiving:upload", args=[ids["dossier"]])
        browser, monitor = httpx.Client(cookies={"sessionid": ids["session"]}, timeout=600), httpx.Client()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(url).text)[1]
        idle = []
        for _probe in range(20):
            started = time.perf_counter()
            monitor.get(server + "/healthz")
            idle.append(time.perf_counter() - started)
        started = time.perf_counter()
        response = browser.post(url, data={"csrfmiddlewaretoken": token}, files={"files": ("big.xml", data)})
        upload = time.perf_counter() - started
        latencies = []
        while "outcome-pending" in browser.get(url).text:
            for _probe in range(10):
                probe = time.perf_counter()
                monitor.get(server + "/healthz")
                latencies.append(time.perf_counter() - probe)
                time.sleep(0.1)
        done = time.perf_counter() - started
        print(f"2. upload request: {upload:.2f} s (HTTP {response.status_code}); accepted after {done:.1f} s: "
              f"{site.django(OUTCOME)}")
        print(f"   /healthz idle: median {statistics.median(idle) * 1000:.0f} ms; while the worker reads: "
              f"median {statistics.median(latencies) * 1000:.0f} ms, 95th percentile "
              f"{sorted(latencies)[int(len(latencies) * 0.95)] * 1000:.0f} ms, worst {max(latencies) * 1000:.0f} ms "
              f"({len(latencies)} probes)")


def main():
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    limit_mb = int(args[0]) if args else 20
    with tempfile.TemporaryDirectory() as workdir:
        os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=workdir,
                          DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"))
        import django

        django.setup()
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per /healthz probe otherwise
        from facturier.invoices.receiving.tests.receiving_samples import (
            large_purchase_cii,
        )

        data = large_purchase_cii("356000000", limit_mb * 1024 * 1024)
        print(f"A {len(data) / 1e6:.1f} MB CII invoice (limit {limit_mb} MB)")
        engine_stages(data)
        if "--engine-only" not in sys.argv:
            live_upload(data, limit_mb, workdir)


if __name__ == "__main__":
    main()
