"""The README's main command, `facturier serve --demo`, run as a real process: an invoice issued in
the browser by one demo company reaches the other one, with nothing else started by hand."""

import re

import pytest

from facturier.devidp.people import DEMO_CLIENT_PASSWORD
from facturier.testing.live import LiveSite

pytestmark = [pytest.mark.e2e]


def sign_in(page, url, email):
    page.goto(f"{url}/comptes/connexion/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_CLIENT_PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.wait_for_url(re.compile(r"/dossiers/"))


def test_an_invoice_issued_in_the_demo_reaches_the_other_company(browser, tmp_path):
    with LiveSite(tmp_path) as site:
        # What `make demo` runs, deciding its own background work and registry: nothing set for it here.
        for name in ("FACTURIER_TASKS", "FACTURIER_REGISTRY_FILE", "FACTURIER_BASE_URL"):
            site.environment.pop(name, None)
        url = site.serve(4, "--demo", timeout=300)
        ids = site.django("from facturier.dossiers.models import Dossier\n"
                          "print_json({d.name: d.pk for d in Dossier.objects.filter(name__in=['BIOBURO', 'PREMYS'])})")
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            sign_in(page, url, "pierre.conerardy@bioburo.example")
            page.goto(f"{url}/dossiers/{ids['BIOBURO']}/ventes/nouvelle/")
            page.select_option("#id_customer", label="PREMYS")
            page.fill("#id_lines-0-description", "Conseil démo bout en bout")
            page.fill("#id_lines-0-unit_price", "321")
            page.click("#issue-button")
            page.wait_for_url(re.compile(r"/factures/\d+/$"))
            number = page.locator("h1").inner_text().removeprefix("Facture ").strip()
            assert page.locator("dd.delivery").inner_text() == "Délivrée", "delivered by the demo process itself"
            context.clear_cookies()

            sign_in(page, url, "julie.morel@premys.example")
            page.goto(f"{url}/dossiers/{ids['PREMYS']}/factures/achats/?q={number}")
            row = page.locator("table.invoices tbody tr[data-invoice]")
            assert row.count() == 1 and "BIOBURO" in row.inner_text() and "385,20" in row.inner_text()
            assert "Mise à disposition" in row.inner_text() or "Approuvée" in row.inner_text()
        finally:
            context.close()
