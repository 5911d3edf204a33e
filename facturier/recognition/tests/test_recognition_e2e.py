"""In Chromium: a scanned invoice uploaded, read in the background, reviewed beside its image, corrected,
confirmed once (a double click files one invoice), then found among the purchases and, approved, in the ledger."""

import random
import shutil

import pytest

from einvoice.recognition.specimens import make_seller, make_specimen, render_pdf, scan_pdf
from facturier.invoices.models import Invoice
from facturier.invoices.tests.test_e2e_invoices import decide, open_invoice_from_list, sign_in
from facturier.recognition.models import Recognition

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (make ocr)")]


def test_review_correct_and_confirm_a_scanned_invoice(page, world, live_server, registry, tmp_path):
    rng = random.Random(77)
    seller = make_seller(rng)
    registry.company(seller.siren, name=seller.name.upper())
    specimen = make_specimen(rng, seller=seller, layout="quirky", lines=3)  # its number and date labels are unusual
    truth = specimen.truth
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scan_pdf(render_pdf(specimen), rng))

    sign_in(page, live_server, world.user("client"))
    page.goto(f"/dossiers/{world.active.pk}/achats/recevoir/")
    page.set_input_files("#id_files", str(scan))
    page.click("#invoice-upload button[type=submit]")
    page.click(".upload-results a:text-is('Vérifier')")
    page.wait_for_selector("form.recognition-fields")
    assert Recognition.objects.get().state == Recognition.State.REVIEW
    page.wait_for_function("() => document.querySelector('.recognition-page img').naturalWidth > 0")

    # What was not found is highlighted; what was read shows where it was read.
    number = page.locator(".recognition-field", has=page.locator("#id_number"))
    assert "low-confidence" in number.get_attribute("class")
    assert page.locator("#id_total_incl_vat").input_value() == f"{truth['total_incl_vat']:.2f}"
    page.click("#id_total_incl_vat")
    box = page.locator(".recognition-box:visible")
    assert box.count() == 1 and box.bounding_box()["width"] > 10

    page.fill("#id_number", truth["number"])
    page.fill("#id_issue_date", truth["issue_date"].isoformat())
    # The VAT per rate is editable too: its base is set right (the page marks rate × base as inconsistent when
    # the scan's base is misread), and a wrong one would be refused.
    assert page.locator("input[name=vat_rate]").first.input_value() == f"{truth['vat'][0]['rate']:.2f}"
    page.locator("input[name=vat_base]").first.fill(f"{truth['vat'][0]['base']:.2f}")
    page.dblclick("form.recognition-fields button[type=submit]")
    page.wait_for_url(f"**/dossiers/{world.active.pk}/factures/**")
    invoice = Invoice.objects.get()
    assert invoice.number == truth["number"] and invoice.total_incl_vat == truth["total_incl_vat"]
    assert set(Recognition.objects.get().corrections) == {"number", "issue_date", "vat"}

    open_invoice_from_list(page, f"/dossiers/{world.active.pk}/factures/achats/", truth["number"])
    decide(page, 205, confirm=page.locator("form.decision-205 input[name=confirmed]").count() > 0)  # anomalies seen
    invoice.refresh_from_db()
    assert invoice.approved_at is not None
    page.goto(f"/dossiers/{world.active.pk}/comptabilite/")
    assert truth["number"] in page.locator("main").inner_text()
