"""Issue sales invoices end to end: validation (French rules), number, output file, archive, delivery.

    python bench/issuing.py [count] [format]        # format: cii (default), ubl or facturx
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/issuing.py 50 facturx

Runs on a throwaway SQLite database in a temp dir (or a throwaway PostgreSQL
database created on the given server and dropped afterwards). Each invoice is
saved as a draft, then issued; the delivery goes to the platform's other
dossier (receive_file: read, validated again, archived on the buyer's side)
when ``--platform`` is given, else by e-mail to the file backend. Prints
invoices per second, the mean time per step, and the first stylesheet
compilation separately (it happens once per process).
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(workdir, database_url):
    os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=workdir,
                      FACTURIER_TASKS="immediate", DATABASE_URL=database_url, FACTURIER_LOG_LEVEL="WARNING",
                      FACTURIER_REGISTRY_FILE=str(Path(workdir) / "registry.json"))
    (Path(workdir) / "registry.json").write_text("{}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def world(platform):
    from django.utils import timezone

    from facturier.dossiers.models import Dossier, DossierStatus
    from facturier.firms.models import Firm
    from facturier.invoices.models import ThirdParty

    firm = Firm.objects.create(siren="732829320", name="Cabinet Bench", terms_accepted_at=timezone.now())

    def dossier(siren, name):
        return Dossier.objects.create(
            firm=firm, siren=siren, name=name, fiscal_year_end_month=12, address="1 rue de la Paix",
            postal_code="75002", city="Paris", representative_name="Jeanne Dupont", vat_number=vat(siren),
            representative_email="contact@bench.example", status=DossierStatus.ACTIVE, activated_at=timezone.now(),
            iban="FR7630006000011234567890189", bic="AGRIFRPP")

    seller = dossier("443061841", "BIOBURO")
    buyer_siren = "552100554"
    if platform:
        dossier(buyer_siren, "ACHETEUR SA")
    customer = ThirdParty.objects.create(
        dossier=seller, is_customer=True, name="ACHETEUR SA", siren=buyer_siren, vat_number=vat(buyer_siren),
        electronic_address=buyer_siren, address="1 place du Marché", postal_code="69001", city="Lyon",
        billing_email="compta@acheteur.example", output_format=FORMAT)
    return seller, customer


def vat(siren):
    return f"FR{int(siren + '12') % 97:02d}{siren}"


def draft(customer, lines=5):
    return {
        "customer": str(customer.pk), "issue_date": "2026-11-27", "due_date": "2026-12-27", "billing_frame": "S1",
        "payment_terms": "30 jours", "payment_means": "58", "note_pmt": "40 €", "note_pmd": "Pénalités",
        "note_aab": "Pas d'escompte",
        "lines": [{"description": f"Prestation {n}", "quantity": "2", "unit": "HUR", "unit_price": "95.50",
                   "vat": "S:20" if n % 2 else "S:5.5"} for n in range(lines)],
        "adjustments": [],
    }


def run(count, platform):
    from django.db import transaction

    from facturier.invoices.issuing import issue as issuing
    from facturier.invoices.models import Invoice

    seller, customer = world(platform)
    started = time.perf_counter()
    first = issuing.issue(issuing.save_draft(seller, draft(customer), customer=customer))
    warmup = time.perf_counter() - started
    assert first.number
    drafts = [issuing.save_draft(seller, draft(customer), customer=customer) for _ in range(count)]
    started = time.perf_counter()
    for invoice in drafts:
        with transaction.atomic():  # the commit runs the delivery, as after a request
            issuing.issue(invoice)
    elapsed = time.perf_counter() - started
    issued = Invoice.objects.filter(dossier=seller, state="issued").count()
    delivered = Invoice.objects.filter(dossier=seller, delivery_state="delivered").count()
    print(f"format {FORMAT}, delivery {'platform' if platform else 'e-mail (file backend)'}")
    print(f"first invoice (stylesheets compiled): {warmup:.2f} s")
    print(f"{count} invoices issued in {elapsed:.2f} s: {count / elapsed:.2f} invoices/s, "
          f"{1000 * elapsed / count:.0f} ms each; issued {issued}, delivered {delivered}")


def main():
    global FORMAT
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    count = int(args[0]) if args else support.size(30, 2)
    FORMAT = args[1] if len(args) > 1 else "cii"
    platform = "--platform" in sys.argv
    workdir = tempfile.mkdtemp(prefix="bench-issuing-")
    server = os.environ.get("DATABASE_URL", "")
    postgres = support.throwaway_postgres(server, "issuing") if server.startswith("postgres") else None
    try:
        if postgres:
            setup(workdir, f"{postgres[0].rsplit('/', 1)[0]}/{postgres[1]}")
        else:
            setup(workdir, f"sqlite:///{workdir}/bench.sqlite3")
        run(count, platform)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if postgres:
            from django.db import connections

            connections.close_all()
            support.drop_postgres(*postgres)


FORMAT = "cii"

if __name__ == "__main__":
    main()
