"""A scanned invoice mailed to a dossier's address: read by the worker, reviewed with its e-mail origin, filed."""

import random
import shutil

import pytest
from django.urls import reverse

from einvoice.recognition.specimens import make_seller, make_specimen, render_pdf, scan_pdf
from facturier.invoices.models import Direction, IncomingFile, Invoice
from facturier.mailbox.models import MailMessage
from facturier.mailbox.tests.conftest import message, send
from facturier.recognition.models import Recognition
from facturier.testing.world import sign_in

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (make ocr)")]


def test_a_mailed_scan_is_read_reviewed_with_its_origin_and_filed(listener, world, address, client):
    rng = random.Random(14)
    specimen = make_specimen(rng, seller=make_seller(rng, foreign=False), layout="classique", lines=2)
    truth, scan = specimen.truth, scan_pdf(render_pdf(specimen), rng)
    mail = message(address, subject="Facture du mois", attachments=[("scan-0412.pdf", scan, "application/pdf")])
    assert send(listener.port, mail) == {}

    # The worker (immediate in the tests) took the attachment and read it into a draft.
    received = MailMessage.objects.get()
    incoming = received.attachments.get().incoming
    assert (incoming.source, incoming.outcome) == ("email", IncomingFile.Outcome.RECOGNITION)
    recognition = Recognition.objects.get(incoming=incoming)
    assert recognition.state == Recognition.State.REVIEW and recognition.result["from_ocr"]

    sign_in(client, world, "client")
    upload = client.get(reverse("receiving:upload", args=[world.active.pk])).content.decode()
    review_url = reverse("recognition:review", args=[world.active.pk, recognition.pk])
    assert review_url in upload and "par e-mail de compta@fournisseur.fr : Facture du mois" in upload
    review = client.get(review_url).content.decode()
    assert "Reçue par e-mail de compta@fournisseur.fr, objet « Facture du mois »" in review
    assert "envoyé le 03/12/2026" in review and "Confirmer la facture" in review

    values = {name: truth[name] for name in ("seller_name", "seller_siren", "seller_vat", "number", "currency",
                                              "iban", "total_excl_vat", "total_vat", "total_incl_vat")}
    values.update(issue_date=truth["issue_date"].isoformat(), due_date=truth["due_date"].isoformat())
    response = client.post(review_url, values)
    invoice = Invoice.objects.get(dossier=world.active)
    assert response.status_code == 302 and response["Location"].endswith(f"/{invoice.pk}/")
    assert (invoice.direction, invoice.number, invoice.total_incl_vat) == (
        Direction.PURCHASE, truth["number"], truth["total_incl_vat"])
    assert invoice.recognition.pk == recognition.pk and invoice.seller_siren == truth["seller_siren"]
    detail = client.get(reverse("invoices:detail", args=[world.active.pk, invoice.pk])).content.decode()
    assert "Reconnue depuis un PDF, un scan ou une photo" in detail
    assert "Reçue par e-mail de compta@fournisseur.fr" in detail
