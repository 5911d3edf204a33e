"""Purchase invoices by e-mail: the listener's answer time, and messages through the worker to the intake.

    python bench/inbound_mail.py [count]

(Not ``bench/mailbox.py``: run as a script, its folder comes first on ``sys.path`` and that
name would hide the standard library's ``mailbox``, which ``aiosmtpd.handlers`` imports.)

Runs on a throwaway SQLite database and archive in a temp dir, with the database
task queue, so the SMTP session does only what it does in production: check the
recipient, store the message, queue it. Then the worker's step runs on each
queued message (MIME parsing, the .eml archived, each attachment through the
intake: reading, validation, the invoice row; the controls stay queued, see
``ingestion.py`` for them). Four SMTP clients send at once over real sockets.
Last, a zip bomb (4 members of 200 MB each, zipped to a few hundred KB) is refused,
with the time and the peak memory that costs.

Goals on the 2-core reference machine: the SMTP session answers in under 250 ms
(median) while four clients send, at least 20 messages accepted per CPU-second (senders
and listener together: they share this process); the worker files at
least 5 messages per CPU-second (one invoice each: the intake's reading and validation
are most of it), the mailbox's own part (MIME, the .eml archived, rows) at most 40 ms of
CPU per message; the bomb is refused in under 2 s without growing memory by more than 50 MB.
Wall times on a shared machine include waiting for a CPU and the disk; CPU times say
what the code costs.
"""

import io
import os
import shutil
import smtplib
import socket
import statistics
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from pathlib import Path

import support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SENDERS = 4
GOALS = {"median_ms": 250, "accepted_per_cpu_s": 20, "processed_per_cpu_s": 5, "own_cpu_ms": 40, "bomb_s": 2,
         "bomb_mib": 50}


def setup_django(workdir):
    os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=workdir,
                      FACTURIER_TASKS="database", DATABASE_URL=f"sqlite:///{workdir}/bench.sqlite3",
                      FACTURIER_LOG_LEVEL="WARNING", FACTURIER_INBOUND_DOMAIN="factures.bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def messages(count, to, buyer_siren):
    from facturier.invoices.receiving.tests.receiving_samples import purchase_cii

    for number in range(count):
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = "compta@fournisseur.example", to, f"Facture FM-{number:06d}"
        mail["Message-ID"] = f"<bench-{number}@fournisseur.example>"
        mail.set_content("Bonjour,\nveuillez trouver notre facture ci-jointe.\n")
        mail.add_attachment(purchase_cii(buyer_siren, number=f"FM-{number:06d}"), maintype="application",
                            subtype="xml", filename=f"FM-{number:06d}.xml")
        yield mail


def send_all(port, prepared):
    """Send with ``SENDERS`` clients at once; each message's session time (s)."""

    def send(mail):
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
            client.send_message(mail)
        return time.perf_counter() - started

    with ThreadPoolExecutor(SENDERS) as pool:
        return list(pool.map(send, prepared))


def bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for number in range(4):
            archive.writestr(f"{number}.pdf", b"%PDF-" + b"\x00" * (support.size(200, 20) * 1024 * 1024))
    return buffer.getvalue()


def time_intake(delivery, spent):
    """Count the CPU time of the intake inside the worker's step, to tell the mailbox's own part."""
    original = delivery.receive_file

    def timed(*args, **kwargs):
        cpu = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.process_time() - cpu)

    delivery.receive_file = timed


def measure_bomb():
    from facturier.mailbox import delivery, parsing

    data = bomb()
    mail = EmailMessage()
    mail["From"], mail["Subject"] = "x@example.org", "bombe"
    mail.set_content("!")
    mail.add_attachment(data, maintype="application", subtype="zip", filename="factures.zip")
    raw = mail.as_bytes()
    before, started = support.memory_kib("VmHWM"), time.perf_counter()
    reading = parsing.read_message(raw, delivery.limits())
    elapsed, grown = time.perf_counter() - started, (support.memory_kib("VmHWM") - before) / 1024
    return len(data), [item.refusal for item in reading.items], elapsed, grown


def main():
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    count = int(args[0]) if args else support.size(400, 8)
    workdir = tempfile.mkdtemp(prefix="facturier-bench-mailbox-")
    try:
        setup_django(workdir)
        from ingestion import dossier  # the same dossier as the upload benchmark

        from facturier.invoices.models import IncomingFile
        from facturier.mailbox import delivery
        from facturier.mailbox.addresses import address_of, mailbox_for
        from facturier.mailbox.listener import Listener
        from facturier.mailbox.models import MailMessage

        target = dossier()
        prepared = list(messages(count, address_of(mailbox_for(target)), target.siren))
        listener = Listener(host="127.0.0.1", port=free_port())
        listener.start()
        try:
            started, sending_cpu = time.perf_counter(), time.process_time()
            sessions = send_all(listener.port, prepared)
            sending, sending_cpu = time.perf_counter() - started, time.process_time() - sending_cpu
        finally:
            listener.stop()
        accepted = MailMessage.objects.filter(state="queued").count()
        median, worst = statistics.median(sessions) * 1000, max(sessions) * 1000
        print(f"{count} messages sent by {SENDERS} SMTP clients in {sending:.1f} s (CPU {sending_cpu:.1f} s): "
              f"{count / sending:.1f} accepted/s, {count / sending_cpu:.1f} per CPU-second "
              f"(goal >= {GOALS['accepted_per_cpu_s']}); session median {median:.0f} ms, worst {worst:.0f} ms "
              f"(goal median <= {GOALS['median_ms']} ms); {accepted} queued")

        pks = list(MailMessage.objects.filter(state="queued").order_by("pk").values_list("pk", flat=True))
        delivery.process(pks.pop(0))  # warms the engine (its stylesheets compile once per process)
        intake_cpu = []
        time_intake(delivery, intake_cpu)
        started, cpu = time.perf_counter(), time.process_time()
        for pk in pks:
            delivery.process(pk)
        processing, cpu = time.perf_counter() - started, time.process_time() - cpu
        invoices = IncomingFile.objects.filter(outcome="accepted", source="email").count()  # warm-up's included
        own_ms = 1000 * (cpu - sum(intake_cpu)) / len(pks)
        print(f"worker: {len(pks)} messages to the intake in {processing:.1f} s (CPU {cpu:.1f} s): "
              f"{len(pks) / processing:.1f} messages/s, {len(pks) / cpu:.1f} per CPU-second "
              f"(goal >= {GOALS['processed_per_cpu_s']}); {invoices} invoices accepted")
        print(f"  per message: intake {1000 * sum(intake_cpu) / len(pks):.0f} ms CPU, the mailbox's own part "
              f"{own_ms:.0f} ms CPU (goal <= {GOALS['own_cpu_ms']} ms)")

        packed, refusals, bomb_seconds, bomb_mib = measure_bomb()
        print(f"zip bomb of {packed // 1024} KB (4 x {support.size(200, 20)} MB unpacked): refused as {refusals} "
              f"in {bomb_seconds * 1000:.0f} ms, peak memory +{bomb_mib:.0f} MiB "
              f"(goals <= {GOALS['bomb_s']} s, <= {GOALS['bomb_mib']} MiB)")
        print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        met = (count / sending_cpu >= GOALS["accepted_per_cpu_s"] and median <= GOALS["median_ms"]
               and len(pks) / cpu >= GOALS["processed_per_cpu_s"] and own_ms <= GOALS["own_cpu_ms"]
               and bomb_seconds <= GOALS["bomb_s"]
               and bomb_mib <= GOALS["bomb_mib"])
        complete = accepted == count and invoices == count and refusals == ["zip_bomb"]
        return 0 if complete and (support.QUICK or met) else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
