"""The "Société" page: who changes the company's details, what is checked, and what the sales
invoices take from it (IBAN, legal mentions, numbering prefix, payment terms, contact, logo)."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from einvoice.read import read_invoice
from einvoice.tests.test_render import tiny_png
from facturier.accounts.models import User
from facturier.archive.store import open_content
from facturier.audit.models import AuditEvent
from facturier.dossiers.models import CompanyLogo, DossierMembership
from facturier.exchange.tests.support import customer
from facturier.invoices.issuing.tests.test_issuing_views import form_data
from facturier.invoices.models import Invoice

PNG = tiny_png()
COMPANY = {"iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP",
           "legal_mentions": "SAS au capital de 10 000 €",
           "invoice_prefix": "fac-", "payment_days": "45", "payment_terms": "", "contact_name": "Marie Compta",
           "contact_phone": "01 23 45 67 89", "contact_email": "compta@active.example"}


def company_url(dossier):
    return reverse("dossiers:company", args=[dossier.pk])


@pytest.mark.parametrize("role, status", [
    ("client", 200), ("accountant", 200), ("staff_assigned", 200), ("staff_unassigned", 404),
    ("staff_no_delegation", 404),
])
def test_who_opens_the_company_page(client, seller_world, role, status):
    client.force_login(seller_world.user(role))
    assert client.get(company_url(seller_world.active)).status_code == status


def test_a_client_user_without_the_right_to_manage_users_may_not(client, seller_world):
    seller = User.objects.create_user("vendeur@client.example")
    DossierMembership.objects.create(dossier=seller_world.active, user=seller, can_issue_sales=True)
    client.force_login(seller)
    assert client.get(company_url(seller_world.active)).status_code == 403
    assert client.post(company_url(seller_world.active), COMPANY).status_code == 403


def test_the_owner_sets_the_company_and_it_is_audited(client, seller_world):
    dossier = seller_world.active
    client.force_login(seller_world.user("client"))
    response = client.post(company_url(dossier), {**COMPANY, "logo": SimpleUploadedFile("logo.png", PNG)})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.iban, dossier.invoice_prefix, dossier.payment_days) == ("FR7630006000011234567890189", "FAC-", 45)
    assert CompanyLogo.objects.get(dossier=dossier).media_type == "image/png"
    logo = client.get(reverse("dossiers:company_logo", args=[dossier.pk]))
    assert logo["Content-Type"] == "image/png" and bytes(logo.content) == PNG
    event = AuditEvent.objects.get(action="company_settings_changed", dossier=dossier)
    assert "logo" in event.detail["fields"] and "invoice_prefix" in event.detail["fields"]
    assert reverse("dossiers:company", args=[dossier.pk]) in client.get(
        reverse("dashboard:settings", args=[dossier.pk])).content.decode()


@pytest.mark.parametrize("field, value, message", [
    ("iban", "FR76 1234", "IBAN n'est pas valide"),
    ("invoice_prefix", "F 2026/", "lettres, chiffres ou tirets"),
    ("payment_days", "90", "60 jours"),
])
def test_bad_input_is_explained_next_to_its_field(client, seller_world, field, value, message):
    client.force_login(seller_world.user("client"))
    response = client.post(company_url(seller_world.active), {**COMPANY, field: value})
    assert response.status_code == 400 and message in html.unescape(response.content.decode())


def test_a_logo_must_be_a_small_png_or_jpeg(client, seller_world):
    client.force_login(seller_world.user("client"))
    svg = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>", content_type="image/png")
    assert "PNG ou JPEG" in client.post(company_url(seller_world.active), {**COMPANY, "logo": svg}).content.decode()
    big = SimpleUploadedFile("logo.png", PNG + b"\x00" * 300_000)
    assert "200 Ko" in client.post(company_url(seller_world.active), {**COMPANY, "logo": big}).content.decode()
    assert not CompanyLogo.objects.exists()


def test_issued_invoices_carry_the_company_settings(client, seller_world):
    dossier = seller_world.active
    client.force_login(seller_world.user("client"))
    client.post(company_url(dossier), {**COMPANY, "logo": SimpleUploadedFile("logo.png", PNG)})
    form = client.get(reverse("issuing:new", args=[dossier.pk])).content.decode()
    assert "Paiement à 45 jours date de facture" in form
    buyer = customer(dossier, email="compta@acheteur.example")
    client.post(reverse("issuing:new", args=[dossier.pk]), form_data(buyer))
    invoice = Invoice.objects.get(dossier=dossier)
    assert invoice.number.startswith("FAC-")
    original = open_content(invoice.original)
    assert invoice.syntax == "Factur-X" and b"/Subtype /Image" in original  # the logo on the PDF
    readable = client.get(reverse("invoices:rendering", args=[dossier.pk, invoice.pk])).content.decode()
    assert 'src="data:image/png;base64,' in readable  # and on the screen
    seller = read_invoice(original).seller
    assert seller.legal_information == "SAS au capital de 10 000 €"
    assert (seller.contact.name, seller.contact.email) == ("Marie Compta", "compta@active.example")


def test_without_an_iban_the_form_points_to_the_company_page_instead_of_a_rule(client, seller_world):
    dossier = seller_world.active
    dossier.iban = ""
    dossier.save()
    client.force_login(seller_world.user("client"))
    buyer = customer(dossier, email="compta@acheteur.example")
    form = client.get(reverse("issuing:new", args=[dossier.pk])).content.decode()
    assert f'href="{company_url(dossier)}#banque"' in form
    refused = client.post(reverse("issuing:new", args=[dossier.pk]), form_data(buyer))
    text = html.unescape(refused.content.decode())
    assert refused.status_code == 400 and "Paramètres › Société" in text and "CII-SR-470" not in text
    assert Invoice.objects.get(dossier=dossier).state == "draft"
    cheque = client.post(reverse("issuing:new", args=[dossier.pk]), form_data(buyer, payment_means="20"))
    assert cheque.status_code == 302, "a cheque needs no IBAN"
