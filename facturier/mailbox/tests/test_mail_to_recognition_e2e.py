"""In Chromium, the issue's proof: mail a scanned invoice to a dossier's address (real SMTP), see the draft with
its e-mail origin, correct one field, confirm, find it in the purchase list and, approved, in the ledger."""

import dataclasses
import random
import shutil
from decimal import Decimal

import pytest

from einvoice.recognition.specimens import make_seller, make_specimen, render_pdf, scan_pdf
from facturier.invoices.models import Invoice
from facturier.invoices.tests.test_e2e_invoices import decide, open_invoice_from_list, sign_in
from facturier.mailbox.tests.conftest import message, send
from facturier.recognition.models import Recognition

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (make ocr)")]


def test_mail_a_scan_then_review_correct_confirm_and_find_it_in_the_ledger(page, world, live_server, listener,
                                                                         address):
    rng = random.Random(23)
    seller = dataclasses.replace(make_seller(rng, foreign=False), rates=(Decimal("20"),))
    specimen = make_specimen(rng, seller=seller, layout="classique", lines=2)
    truth = specimen.truth
    scan = scan_pdf(render_pdf(specimen), rng)
    assert send(listener.port, message(address, subject="Facture scannée",
                                       attachments=[("scan.pdf", scan, "application/pdf")])) == {}

    sign_in(page, live_server, world.user("client"))
    page.goto(f"/dossiers/{world.active.pk}/achats/recevoir/")
    assert "par e-mail de compta@fournisseur.fr : Facture scannée" in page.locator(".recent-files").inner_text()
    page.click(".recent-files a:text-is('Vérifier')")
    page.wait_for_selector("form.recognition-fields")
    assert "Reçue par e-mail de compta@fournisseur.fr" in page.locator("p.mail-origin").inner_text()
    assert Recognition.objects.get().state == Recognition.State.REVIEW

    # One field corrected by hand (the due date, to a later one), the rest confirmed as read or set right.
    due = truth["due_date"].replace(day=28)
    for name in ("number", "seller_name", "total_excl_vat", "total_vat", "total_incl_vat"):
        page.fill(f"#id_{name}", str(truth[name]))
    page.fill("#id_issue_date", truth["issue_date"].isoformat())
    page.fill("#id_due_date", due.isoformat())
    vat = truth["vat"][0]
    for column in ("rate", "base", "amount"):
        page.locator(f"input[name=vat_{column}]").first.fill(str(vat[column]))
    page.click("form.recognition-fields button[type=submit]:text-is('Confirmer la facture')")
    page.wait_for_url(f"**/dossiers/{world.active.pk}/factures/**")
    invoice = Invoice.objects.get()
    assert (invoice.number, invoice.total_incl_vat, invoice.due_date) == (
        truth["number"], truth["total_incl_vat"], due)
    assert "Reçue par e-mail de compta@fournisseur.fr" in page.locator("main").inner_text()

    open_invoice_from_list(page, f"/dossiers/{world.active.pk}/factures/achats/", truth["number"])
    decide(page, 205, confirm=page.locator("form.decision-205 input[name=confirmed]").count() > 0)
    invoice.refresh_from_db()
    assert invoice.approved_at is not None
    page.goto(f"/dossiers/{world.active.pk}/comptabilite/")
    assert truth["number"] in page.locator("main").inner_text()
