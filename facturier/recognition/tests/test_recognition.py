"""Recognition in the platform: an unstructured PDF becomes a draft, reviewed, confirmed once, remembered."""

import dataclasses
import datetime
import hashlib
import io
import json
import random
import shutil
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from einvoice.read import read_invoice
from einvoice.recognition.specimens import make_seller, make_specimen, photo_jpeg, render_pdf
from facturier.archive.store import open_content
from facturier.audit.models import AuditAction, AuditEvent
from facturier.invoices.models import Direction, IncomingFile, Invoice, InvoiceState
from facturier.invoices.receiving.intake import receive_file
from facturier.recognition import service
from facturier.recognition.models import Recognition, SupplierLayout
from facturier.testing.world import sign_in


@pytest.fixture
def seller():
    return make_seller(random.Random(41))


@pytest.fixture
def registry(settings, tmp_path, seller):
    """A local-file registry that knows the seller under its registered name (in capitals, as SIRENE has it)."""
    cache.clear()
    path = tmp_path / "registry.json"
    path.write_text(json.dumps({seller.siren: {"name": seller.name.upper(), "status": "active",
                                               "created_on": "2001-01-01"}}))
    settings.REGISTRY_LOCAL_FILE = str(path)
    yield path
    cache.clear()


@pytest.fixture
def received(django_capture_on_commit_callbacks):
    """Receive a specimen as an upload and let what waits for the commit run (the reading, with the immediate
    task backend)."""
    def receive(world, specimen, name="facture.pdf", data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return receive_file(world.active, name, data or render_pdf(specimen), source="upload")
    return receive


def form_values(truth, **changes):
    values = {name: truth[name] for name in ("seller_name", "seller_siren", "seller_vat", "number", "currency",
                                              "iban", "total_excl_vat", "total_vat", "total_incl_vat")}
    values.update(issue_date=truth["issue_date"].isoformat(), due_date=truth["due_date"].isoformat())
    values.update(changes)
    return values


def review_url(recognition):
    return reverse("recognition:review", args=[recognition.dossier_id, recognition.pk])


def test_a_text_pdf_is_read_into_a_draft_then_filed_as_a_structured_invoice(client, world, seller, registry, received):
    specimen = make_specimen(random.Random(1), seller=seller, layout="classique", lines=4)
    data = render_pdf(specimen)
    incoming = received(world, specimen, data=data)
    assert incoming.outcome == IncomingFile.Outcome.RECOGNITION
    recognition = Recognition.objects.get(incoming=incoming)
    assert recognition.state == Recognition.State.REVIEW and recognition.pages_done == recognition.pages_total == 1
    fields = recognition.result["fields"]
    assert fields["number"]["value"] == specimen.truth["number"]
    assert fields["total_incl_vat"]["value"] == f"{specimen.truth['total_incl_vat']:.2f}"
    assert fields["seller_name"]["value"] == seller.name  # SIRENE agrees (its capitals aside): near certain
    assert fields["seller_name"]["confidence"] >= 0.99
    assert recognition.registry["found"] is True
    assert len(fields["number"]["box"]) == 5 and recognition.result["checks"]["totals"] is True

    sign_in(client, world, "client")
    page = client.get(review_url(recognition)).content.decode()
    assert specimen.truth["number"] in page and 'data-box="0,' in page and "Confirmer la facture" in page
    image = client.get(reverse("recognition:page", args=[world.active.pk, recognition.pk, 0]))
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")

    response = client.post(review_url(recognition), form_values(specimen.truth, seller_name=seller.name.upper()))
    invoice = Invoice.objects.get(dossier=world.active)
    assert response.status_code == 302 and response["Location"].endswith(f"/{invoice.pk}/")
    assert (invoice.direction, invoice.state, invoice.number) == (
        Direction.PURCHASE, InvoiceState.RECEIVED, specimen.truth["number"])
    assert invoice.total_incl_vat == specimen.truth["total_incl_vat"] and invoice.seller_siren == seller.siren
    assert invoice.recognition.pk == recognition.pk and invoice.lifecycle_status in (202, 203, 205)
    incoming.refresh_from_db()
    assert incoming.outcome == IncomingFile.Outcome.ACCEPTED and incoming.invoice == invoice
    assert hashlib.sha256(open_content(incoming.archived)).hexdigest() == hashlib.sha256(data).hexdigest()
    assert invoice.original != incoming.archived and b"CrossIndustryInvoice" in open_content(invoice.original)
    recognition.refresh_from_db()
    assert recognition.corrections == {"seller_name": {"read": seller.name, "confirmed": seller.name.upper()}}
    event = AuditEvent.objects.get(action=AuditAction.RECOGNISED_INVOICE_CONFIRMED)
    assert (event.actor, event.dossier, event.target) == (world.user("client"), world.active, invoice.number)
    assert event.detail == {"file": "facture.pdf", "incoming": incoming.pk, "invoice": invoice.pk,
                            "state": "confirmed", "corrected": ["seller_name"]}
    detail = client.get(reverse("invoices:detail", args=[world.active.pk, invoice.pk])).content.decode()
    assert "Reconnue depuis un PDF, un scan ou une photo" in detail and review_url(recognition) in detail

    again = client.post(review_url(recognition), form_values(specimen.truth), follow=True)
    assert "déjà été traité" in again.content.decode() and Invoice.objects.count() == 1
    assert again.redirect_chain[-1][0] == reverse("invoices:detail", args=[world.active.pk, invoice.pk])
    assert AuditEvent.objects.filter(action=AuditAction.RECOGNISED_INVOICE_CONFIRMED).count() == 1


def test_a_second_confirmation_loses_whatever_came_first(world, seller, registry, received):
    specimen = make_specimen(random.Random(2), seller=seller, layout="modern", lines=2)
    recognition = Recognition.objects.get(incoming=received(world, specimen))
    values = service.draft_values(recognition)
    from facturier.recognition.forms import ConfirmForm

    form = ConfirmForm(values)
    assert form.is_valid(), form.errors
    first = service.confirm(Recognition.objects.get(pk=recognition.pk), form.cleaned_data, by=None)
    second = service.confirm(Recognition.objects.get(pk=recognition.pk), form.cleaned_data, by=None)
    assert first.state == Recognition.State.CONFIRMED and second is None
    assert Invoice.objects.count() == 1 and first.corrections == {}


def test_wrong_fields_are_refused_with_a_message_and_nothing_is_filed(client, world, seller, registry, received):
    specimen = make_specimen(random.Random(3), seller=seller, layout="compact", lines=1)
    recognition = Recognition.objects.get(incoming=received(world, specimen))
    sign_in(client, world, "client")
    response = client.post(review_url(recognition), form_values(
        specimen.truth, seller_siren="123456789", total_incl_vat="1.00", issue_date="31/02/2026"))
    page = response.content.decode()
    assert response.status_code == 400 and "SIREN n&#x27;est pas valide" in page
    assert "n&#x27;est pas la somme du total HT et de la TVA" in page
    assert Invoice.objects.count() == 0
    assert Recognition.objects.get(pk=recognition.pk).state == Recognition.State.REVIEW


def test_others_cannot_see_a_dossiers_recognitions(client, world, seller, registry, received):
    recognition = Recognition.objects.get(incoming=received(world, make_specimen(random.Random(4), seller=seller)))
    sign_in(client, world, "staff_no_delegation")
    assert client.get(review_url(recognition)).status_code in (403, 404)
    url = reverse("recognition:review", args=[world.foreign.pk, recognition.pk])
    sign_in(client, world, "client")
    assert client.get(url).status_code == 404


def test_the_second_invoice_of_a_supplier_needs_no_correction(world, seller, registry, received):
    """The quirky layout prints its number and date under labels no rule knows: one correction teaches them."""
    rng = random.Random(5)
    first = make_specimen(rng, seller=seller, layout="quirky", lines=3)
    recognition = Recognition.objects.get(incoming=received(world, first, "a.pdf"))
    read = service.draft_values(recognition)
    assert read["number"] != first.truth["number"] and read["issue_date"] != first.truth["issue_date"].isoformat()
    from facturier.recognition.forms import ConfirmForm

    form = ConfirmForm(form_values(first.truth, seller_name=read["seller_name"]))
    assert form.is_valid(), form.errors
    confirmed = service.confirm(recognition, form.cleaned_data, by=None)
    assert set(confirmed.corrections) == {"number", "issue_date"}
    assert set(SupplierLayout.objects.get(dossier=world.active, seller_key=seller.siren).boxes) == {
        "number", "issue_date"}

    second = make_specimen(rng, seller=seller, layout="quirky", lines=9)
    again = Recognition.objects.get(incoming=received(world, second, "b.pdf"))
    values = service.draft_values(again)
    assert values["number"] == second.truth["number"]
    assert values["issue_date"] == second.truth["issue_date"].isoformat()
    assert again.result["fields"]["number"]["source"] == "memory"
    form = ConfirmForm(values)
    assert form.is_valid(), form.errors
    assert service.confirm(again, form.cleaned_data, by=None).corrections == {}


def test_a_file_with_neither_text_nor_image_is_unreadable(world, received):
    incoming = received(world, None, "photo.png", b"\x89PNG\r\n\x1a\n" + b"broken")
    incoming.refresh_from_db()
    assert incoming.outcome == IncomingFile.Outcome.UNREADABLE
    assert Recognition.objects.get(incoming=incoming).state == Recognition.State.FAILED


def test_a_file_that_is_no_invoice_is_set_aside_once(client, world, seller, registry, received):
    recognition = Recognition.objects.get(incoming=received(world, make_specimen(random.Random(6), seller=seller)))
    sign_in(client, world, "client")
    response = client.post(review_url(recognition), {"dismiss": "1"}, follow=True)
    assert "Fichier écarté" in response.content.decode()
    recognition.refresh_from_db()
    assert recognition.state == Recognition.State.DISMISSED
    assert recognition.incoming.outcome == IncomingFile.Outcome.UNSUPPORTED and Invoice.objects.count() == 0
    event = AuditEvent.objects.get(action=AuditAction.RECOGNISED_FILE_DISMISSED)
    assert (event.actor, event.dossier, event.target) == (world.user("client"), world.active, "facture.pdf")
    assert event.detail == {"incoming": recognition.incoming_id}
    again = client.post(review_url(recognition), form_values(make_specimen(random.Random(6), seller=seller).truth),
                        follow=True)
    assert "déjà été traité" in again.content.decode() and Invoice.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.RECOGNISED_INVOICE_CONFIRMED).exists()
    assert AuditEvent.objects.filter(action=AuditAction.RECOGNISED_FILE_DISMISSED).count() == 1


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (make ocr)")
def test_a_photo_goes_to_recognition_and_its_page_is_shown_as_read(client, world, seller, registry, received):
    rng = random.Random(10)
    specimen = make_specimen(rng, seller=seller, layout="classique", lines=2)
    incoming = received(world, specimen, "photo.jpg", photo_jpeg(render_pdf(specimen), rng, turn=90))
    recognition = Recognition.objects.get(incoming=incoming)
    assert recognition.result["from_ocr"] and recognition.pages[0]["rotation"] in (90, 270)
    assert service.draft_values(recognition)["total_incl_vat"] == f"{specimen.truth['total_incl_vat']:.2f}"
    sign_in(client, world, "client")
    image = Image.open(io.BytesIO(client.get(reverse("recognition:page", args=[world.active.pk, recognition.pk, 0]))
                                  .content))
    assert image.height > image.width  # upright, as it was read: the boxes fall where the text is
    assert client.get(reverse("recognition:page", args=[world.active.pk, recognition.pk, 3])).status_code == 404


def test_a_reading_lost_with_its_queue_is_queued_again_then_given_up(client, world, seller, registry, settings):
    settings.INVOICE_ANALYSIS_TIMEOUT = 60
    incoming = receive_file(world.active, "a.pdf", render_pdf(make_specimen(random.Random(11), seller=seller)))
    recognition = service.start(incoming=incoming)  # what the signal does; its task is lost: no commit here
    sign_in(client, world, "client")
    waiting = client.get(review_url(recognition)).content.decode()
    assert 'http-equiv="refresh"' in waiting and "page 0 sur 2" in waiting  # the progress, reloading itself
    assert service.requeue_stuck_recognitions() == 0  # not late yet
    late = timezone.now() - datetime.timedelta(seconds=61)
    Recognition.objects.filter(pk=recognition.pk).update(queued_at=late)
    assert service.requeue_stuck_recognitions() == 1  # the immediate backend reads it at once
    recognition.refresh_from_db()
    assert recognition.state == Recognition.State.REVIEW and recognition.runs == 2
    assert service.requeue_stuck_recognitions() == 0

    other = receive_file(world.active, "b.pdf", render_pdf(make_specimen(random.Random(12), seller=seller)))
    service.start(incoming=other)
    Recognition.objects.filter(incoming=other).update(queued_at=late, runs=service.MAX_RUNS)
    assert service.requeue_stuck_recognitions() == 0
    other.refresh_from_db()
    assert other.recognition.state == Recognition.State.FAILED and other.outcome == IncomingFile.Outcome.UNREADABLE


def two_rate_specimen(seller):
    """A specimen whose lines carry two VAT rates (the generator draws each line's rate from the seller's)."""
    seller = dataclasses.replace(seller, rates=(Decimal("20"), Decimal("5.5")))
    return next(specimen for seed in range(100) if len(
        (specimen := make_specimen(random.Random(seed), seller=seller, layout="classique", lines=6)).truth["vat"]) == 2)


def vat_posted(rows):
    return {f"vat_{name}": [str(row[name]) for row in rows] for name in ("rate", "base", "amount")}


def test_a_wrong_vat_breakdown_is_corrected_on_the_review_page(client, world, seller, registry, received):
    specimen = two_rate_specimen(seller)
    truth = specimen.truth
    recognition = Recognition.objects.get(incoming=received(world, specimen))
    read_wrong = [{"rate": "20.00", "amount": f"{truth['total_vat']:.2f}"}]  # as if the second rate was missed
    Recognition.objects.filter(pk=recognition.pk).update(result={**recognition.result, "vat": read_wrong,
                                                                 "lines": []})  # and the lines were illegible
    sign_in(client, world, "client")
    page = client.get(review_url(recognition)).content.decode()
    assert page.count('name="vat_rate"') == 2 and 'name="vat_rate" value="20.00"' in page  # the row read, one to add

    response = client.post(review_url(recognition), {**form_values(truth), **vat_posted(truth["vat"])})
    assert response.status_code == 302
    invoice = Invoice.objects.get(dossier=world.active)
    structured = read_invoice(open_content(invoice.original))
    assert sorted((vat.rate, vat.taxable_amount, vat.tax_amount) for vat in structured.vat_breakdown) == sorted(
        (row["rate"], row["base"], row["amount"]) for row in truth["vat"])
    assert sorted(line.vat_rate for line in structured.lines) == sorted(row["rate"] for row in truth["vat"])
    recognition.refresh_from_db()
    assert set(recognition.corrections) == {"vat"} and recognition.corrections["vat"]["read"] == read_wrong
    assert not SupplierLayout.objects.exists()  # nothing to learn: the breakdown has no single place


def test_an_inconsistent_vat_breakdown_is_refused_with_a_message(client, world, seller, registry, received):
    specimen = two_rate_specimen(seller)
    truth = specimen.truth
    recognition = Recognition.objects.get(incoming=received(world, specimen))
    sign_in(client, world, "client")
    high, low = truth["vat"]
    cases = {
        "ne fait pas": [high, {**low, "amount": low["amount"] + 1}],
        "qu&#x27;une fois": [high, {**low, "rate": high["rate"]}],
        "ligne 2 : indiquez un taux": [high, {**low, "rate": "vingt"}],
        "La somme des TVA par taux": [high, {**low, "base": "", "amount": low["amount"] + 1}],
        "La somme des bases": [high, {**low, "base": low["base"] + 100,
                                      "amount": ((low["base"] + 100) * low["rate"] / 100).quantize(low["amount"])}],
    }
    for message, rows in cases.items():
        response = client.post(review_url(recognition), {**form_values(truth), **vat_posted(rows)})
        assert response.status_code == 400 and message in response.content.decode(), message
    assert Invoice.objects.count() == 0
    assert Recognition.objects.get(pk=recognition.pk).state == Recognition.State.REVIEW


def lines_posted(rows):
    return {f"line_{name}": [str(row[name]) for row in rows]
            for name in ("description", "quantity", "unit_price", "vat_rate", "amount")}


def test_lines_misread_are_corrected_on_the_review_page_and_checked(client, world, seller, registry, received):
    specimen = two_rate_specimen(seller)
    truth = specimen.truth
    recognition = Recognition.objects.get(incoming=received(world, specimen))
    misread = [{k: str(v) for k, v in row.items()} for row in truth["lines"]]
    misread[0]["amount"] = str(truth["lines"][0]["amount"] + 10)  # as if a digit was misread
    Recognition.objects.filter(pk=recognition.pk).update(result={**recognition.result, "lines": misread})
    sign_in(client, world, "client")
    page = client.get(review_url(recognition)).content.decode()
    assert page.count('name="line_amount"') == len(truth["lines"]) + 1 and 'form="recognition-form"' in page
    base = {**form_values(truth), **vat_posted(truth["vat"])}

    refused = {
        "La somme des lignes": [{**truth["lines"][0], "amount": truth["lines"][0]["amount"] + 1},
                                *truth["lines"][1:]],
        "Ligne 2 : indiquez son montant": [truth["lines"][0], {**truth["lines"][1], "amount": "beaucoup"}],
        "un des taux de TVA de la facture": [{**truth["lines"][0], "vat_rate": "7"}, *truth["lines"][1:]],
    }
    for message, rows in refused.items():
        response = client.post(review_url(recognition), {**base, **lines_posted(rows)})
        assert response.status_code == 400 and message in response.content.decode(), message
    assert Invoice.objects.count() == 0

    response = client.post(review_url(recognition), {**base, **lines_posted(truth["lines"])})
    assert response.status_code == 302
    structured = read_invoice(open_content(Invoice.objects.get().original))
    assert [(line.item.name, line.net_amount, line.vat_rate) for line in structured.lines] == [
        (row["description"], row["amount"], row["vat_rate"]) for row in truth["lines"]]
    recognition.refresh_from_db()
    assert set(recognition.corrections) == {"lines"} and recognition.corrections["lines"]["read"] == misread
