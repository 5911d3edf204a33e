"""In Chromium: upload through the file input and by drag and drop; the outcomes and the anomaly show."""

import base64

import pytest

from facturier.invoices.models import Anomaly, IncomingFile, Invoice
from facturier.invoices.receiving.tests.receiving_samples import SUPPLIER_SIREN, purchase_cii, purchase_ubl

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DROP = """([name, content]) => {
  const bytes = Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: "application/xml"}));
  const form = document.getElementById("invoice-upload");
  form.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}"""


def sign_in(page, user, live_server):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_upload_by_input_and_by_drop_shows_each_outcome(page, world, live_server, registry, tmp_path):
    registry.company(SUPPLIER_SIREN)
    registry.liquidation(SUPPLIER_SIREN, judged_on="2026-09-08")
    sign_in(page, world.user("client"), live_server)
    page.goto(f"/dossiers/{world.active.pk}/achats/recevoir/")
    first, junk = tmp_path / "F-1.xml", tmp_path / "junk.xml"
    first.write_bytes(purchase_cii(world.active.siren, number="F-1"))
    junk.write_bytes(b"<not-an-invoice")
    page.set_input_files("#id_files", [str(first), str(junk)])
    dropped = purchase_ubl(world.active.siren, number="F-2")
    page.evaluate(DROP, ["F-2.xml", base64.b64encode(dropped).decode()])
    assert "F-2.xml" in page.locator(".dropzone-selection").inner_text()
    page.click("#invoice-upload button[type=submit]")
    results = page.locator(".upload-results tbody tr")
    assert results.count() == 3
    text = page.locator(".upload-results").inner_text()
    assert "Illisible" in text and "F-1" in text and "F-2" in text
    assert sorted(IncomingFile.objects.values_list("outcome", flat=True)) == ["accepted", "accepted", "unreadable"]
    # The controls ran after the upload: the supplier's liquidation is an open anomaly on each invoice.
    for invoice in Invoice.objects.all():
        assert invoice.anomalies.filter(kind=Anomaly.Kind.INSOLVENCY).exists() and invoice.needs_decision


def test_the_page_warns_before_sending_a_file_over_the_limit(page, world, live_server, settings, tmp_path):
    settings.INVOICE_MAX_FILE_BYTES = 1000
    sign_in(page, world.user("client"), live_server)
    page.goto(f"/dossiers/{world.active.pk}/achats/recevoir/")
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * 5000)
    page.set_input_files("#id_files", str(big))
    assert page.locator(".dropzone-too-large").is_visible()
    page.click("#invoice-upload button[type=submit]")
    assert "Fichier trop volumineux" in page.locator(".upload-results").inner_text()
