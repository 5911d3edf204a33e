"""Daily use in Chromium, through the screens: deciding many purchase invoices at once, the firm's
counters leading to their lists, the company's own settings, and a supplier being created confirmed
once on its page."""

import re

import pytest

from facturier.invoices.models import Anomaly, Direction, Invoice, LifecycleEvent
from facturier.invoices.receiving import controls
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tasks import run_controls
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii
from facturier.invoices.tests.screens_data import make_invoice
from facturier.invoices.tests.test_e2e_invoices import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def status_of(number, dossier):
    return Invoice.objects.get(dossier=dossier, number=number).lifecycle_status


def test_approve_the_clean_invoices_of_the_list_then_the_blocked_one_on_its_page(page, live_server, seller_world):
    dossier = seller_world.active
    for number in ("A-1", "A-2"):
        make_invoice(dossier, number=number, lifecycle_status=203)
    blocked = make_invoice(dossier, number="A-3", lifecycle_status=203)
    controls.raise_anomaly(blocked, Anomaly.Kind.INSOLVENCY, "liquidation judiciaire, jugement du 08/09/2026", {})
    controls.refresh_needs_decision(blocked)

    sign_in(page, live_server, seller_world.user("client"))
    page.goto(f"/dossiers/{dossier.pk}/factures/achats/")
    page.check("th[data-col=select] input[type=checkbox]")  # "Tout cocher"
    assert page.locator("input[name=invoice]:checked").count() == 3
    page.click("#bulk-decisions button[value='205']")
    page.wait_for_load_state()
    messages = page.locator("ul.messages").inner_text()
    assert "2 factures traitées" in messages and "A-3" in messages
    assert [status_of(n, dossier) for n in ("A-1", "A-2", "A-3")] == [205, 205, 203]

    # The blocked one: its page puts Approuver first, with the check the anomaly asks for.
    page.click("main table.invoices a:text-is('A-3')")
    page.wait_for_url(re.compile(r"/factures/\d+/$"))
    approve = page.locator("form.decision-205.primary")
    assert approve.locator("button").inner_text() == "Approuver"
    assert not page.locator("details.other-decisions form").first.is_visible(), "the other statuses are folded"
    approve.locator("input[name=confirmed]").check()
    approve.locator("button").click()
    page.wait_for_load_state()
    assert status_of("A-3", dossier) == 205


def test_refuse_several_invoices_with_one_reason(page, live_server, seller_world):
    dossier = seller_world.active
    for number in ("A-1", "A-2"):
        make_invoice(dossier, number=number, lifecycle_status=203)
    sign_in(page, live_server, seller_world.user("client"))
    page.goto(f"/dossiers/{dossier.pk}/factures/achats/")
    for number in ("A-1", "A-2"):
        page.check(f"input[name=invoice][value='{Invoice.objects.get(number=number).pk}']")
    page.select_option("#bulk-reason", "DOUBLE_FACT")
    page.click("#bulk-decisions button[value='210']")
    page.wait_for_load_state()
    assert [status_of(n, dossier) for n in ("A-1", "A-2")] == [210, 210]


def test_mark_several_sales_invoices_paid_from_the_list(page, live_server, seller_world):
    dossier = seller_world.active
    for number in ("V-1", "V-2"):
        make_invoice(dossier, Direction.SALES, number=number, lifecycle_status=205)
    make_invoice(dossier, Direction.SALES, number="V-3", lifecycle_status=205)
    sign_in(page, live_server, seller_world.user("client"))
    page.goto(f"/dossiers/{dossier.pk}/factures/ventes/?statut=205")
    assert page.locator("select[name=statut] option:checked").inner_text() == "Approuvée", "a label, not a code"
    for number in ("V-1", "V-2"):
        page.check(f"input[name=invoice][value='{Invoice.objects.get(number=number).pk}']")
    page.click("#bulk-decisions button[value='212']")
    page.wait_for_load_state()
    assert "2 factures traitées" in page.locator("ul.messages").inner_text()
    assert [status_of(n, dossier) for n in ("V-1", "V-2", "V-3")] == [212, 212, 205]
    assert page.url.endswith("?statut=205"), "back to the list as it was filtered"
    assert page.locator("table.invoices tbody tr[data-invoice]").count() == 1  # only V-3 still approved

    # A second tab still showing V-1 unpaid ticks it again with V-3: only V-3 is recorded.
    page.goto(f"/dossiers/{dossier.pk}/factures/ventes/")
    for number in ("V-1", "V-3"):
        page.check(f"input[name=invoice][value='{Invoice.objects.get(number=number).pk}']")
    page.click("#bulk-decisions button[value='212']")
    page.wait_for_load_state()
    messages = page.locator("ul.messages").inner_text()
    assert "1 facture traitée" in messages and "V-1" in messages
    assert LifecycleEvent.objects.filter(invoice__number__in=["V-1", "V-2", "V-3"], status=212).count() == 3


def test_the_staff_dashboard_counter_opens_the_invoices_awaiting_action(page, live_server, seller_world):
    world = seller_world
    make_invoice(world.active, number="A-1", needs_decision=True)
    make_invoice(world.active, number="A-2")
    sign_in(page, live_server, world.user("staff_assigned"))
    page.goto(f"/cabinets/{world.firm.pk}/tableau-de-bord/")
    page.click(f"tr[data-dossier='{world.active.pk}'] td[data-col=action] a")
    page.wait_for_url(re.compile(r"/factures/achats/\?action=on$"))
    assert page.locator("main table.invoices tbody tr").count() == 1
    assert page.locator("main table.invoices a:text-is('A-1')").count() == 1
    assert page.locator("input[name=action]").is_checked()


def test_the_owner_adds_the_missing_iban_from_the_issuing_form(page, live_server, seller_world):
    dossier = seller_world.active
    dossier.iban = ""
    dossier.save()
    sign_in(page, live_server, seller_world.user("client"))
    page.goto(f"/dossiers/{dossier.pk}/ventes/nouvelle/")
    page.click("p.company-missing a")
    page.wait_for_url(re.compile(r"/societe/"))
    page.fill("#id_iban", "FR76 3000 6000 0112 3456 7890 189")
    page.fill("#id_invoice_prefix", "FA")
    page.click("form.company button[type=submit]")
    page.wait_for_load_state()
    assert "enregistrées" in page.locator("ul.messages").inner_text()
    dossier.refresh_from_db()
    assert (dossier.iban, dossier.invoice_prefix) == ("FR7630006000011234567890189", "FA")
    page.goto(f"/dossiers/{dossier.pk}/ventes/nouvelle/")
    assert page.locator("p.company-missing").count() == 0


def test_a_supplier_being_created_is_confirmed_from_the_suppliers_menu(page, live_server, seller_world):
    dossier = seller_world.active
    document = purchase_cii(dossier.siren, legal_information="SAS en cours d'immatriculation au RCS de Paris")
    invoice = receive_file(dossier, "f.xml", document).invoice
    run_controls.enqueue(invoice.pk)
    assert invoice.anomalies.filter(kind=Anomaly.Kind.BEING_CREATED, resolved_at__isnull=True).exists()

    sign_in(page, live_server, seller_world.user("client"))
    page.goto(f"/dossiers/{dossier.pk}/")
    page.click("nav.sidebar a:text-is('Fournisseurs')")
    page.click(f"tr[data-party='{invoice.third_party_id}'] td[data-col=name] a")
    assert "Entreprise en création" in page.locator("section.controls").inner_text()
    page.click("form.confirm-creation button")
    page.wait_for_load_state()
    assert page.locator("dd[data-confirmed='1']").count() == 1
    assert not invoice.anomalies.filter(resolved_at__isnull=True).exists()
