"""The upload page and the decision endpoint: outcomes shown, limits, CSRF, access matrix."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from einvoice.messages import CATALOGUE, explain
from einvoice.recognition.specimens import make_specimen, render_pdf
from facturier.archive.models import HeldFile
from facturier.dossiers.models import DossierMembership
from facturier.invoices.models import IncomingFile, Invoice
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii, purchase_ubl
from facturier.mailbox.models import MailAttachment, MailMessage
from facturier.recognition.models import Recognition
from facturier.testing.world import sign_in

pytestmark = [pytest.mark.usefixtures("offline_registry")]


def upload_url(dossier):
    return reverse("receiving:upload", args=[dossier.pk])


def files(*items):
    return [SimpleUploadedFile(name, data) for name, data in items]


def test_several_files_at_once_each_with_its_outcome(client, world):
    sign_in(client, world, "client")
    response = client.post(upload_url(world.active), {"files": files(
        ("a.xml", purchase_cii(world.active.siren, number="A-1")),
        ("b.xml", purchase_ubl(world.active.siren, number="A-2")),
        ("a-again.xml", purchase_cii(world.active.siren, number="A-1")),
        ("junk.pdf", b"%PDF-1.7 nothing"),
        ("order.xml", b"<Order xmlns='urn:x'/>"),
    )})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("outcome-accepted") >= 2 and "DOUBLON" in page and "Illisible" in page
    assert "Format non pris en charge" in page and "A-2" in page
    outcomes = sorted(IncomingFile.objects.filter(dossier=world.active).values_list("outcome", flat=True))
    assert outcomes == ["accepted", "accepted", "duplicate", "unreadable", "unsupported"]
    assert all(f.uploaded_by == world.user("client") for f in IncomingFile.objects.all())


def test_engine_errors_are_listed_for_an_invalid_invoice(client, world):
    sign_in(client, world, "client")
    data = purchase_cii(world.active.siren).replace(b"<ram:TypeCode>380</ram:TypeCode>",
                                                    b"<ram:TypeCode>999</ram:TypeCode>")
    page = client.post(upload_url(world.active), {"files": files(("bad.xml", data))}).content.decode()
    first = Invoice.objects.get().validation["errors"][0]
    plain = explain(first["rule"], first["message"])
    assert "invalide" in page and escape(plain.fr) in page  # the message written for people
    results = page.split('class="incoming-files"')[1]  # the upload's own table (recent files follow)
    assert results.count(f'<code class="finding-rule">{first["rule"]}</code>') == 1  # the id, once, in "détails"
    assert "<summary>détails</summary>" in page and "[BR-CL-01]" not in page  # no id repeated in the text


def test_a_file_that_is_not_an_invoice_says_so_plainly(client, world):
    sign_in(client, world, "client")
    page = client.post(upload_url(world.active), {"files": files(
        ("notes.txt", b"hello, world"),
        ("order.xml", (b'<SCRDMCCBDACIOMessageStructure'
                      b' xmlns="urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100"/>')),
    )}).content.decode()
    assert escape(CATALOGUE["unreadable.not-xml"].fr) in page
    assert escape(CATALOGUE["unsupported-format.order-x"].fr) in page
    assert "not an XML document" in page and "Order-X is not supported" in page  # behind "détails"


def test_a_file_over_the_limit_gets_a_clear_message(client, world, settings):
    settings.INVOICE_MAX_FILE_BYTES = 2000
    sign_in(client, world, "client")
    page = client.post(upload_url(world.active), {"files": files(("big.xml", b"x" * 5000),
                                                                 ("a.xml", purchase_cii(world.active.siren)))})
    text = page.content.decode()
    assert "Fichier trop volumineux" in text and "limite" in text
    assert IncomingFile.objects.get(filename="big.xml").outcome == "too_large"


def test_no_file_is_a_clear_error(client, world):
    sign_in(client, world, "client")
    response = client.post(upload_url(world.active), {})
    assert response.status_code == 400 and "Choisissez au moins un fichier" in response.content.decode()


def receive_one_of_each_kind(dossier, tag):
    """An invoice, a file that is no invoice (held), a PDF to recognise and an invoice that came by e-mail."""
    receive_file(dossier, f"earlier-{tag}.xml", purchase_cii(dossier.siren, number=f"E-{tag}"))
    receive_file(dossier, f"notes-{tag}.txt", b"hello, world")
    specimen = make_specimen(random.Random(tag), layout="classique", lines=1)
    Recognition.objects.get_or_create(incoming=receive_file(dossier, f"scan-{tag}.pdf", render_pdf(specimen)),
                                      defaults={"dossier": dossier})
    mailed = receive_file(dossier, f"mailed-{tag}.xml", purchase_cii(dossier.siren, number=f"M-{tag}"),
                          source="email")
    message = MailMessage.objects.create(dossier=dossier, key=f"k{tag}", sender="compta@fournisseur.fr",
                                         subject=f"Facture {tag}", size=100, state=MailMessage.State.DONE)
    MailAttachment.objects.create(message=message, filename=mailed.filename, size=mailed.size, incoming=mailed)


def test_the_page_lists_recent_files_and_offers_drag_and_drop(client, world, django_assert_max_num_queries):
    receive_one_of_each_kind(world.active, 1)
    sign_in(client, world, "staff_assigned")
    with CaptureQueriesContext(connection) as few:
        page = client.get(upload_url(world.active)).content.decode()
    assert "earlier-1.xml" in page and 'type="file"' in page and "multiple" in page
    assert "receiving/upload.js" in page and 'enctype="multipart/form-data"' in page
    assert "Vérifier" in page and "Pas une facture" in page and "par e-mail de compta@fournisseur.fr" in page
    for tag in range(2, 6):
        receive_one_of_each_kind(world.active, tag)
    with django_assert_max_num_queries(len(few.captured_queries)):  # no query per row
        page = client.get(upload_url(world.active)).content.decode()
    assert page.count("Vérifier</a>") == 5 and page.count("par e-mail de") == 5


def test_upload_requires_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("client"))
    response = client.post(upload_url(world.active), {"files": files(("a.xml", purchase_cii(world.active.siren)))})
    assert response.status_code == 403 and not IncomingFile.objects.exists()


@pytest.mark.parametrize("role, status", [
    ("client", 200), ("staff_assigned", 200), ("admin", 200), ("accountant", 200),
    ("staff_unassigned", 404), ("staff_no_delegation", 404),
])
def test_upload_page_access_matrix(client, world, role, status):
    sign_in(client, world, role)
    assert client.get(upload_url(world.active)).status_code == status


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(upload_url(world.active))
    assert response.status_code == 302


@pytest.mark.parametrize("dossier", ["foreign", "new", "invited"])
def test_other_or_closed_dossiers_answer_404(client, world, dossier):
    sign_in(client, world, "accountant")
    assert client.get(upload_url(getattr(world, dossier))).status_code == 404
    assert client.post(upload_url(getattr(world, dossier)), {"files": files(("a.xml", b"x"))}).status_code == 404
    assert not IncomingFile.objects.exists()


def test_client_user_without_the_purchases_right_gets_403(client, world):
    from facturier.accounts.models import User

    clerk = User.objects.create_user("clerk@client-actif.example")
    DossierMembership.objects.create(dossier=world.active, user=clerk, can_issue_sales=True)
    client.force_login(clerk)
    assert client.get(upload_url(world.active)).status_code == 403
    response = client.post(upload_url(world.active), {"files": files(("a.xml", purchase_cii(world.active.siren)))})
    assert response.status_code == 403 and not IncomingFile.objects.exists()


@pytest.fixture
def invoice(world):
    return receive_file(world.active, "f.xml", purchase_cii(world.active.siren)).invoice


def decide_url(invoice):
    return reverse("invoices:decide", args=[invoice.dossier_id, invoice.pk])


@pytest.mark.parametrize("role, status, recorded", [
    ("client", 302, True), ("staff_assigned", 302, True), ("admin", 302, True),
    ("staff_unassigned", 404, False), ("staff_no_delegation", 404, False),
])
def test_decision_access_matrix(client, world, invoice, role, status, recorded):
    sign_in(client, world, role)
    response = client.post(decide_url(invoice), {"status": "205"})
    assert response.status_code == status
    invoice.refresh_from_db()
    assert (invoice.lifecycle_status == 205) is recorded


def test_decision_of_a_read_only_client_user_is_403(client, world, invoice):
    from facturier.accounts.models import User

    reader = User.objects.create_user("reader@client-actif.example")
    DossierMembership.objects.create(dossier=world.active, user=reader)
    client.force_login(reader)
    assert client.post(decide_url(invoice), {"status": "205"}).status_code == 403


def test_decision_on_another_dossiers_invoice_is_404(client, world, invoice):
    sign_in(client, world, "accountant")
    url = reverse("invoices:decide", args=[world.own.pk, invoice.pk])  # right dossier id, wrong invoice
    assert client.post(url, {"status": "205"}).status_code == 404


def test_decision_refused_shows_the_reason_and_returns_to_the_invoice(client, world, invoice):
    sign_in(client, world, "client")
    response = client.post(decide_url(invoice), {"status": "210"}, follow=True)
    assert "Choisissez un motif" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.lifecycle_status == 203


def test_decision_with_confirmation_box(client, world, invoice):
    from facturier.invoices.models import Anomaly
    from facturier.invoices.receiving import controls

    controls.raise_anomaly(invoice, Anomaly.Kind.CLOSED, "fermée", {})
    sign_in(client, world, "client")
    page = client.post(decide_url(invoice), {"status": "205"}, follow=True).content.decode()
    assert "anomalie ouverte" in page
    client.post(decide_url(invoice), {"status": "205", "confirmed": "on"})
    invoice.refresh_from_db()
    assert invoice.lifecycle_status == 205


def test_decision_is_post_only_with_csrf(world, invoice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("client"))
    assert client.get(decide_url(invoice)).status_code == 405
    assert client.post(decide_url(invoice), {"status": "205"}).status_code == 403


def test_decision_forms_include(world, invoice, rf):
    from django.template.loader import render_to_string

    from facturier.invoices.decisions import allowed_decisions

    request = rf.get("/")
    request.user = world.user("client")
    html = render_to_string("invoices/decisions/_forms.html", {
        "invoice": invoice, "decisions": allowed_decisions(invoice, world.user("client"))}, request=request)
    assert html.count("<form") == 6 and decide_url(invoice) in html and "csrfmiddlewaretoken" in html
    assert 'name="reason_code"' in html and 'name="amount"' in html
    assert render_to_string("invoices/decisions/_forms.html", {"invoice": invoice, "decisions": []}).strip() == ""


def test_each_file_sent_shows_once_with_its_size_in_ko(client, world):
    receive_file(world.active, "earlier.xml", purchase_cii(world.active.siren, number="E-1"))
    sign_in(client, world, "client")
    data = purchase_cii(world.active.siren, number="A-1")
    page = client.post(upload_url(world.active), {"files": files(("a.xml", data), ("junk.txt", b"not an invoice"))}
                       ).content.decode()
    assert page.count("a.xml") == 1 and page.count("junk.txt") == 1 and page.count("earlier.xml") == 1
    assert "(14 octets)" in page and f"({data and round(len(data) / 1024, 1)} Ko)".replace(".", ",") in page


def test_a_file_that_is_not_an_invoice_is_shown_downloadable_until_it_is_erased(client, world, settings):
    settings.REJECTED_FILES_DAYS = 5
    sign_in(client, world, "client")
    page = client.post(upload_url(world.active), {"files": files(("notes.txt", b"not an invoice"))}).content.decode()
    incoming = IncomingFile.objects.select_related("held").get()
    date = timezone.localtime(incoming.held.delete_after).strftime("%d/%m/%Y")
    assert f"Pas une facture : non archivé, effacé après le {date}." in page and "5 jours" in page
    download = reverse("receiving:held_file", args=[world.active.pk, incoming.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200 and response.content == b"not an invoice"
    assert response["Content-Type"] == "application/octet-stream" and "notes.txt" in response["Content-Disposition"]

    # Another dossier's file, or an invoice (in the legal archive, not held), is not served here.
    assert client.get(reverse("receiving:held_file", args=[world.foreign.pk, incoming.pk])).status_code == 404
    invoice = receive_file(world.active, "a.xml", purchase_cii(world.active.siren))
    assert client.get(reverse("receiving:held_file", args=[world.active.pk, invoice.pk])).status_code == 404

    call_command("archive", "purge-held", stdout=io.StringIO())  # not yet due
    assert client.get(download).status_code == 200
    HeldFile.objects.filter(pk=incoming.held_id).update(delete_after=timezone.now())
    out = io.StringIO()
    call_command("archive", "purge-held", stdout=out)
    assert "1 fichier effacé" in out.getvalue()
    assert client.get(download).status_code == 404
    page = client.get(upload_url(world.active)).content.decode()
    assert "Pas une facture : effacé." in page and "notes.txt" in page and download not in page
