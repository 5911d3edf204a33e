"""The pages: the VAT profile, the dossier's periods and reports, B2C days and their import, the firm view,
and who may see or do what."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from facturier.audit.models import AuditAction, AuditEvent
from facturier.dossiers.models import VatRegime
from facturier.ereporting import overview
from facturier.ereporting.models import B2CDay, Report, ReportKind, ReportStatus
from facturier.ereporting.tests.conftest import b2c, foreign_sale

D = Decimal
MARCH_5 = datetime.date(2026, 3, 5)


@pytest.fixture
def today(monkeypatch):
    """A fixed today: 25 March 2026."""
    from django.utils import timezone

    fixed = datetime.date(2026, 3, 25)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: fixed)
    return fixed


def test_staff_set_the_vat_profile_and_it_is_audited(client, world, shop):
    client.force_login(world.user("staff_assigned"))
    url = reverse("ereporting:profile", args=[shop.pk])
    response = client.post(url, {"vat_regime": VatRegime.SIMPLIFIED, "services_vat_basis": "debits",
                                 "sells_to_individuals": "on"})
    assert response.status_code == 302
    shop.refresh_from_db()
    assert (shop.vat_regime, shop.services_vat_basis, shop.sells_to_individuals, shop.trades_abroad) == (
        VatRegime.SIMPLIFIED, "debits", True, False)
    assert AuditEvent.objects.filter(action=AuditAction.VAT_PROFILE_CHANGED, dossier=shop).exists()


def test_profile_rights(client, world, shop):
    url = reverse("ereporting:profile", args=[shop.pk])
    client.force_login(world.user("client"))  # the owner: a dossier admin
    assert client.post(url, {"vat_regime": VatRegime.FRANCHISE, "services_vat_basis": "receipts"}).status_code == 302
    client.force_login(world.user("staff_unassigned"))  # not assigned: the dossier is not theirs
    assert client.get(url).status_code == 404
    client.force_login(world.foreign.owner)  # another firm's client
    assert client.get(url).status_code == 404


def test_dossier_page_lists_periods_deadlines_and_states(client, world, shop, today):
    client.force_login(world.user("staff_assigned"))
    response = client.get(reverse("ereporting:dossier", args=[shop.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    # 1-10 March: closed, due 20 March, past: late; 11-20 March: due 30 March: to send.
    assert 'data-kind="10.3" data-period="2026-03-01" data-state="late"' in page
    assert 'data-kind="10.3" data-period="2026-03-11" data-state="to_send"' in page
    assert 'data-kind="10.3" data-period="2026-03-21" data-state="open"' in page
    assert 'data-kind="10.4" data-period="2026-03-01" data-state="open"' in page  # payments: monthly


def test_build_show_download_and_send(client, world, shop, today):
    b2c(shop, datetime.date(2026, 3, 2), "20", "1000", count=12)
    client.force_login(world.user("staff_assigned"))
    response = client.post(reverse("ereporting:build", args=[shop.pk]),
                           {"kind": ReportKind.B2C, "period_start": "2026-03-01"})
    report = Report.objects.get(dossier=shop, kind=ReportKind.B2C)
    assert response.url == reverse("ereporting:report", args=[shop.pk, report.pk])
    assert report.status == ReportStatus.READY

    page = client.get(response.url).content.decode()
    assert "1000.00" in page and "200.00" in page and "Prêt à transmettre" in page

    download = client.get(reverse("ereporting:download", args=[shop.pk, report.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"<CategoryCode>TLB1</CategoryCode>" in download.content

    sent = client.post(reverse("ereporting:send", args=[shop.pk, report.pk]), follow=True)
    assert "pas relié à une plateforme agréée" in sent.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert AuditEvent.objects.filter(action=AuditAction.EREPORT_SEND_REFUSED, dossier=shop).exists()


def test_errors_are_shown_next_to_their_invoice(client, world, shop, today):
    invoice = foreign_sale(shop, "F-99", "100", datetime.date(2026, 3, 3), rate="19")
    client.force_login(world.user("staff_assigned"))
    response = client.post(reverse("ereporting:build", args=[shop.pk]),
                           {"kind": ReportKind.SALES, "period_start": "2026-03-01"}, follow=True)
    page = response.content.decode()
    assert 'data-rule="G1.24"' in page
    assert "Facture F-99" in page and reverse("invoices:detail", args=[shop.pk, invoice.pk]) in page


def test_build_refuses_a_period_that_is_not_one(client, world, shop):
    client.force_login(world.user("staff_assigned"))
    url = reverse("ereporting:build", args=[shop.pk])
    assert client.post(url, {"kind": ReportKind.B2C, "period_start": "2026-03-02"}).status_code == 404
    assert client.post(url, {"kind": "10.9", "period_start": "2026-03-01"}).status_code == 404
    assert client.post(url, {"kind": ReportKind.B2C, "period_start": "hier"}).status_code == 404


def test_a_read_only_client_user_cannot_build(client, world, shop):
    from facturier.accounts.models import User
    from facturier.dossiers.models import DossierMembership

    reader = User.objects.create_user("reader@client-actif.example")
    DossierMembership.objects.create(dossier=shop, user=reader, can_issue_sales=True)
    client.force_login(reader)
    assert client.get(reverse("ereporting:dossier", args=[shop.pk])).status_code == 200
    assert client.post(reverse("ereporting:build", args=[shop.pk]),
                       {"kind": ReportKind.B2C, "period_start": "2026-03-01"}).status_code == 403


def test_enter_a_b2c_day(client, world, shop):
    client.force_login(world.user("staff_assigned"))
    data = {"date": "2026-03-02", "line-TOTAL_FORMS": "3", "line-INITIAL_FORMS": "0",
            "line-0-category": "TLB1", "line-0-rate": "20", "line-0-amount_excl_vat": "150,00".replace(",", "."),
            "line-1-category": "TPS1", "line-1-rate": "10", "line-1-amount_excl_vat": "50",
            "line-1-received": "55", "line-1-count": "3"}
    assert client.post(reverse("ereporting:b2c", args=[shop.pk]), data).status_code == 302
    days = {(d.category, d.rate): d for d in B2CDay.objects.filter(dossier=shop)}
    assert days["TLB1", D("20")].vat_amount == D("30.00")  # computed from the rate
    assert days["TPS1", D("10")].received == D("55") and days["TPS1", D("10")].count == 3
    # The same day again replaces, never doubles.
    data["line-0-amount_excl_vat"] = "200"
    client.post(reverse("ereporting:b2c", args=[shop.pk]), data)
    assert B2CDay.objects.filter(dossier=shop).count() == 2
    assert B2CDay.objects.get(dossier=shop, category="TLB1").amount_excl_vat == D("200")


def test_import_daily_totals_from_a_csv_with_a_mapping(client, world, shop):
    client.force_login(world.user("staff_assigned"))
    content = ("Jour;Caisse;Taux;Total TTC\n02/03/2026;1;20 %;120,00\n02/03/2026;2;20%;60\n"
               "03/03/2026;1;5,5;105,50\n").encode("cp1252")
    upload = io.BytesIO(content)
    upload.name = "caisse.csv"
    response = client.post(reverse("ereporting:b2c_upload", args=[shop.pk]), {"file": upload})
    assert response.url == reverse("ereporting:b2c_mapping", args=[shop.pk])
    page = client.get(response.url).content.decode()
    assert "Total TTC" in page
    response = client.post(response.url, {"date": "0", "rate": "2", "amount_incl_vat": "3", "category": "",
                                          "amount_excl_vat": "", "vat_amount": "", "count": "", "received": ""})
    assert response.status_code == 302
    day = B2CDay.objects.get(dossier=shop, date=datetime.date(2026, 3, 2))
    assert (day.amount_excl_vat, day.vat_amount, day.source) == (D("150.00"), D("30.00"), "import")
    assert B2CDay.objects.get(dossier=shop, date=datetime.date(2026, 3, 3)).amount_excl_vat == D("100.00")


def test_import_refuses_unreadable_rows_and_keeps_nothing(client, world, shop):
    client.force_login(world.user("staff_assigned"))
    book = Workbook()
    book.active.append(["Date", "Taux", "HT"])
    book.active.append([datetime.datetime(2026, 3, 2), 20, 100])
    book.active.append(["32/13/2026", 19, 100])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "z.xlsx"
    client.post(reverse("ereporting:b2c_upload", args=[shop.pk]), {"file": data})
    response = client.post(reverse("ereporting:b2c_mapping", args=[shop.pk]),
                           {"date": "0", "rate": "1", "amount_excl_vat": "2"})
    page = response.content.decode()
    assert response.status_code == 200 and "Ligne 3" in page and "Date illisible" in page
    assert not B2CDay.objects.filter(dossier=shop).exists()


def test_firm_view_and_counts(client, world, shop, today):
    b2c(shop, datetime.date(2026, 3, 2), "19.5", "100")
    client.force_login(world.user("staff_assigned"))
    client.post(reverse("ereporting:build", args=[shop.pk]), {"kind": ReportKind.B2C, "period_start": "2026-03-01"})
    page = client.get(reverse("ereporting:firm", args=[world.firm.pk])).content.decode()
    assert f'data-dossier="{shop.pk}" data-state="late"' in page
    assert "1 erreur" in page
    home = client.get(reverse("dashboard:home", args=[shop.pk])).content.decode()
    assert "E-reporting à transmettre" in home
    clients = client.get(reverse("dashboard:clients", args=[world.firm.pk])).content.decode()
    assert "E-reporting à transmettre" in clients and reverse("ereporting:firm", args=[world.firm.pk]) in clients
    staff = client.get(reverse("dashboard:staff", args=[world.firm.pk])).content.decode()
    expected = overview.counts(overview.firm_overview([shop]))
    assert expected["late"] > 0
    for page_text in (home, clients, staff):
        assert f'data-count="late">{expected["late"]}<' in page_text
        assert f'data-count="to_send">{expected["to_send"]}<' in page_text
    late = client.get(reverse("ereporting:firm", args=[world.firm.pk]) + "?voir=retard").content.decode()
    assert 'data-state="to_send"' not in late


def test_firm_view_of_another_firm_is_not_found(client, world):
    client.force_login(world.user("staff_assigned"))
    assert client.get(reverse("ereporting:firm", args=[world.foreign_firm.pk])).status_code == 404


def test_command_builds_and_explains_it_cannot_send(shop, today, tmp_path, capsys):
    b2c(shop, datetime.date(2026, 3, 2), "20", "100")
    call_command("ereporting", "build", "--dossier", shop.siren, "--period", MARCH_5.isoformat(), "-o", str(tmp_path))
    output = capsys.readouterr().out
    assert "356000000\t10.3\t2026-03-01\t2026-03-10\tPrêt à transmettre" in output
    assert (tmp_path / Report.objects.get(kind=ReportKind.B2C).filename).read_text().startswith("<?xml")
    with pytest.raises(CommandError) as refusal:
        call_command("ereporting", "send", "--dossier", shop.siren, "--period", MARCH_5.isoformat())
    assert refusal.value.returncode == 1
    assert "plateforme agréée" in capsys.readouterr().out
    with pytest.raises(CommandError) as usage:
        call_command("ereporting", "build", "--dossier", "999999999")
    assert usage.value.returncode == 2


def test_the_dossier_settings_lead_to_the_vat_profile(client, world, shop):
    client.force_login(world.user("staff_assigned"))
    page = client.get(reverse("dashboard:settings", args=[shop.pk])).content.decode()
    assert reverse("ereporting:profile", args=[shop.pk]) in page


def test_the_firm_view_shows_only_the_dossiers_a_person_works_on(client, world, shop, today):
    url = reverse("ereporting:firm", args=[world.firm.pk])
    client.force_login(world.user("staff_no_delegation"))
    assert client.get(url).status_code == 404
    client.force_login(world.user("staff_unassigned"))
    assert f'data-dossier="{shop.pk}"' not in client.get(url).content.decode()
    client.force_login(world.user("admin"))
    assert f'data-dossier="{shop.pk}"' in client.get(url).content.decode()


def test_a_long_error_list_is_cut_at_the_top_and_kept_on_the_rows(client, world, shop, today, monkeypatch):
    from facturier.ereporting import views

    monkeypatch.setattr(views, "ERRORS_SHOWN", 1)
    for number in ("F-1", "F-2", "F-3"):
        foreign_sale(shop, number, "100", datetime.date(2026, 3, 3), rate="19")
    client.force_login(world.user("staff_assigned"))
    page = client.post(reverse("ereporting:build", args=[shop.pk]),
                       {"kind": ReportKind.SALES, "period_start": "2026-03-01"}, follow=True).content.decode()
    assert page.count('data-rule="G1.24"') == 1
    assert "Et 2 autres erreurs" in page
    assert page.count("[G1.24]") >= 3  # every row shows its own
