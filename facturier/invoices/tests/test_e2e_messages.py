"""In Chromium, in French and in English: the main path of a received invoice speaks the reader's language.

An upload with an invoice whose four lines break the same rule and a file that
is no invoice; the invoice page with its grouped findings, an anomaly, a
decision with its reason and the timeline; the task the anomaly gave. Every message is
the plain one, in the reader's language, rule ids and technical texts behind a
"détails" toggle; no bare status code, no channel code.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from einvoice.messages import CATALOGUE
from einvoice.write import to_cii
from facturier.invoices.models import Invoice
from facturier.invoices.receiving.tests.receiving_samples import SUPPLIER_SIREN, purchase_document

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "fr": {"details": "détails", "disputed": "En litige", "reason": "Quantité erronée", "received": "Reçue",
           "insolvency": "Entreprise en procédure collective", "judgment": "jugement du 08/09/2026",
           "approve": "Approuver", "not_invoice": "Illisible"},
    "en": {"details": "details", "disputed": "Disputed", "reason": "Wrong quantity", "received": "Received",
           "insolvency": "Company in insolvency proceedings", "judgment": "judgment of 08/09/2026",
           "approve": "Approve", "not_invoice": "Unreadable"},
}
# What a reader of the other language must never meet on these pages.
FOREIGN = {
    "fr": re.compile(r"\b(platform|Approved|Disputed|Wrong quantity|details)\b"),
    "en": re.compile(r"\b(Approuvée|En litige|Quantité erronée|détails|Plateforme|Motif|Fichier illisible"
                     r"|Facture reçue|procédure collective)\b"),
}
BARE_STATUS = re.compile(r"(?<![\d/.,:])(20\d|21\d|22\d|501)(?![\d/.,:])")


def sign_in(page, live_server, user, language):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
         "url": live_server.url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
    ])


def invoice_with_a_bad_unit_on_every_line(buyer_siren):
    document = purchase_document(buyer_siren, number="F-BAD-UNIT")
    for line in document.lines:
        line.unit_code = "FOO"
    return to_cii(document)


def visible_text(page):
    return page.locator("main").inner_text()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_invoice_with_findings_and_statuses_speaks_the_readers_language(
        page, live_server, world, registry, tmp_path, language):
    words = WORDS[language]
    registry.company(SUPPLIER_SIREN)
    registry.liquidation(SUPPLIER_SIREN, judged_on="2026-09-08")
    dossier = world.active
    sign_in(page, live_server, world.user("client"), language)

    # The upload: each file's result said plainly, the technical text behind the toggle.
    page.goto(f"/dossiers/{dossier.pk}/achats/recevoir/")
    bad, notes = tmp_path / "F-BAD-UNIT.xml", tmp_path / "notes.txt"
    bad.write_bytes(invoice_with_a_bad_unit_on_every_line(dossier.siren))
    notes.write_bytes(b"hello, world")
    page.set_input_files("#id_files", [str(bad), str(notes)])
    page.click("#invoice-upload button[type=submit]")
    results = page.locator(".upload-results")
    not_xml = results.locator("tr", has_text="notes.txt")
    assert words["not_invoice"] in not_xml.inner_text()
    assert CATALOGUE["unreadable.not-xml"].text(language) in not_xml.inner_text()
    assert not not_xml.get_by_text("not an XML document").is_visible()
    not_xml.locator("summary").click()
    assert not_xml.get_by_text("not an XML document").is_visible()
    upload = results.locator("tr", has_text="F-BAD-UNIT.xml")
    code_finding = upload.locator("li.finding").first
    assert CATALOGUE["FX-SCH-A.code"].text(language) in code_finding.inner_text()
    assert code_finding.locator(".finding-count").inner_text() == "× 4"
    assert code_finding.locator("summary").inner_text() == words["details"]
    assert not code_finding.locator(".finding-rule").is_visible()
    assert not FOREIGN[language].search(visible_text(page))

    # The invoice page: grouped findings, the anomaly and its detail in the reader's language.
    invoice = Invoice.objects.get(dossier=dossier, number="F-BAD-UNIT")
    page.goto(f"/dossiers/{dossier.pk}/factures/{invoice.pk}/")
    finding = page.locator("section.validation li.finding").first
    assert "× 4" in finding.inner_text() and finding.locator(".finding-rule").count() == 1
    finding.locator("summary").click()
    rule = finding.locator(".finding-rule").inner_text()
    assert rule.startswith("FX-SCH-A-") and page.locator("main").inner_text().count(rule) == 1
    controls = page.locator("section.controls").inner_text()
    assert words["insolvency"] in controls and words["judgment"] in controls

    # The task the anomaly gave (open until someone decides), named in the reader's language.
    page.goto(reverse("invoices:my_tasks"))
    assert words["insolvency"] in visible_text(page)
    assert not FOREIGN[language].search(visible_text(page))
    page.goto(f"/dossiers/{dossier.pk}/factures/{invoice.pk}/")

    # A decision: its button, its reasons and the timeline in the reader's language, no bare code.
    page.click("details.other-decisions summary")  # the statuses other than approve / refuse are folded
    dispute = page.locator("form.decision-207")
    assert dispute.locator("button").inner_text() == words["disputed"]
    assert page.locator("form.decision-205 button").inner_text() == words["approve"]
    dispute.locator("select[name=reason_code]").select_option("QTE_ERR")
    assert dispute.locator("select[name=reason_code] option:checked").inner_text() == words["reason"]
    dispute.locator("button").click()
    page.wait_for_load_state()
    timeline = page.locator("ol.lifecycle").inner_text()
    assert words["received"] in timeline and words["disputed"] in timeline and words["reason"] in timeline
    assert not BARE_STATUS.search(timeline) and "QTE_ERR" not in timeline
    assert not FOREIGN[language].search(visible_text(page))
