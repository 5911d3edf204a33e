import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from facturier.accounts.models import User
from facturier.devidp import people
from facturier.dossiers import access
from facturier.dossiers.models import Dossier, DossierStatus
from facturier.dossiers.validators import clean_siren
from facturier.firms.models import Firm


def counts():
    return {model.__name__: model.objects.count() for model in (Firm, Dossier, User)}


def test_demo_data_is_complete_and_idempotent(db, capsys):
    call_command("demo_data")
    first = counts()
    call_command("demo_data")
    assert counts() == first
    out = capsys.readouterr().out
    assert "pierre.conerardy@bioburo.example" in out and people.DEMO_CLIENT_PASSWORD in out

    demo = Firm.objects.get(siren=people.DEMO_FIRM["siren"])
    assert demo.is_open and demo.terms_accepted_by.email == "claire.martin@cabinet-demo.example"
    assert not Firm.objects.get(siren=people.DEMO_FIRM_EAST["siren"]).is_open
    clients = Dossier.objects.filter(firm=demo, is_firm_own=False)
    assert clients.count() >= 6
    assert set(clients.values_list("status", flat=True)) == set(DossierStatus.values)
    for siren in clients.exclude(siren="").values_list("siren", flat=True):
        assert clean_siren(siren) == siren
    own = Dossier.objects.get(firm=demo, is_firm_own=True)
    assert own.free_invoices == 500 and own.status == DossierStatus.ACTIVE

    pierre = User.objects.get(email="pierre.conerardy@bioburo.example")
    assert pierre.check_password(people.DEMO_CLIENT_PASSWORD)
    assert set(access.openable_dossiers(pierre).values_list("name", flat=True)) == {"BIOBURO", "SCI Conerardy"}

    sophie = User.objects.get(email="sophie.bernard@cabinet-demo.example")
    hugo = User.objects.get(email="hugo.petit@cabinet-demo.example")
    membership = access.get_firm_membership_or_404(sophie, demo.pk)
    assert 0 < access.listed_dossiers(membership).count() < clients.count()
    assert access.listed_dossiers(access.get_firm_membership_or_404(hugo, demo.pk)).exists()
    bruno = User.objects.get(email="bruno.leroy@cabinet-demo.example")
    assert access.get_firm_membership_or_404(bruno, demo.pk).is_admin
    nadia = User.objects.get(email="nadia.roux@cabinet-demo.example")
    assert not access.firm_memberships(nadia).exists()

    neighbour = Firm.objects.get(siren=people.NEIGHBOUR_FIRM["siren"])
    assert neighbour.is_open and Dossier.objects.filter(firm=neighbour, is_firm_own=False).count() == 2


DEMO_REGISTRY = Path(__file__).resolve().parents[2] / "registry" / "data" / "demo_companies.json"


def test_the_demo_registry_knows_the_demo_companies_and_keeps_its_troubled_suppliers(db):
    """Invoices between demo dossiers raise no "absente de la base SIRENE"; the problem cases stay on purpose."""
    from facturier.registry.providers.localfile import LocalFileProvider

    call_command("demo_data")
    registry = LocalFileProvider(DEMO_REGISTRY)
    sirens = set(Dossier.objects.exclude(siren="").values_list("siren", flat=True))
    sirens |= set(Firm.objects.values_list("siren", flat=True))
    for siren in sirens:
        company = registry.lookup_company(siren)
        assert company is not None and not company.is_closed, siren
        assert registry.insolvency_proceedings(siren) == [], siren
    assert registry.lookup_company("900000043").is_closed
    assert registry.insolvency_proceedings("900000035")[0].is_liquidation
    assert registry.insolvency_proceedings("900000050")


@pytest.fixture
def demo_world(transactional_db, settings, archive_dir):
    """The demo built as `facturier serve --demo` builds it: its registry file, background work in process."""
    settings.REGISTRY_LOCAL_FILE = str(DEMO_REGISTRY)


def test_every_home_page_speaks_at_the_first_sign_in(demo_world, capsys):
    from facturier.dashboard.counters import COUNTERS, with_counters
    from facturier.invoices.models import Anomaly, Invoice

    call_command("demo_data")
    assert "Demo invoices created" in capsys.readouterr().out
    demo = Firm.objects.get(siren=people.DEMO_FIRM["siren"])
    bioburo, premys = (Dossier.objects.get(firm=demo, name=name) for name in ("BIOBURO", "PREMYS"))

    # Invoices both ways, at every stage.
    sales = Invoice.objects.filter(dossier=bioburo, direction="sales")
    assert {"draft", "issued"} <= set(sales.values_list("state", flat=True))
    assert {200, 203, 210, 212} <= set(sales.values_list("lifecycle_status", flat=True))
    assert Invoice.objects.filter(dossier=bioburo, direction="purchase", lifecycle_status=205).count() >= 2
    assert Invoice.objects.filter(dossier=premys, direction="sales").exists()
    # A refusal, with its reason, answered by a credit note that reached the buyer.
    refused = sales.get(lifecycle_status=210)
    assert refused.events.get(status=210).reason_code == "CMD_ERR"
    credit_note = sales.get(is_credit_note=True, preceding_invoice=refused)
    assert Invoice.objects.filter(dossier=premys, direction="purchase", is_credit_note=True,
                                  number=credit_note.number).exists()
    # Anomalies to resolve, from the troubled suppliers only: the demo companies are known to SIRENE.
    open_anomalies = Anomaly.objects.filter(resolved_at__isnull=True, blocking=True)
    assert set(open_anomalies.values_list("invoice__dossier__name", "kind")) == {
        ("BIOBURO", "insolvency"), ("PREMYS", "closed"), ("PREMYS", "delivery_failed")}
    assert not Anomaly.objects.filter(kind="not_in_sirene").exists()
    # Each counter of the client list and of the staff dashboard has something to show.
    counted = with_counters(Dossier.objects.filter(pk__in=[bioburo.pk, premys.pk]))
    for counter in COUNTERS:
        assert sum(getattr(dossier, counter) for dossier in counted) > 0, counter
    overdue = sales.filter(state="issued", due_date__lt=datetime.date.today(), amount_paid=0, is_credit_note=False)
    assert overdue.exists()

    # The pages of the first sign-in show them.
    client = Client()
    for user, url, shown in (
            ("pierre.conerardy@bioburo.example", reverse("dashboard:home", args=[bioburo.pk]), "PREMYS"),
            ("julie.morel@premys.example", reverse("invoices:purchases", args=[premys.pk]), "LDQ-2026-044"),
            ("sophie.bernard@cabinet-demo.example", reverse("dashboard:staff", args=[demo.pk]), "BIOBURO"),
            ("claire.martin@cabinet-demo.example", reverse("dashboard:clients", args=[demo.pk]), "PREMYS")):
        client.force_login(User.objects.get(email=user))
        page = client.get(url)
        assert page.status_code == 200 and shown in page.content.decode(), (user, url)

    total = Invoice.objects.count()
    call_command("demo_data")
    assert Invoice.objects.count() == total


def test_without_background_work_in_process_the_demo_says_it_makes_no_invoice(db, settings, capsys):
    settings.TASKS_BACKEND = "database"
    call_command("demo_data")
    assert "FACTURIER_TASKS=immediate" in capsys.readouterr().out
    assert not Dossier.objects.get(name="BIOBURO").invoices.exists()
