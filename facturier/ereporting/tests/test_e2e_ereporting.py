"""In Chromium: staff set a dossier's regime, enter a B2C day, see the report due, prepare it and send it
through the firm's connection to an accredited platform (a real second ``facturier serve``)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from facturier.accredited.client import forget_tokens
from facturier.accredited.tests.counterpart import Counterpart
from facturier.dossiers.models import VatRegime
from facturier.ereporting.calendar import Family, period_of
from facturier.ereporting.models import B2CDay, Report, ReportStatus
from facturier.testing.world import build_world


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.fixture
def platform(tmp_path):
    with Counterpart(tmp_path) as counterpart:
        yield counterpart


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_regime_b2c_day_report_due_prepared_and_sent(page, live_server, settings, platform):
    settings.EREPORTING_START = "2020-01-01"
    world = build_world()
    forget_tokens()
    platform.connect(world.firm)  # the firm's administrator declared its platform: the dossier's by default
    dossier = world.active
    today = timezone.localdate()
    previous = period_of(VatRegime.NORMAL_MONTHLY, Family.TRANSACTIONS,
                         period_of(VatRegime.NORMAL_MONTHLY, Family.TRANSACTIONS, today).start
                         - datetime.timedelta(days=1))
    sign_in(page, live_server, world.people["staff_assigned"])

    page.goto(f"/dossiers/{dossier.pk}/")
    page.get_by_role("link", name="E-reporting").first.click()
    expect(page.get_by_text("n'est pas renseigné")).to_be_visible()
    page.get_by_role("link", name="Renseigner le profil TVA").click()
    page.select_option("#id_vat_regime", VatRegime.NORMAL_MONTHLY)
    page.get_by_label("Vend à des particuliers").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Profil TVA enregistré.")).to_be_visible()

    page.get_by_role("link", name="Ventes aux particuliers").click()
    page.fill("#id_date", previous.start.isoformat())
    page.select_option("#id_line-0-category", "TLB1")
    page.select_option("#id_line-0-rate", "20")
    page.fill("#id_line-0-amount_excl_vat", "1250.40")
    page.fill("#id_line-0-count", "37")
    page.get_by_role("button", name="Enregistrer la journée").click()
    expect(page.get_by_text("enregistrées")).to_be_visible()
    assert B2CDay.objects.get(dossier=dossier).vat_amount == Decimal("250.08")

    page.get_by_role("link", name="← E-reporting").click()
    row = page.locator(f'tr[data-kind="10.3"][data-period="{previous.start.isoformat()}"]')
    expected = "En retard" if previous.due < today else "À transmettre"
    expect(row).to_contain_text(expected)
    expect(row).to_contain_text(previous.due.strftime("%d/%m/%Y"))
    row.get_by_role("button", name="Préparer").click()

    expect(page.get_by_text("Rapport préparé et contrôlé : il est conforme.")).to_be_visible()
    expect(page.locator("[data-report-status]")).to_have_text("Prêt à transmettre")
    expect(page.get_by_role("cell", name="1250.40").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le XML").click()
    report = Report.objects.get(dossier=dossier, kind="10.3")
    assert download.value.suggested_filename == report.filename

    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Rapport transmis à la plateforme agréée : Accepté.")).to_be_visible()
    expect(page.locator("[data-report-status]")).to_have_text("Accepté")
    expect(page.get_by_role("button", name="Envoyer")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED and report.flow_id
    assert [(flow["syntax"], flow["type"], flow["ack"]) for flow in platform.state()["flows"]] == [
        ("FRR", "AggregatedCustomerTransactionReport", "Ok")], "the platform holds it, acknowledged"
    page.get_by_role("link", name="← E-reporting").click()
    expect(page.locator(f'tr[data-kind="10.3"][data-period="{previous.start.isoformat()}"]')).not_to_contain_text(
        expected)
