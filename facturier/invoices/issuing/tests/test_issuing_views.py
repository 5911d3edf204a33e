"""The issuing pages: who reaches them, the form round trips, issuing and its refusal on the page."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from facturier.accounts.models import User
from facturier.dossiers.models import DossierMembership
from facturier.exchange.tests.support import customer, issued_invoice
from facturier.invoices.models import Invoice, InvoiceState, ThirdParty
from facturier.registry.tests import payloads

ALLOWED = {"accountant", "admin", "staff_assigned", "client"}
HIDDEN = {"staff_unassigned", "staff_no_delegation"}


def form_data(buyer=None, *, lines=None, action="issue", **header):
    data = {
        "action": action, "customer": str(buyer.pk) if buyer else "", "issue_date": "2026-11-27",
        "due_date": "2026-12-27", "payment_terms": "30 jours", "payment_means": "58", "billing_frame": "S1",
        "note_pmt": "Indemnité forfaitaire de 40 €", "note_pmd": "Pénalités de retard", "note_aab": "Pas d'escompte",
        "delivery_country": "FR", "adjustments-TOTAL_FORMS": "0", "adjustments-INITIAL_FORMS": "0",
        "new-output_format": "facturx", "new-country": "FR",
    }
    lines = lines or [{"description": "Conseil", "quantity": "2", "unit": "HUR", "unit_price": "100,50",
                       "vat": "S:20"}]
    data["lines-TOTAL_FORMS"], data["lines-INITIAL_FORMS"] = str(len(lines)), "0"
    for index, line in enumerate(lines):
        for name, value in line.items():
            data[f"lines-{index}-{name}"] = value
    data.update(header)
    return data


@pytest.fixture
def registry(settings, http_stub):
    cache.clear()
    settings.REGISTRY_RECHERCHE_URL = http_stub.url
    settings.REGISTRY_INSEE_KEY = ""
    settings.REGISTRY_LOCAL_FILE = ""
    settings.REGISTRY_TIMEOUT = 1
    yield http_stub
    cache.clear()


@pytest.mark.parametrize("role", sorted(ALLOWED | HIDDEN | {"anonymous"}))
def test_access_to_the_issuing_form(client, seller_world, role):
    user = seller_world.user(role)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("issuing:new", args=[seller_world.active.pk]))
    if role == "anonymous":
        assert response.status_code == 302 and "/comptes/" in response["Location"]
    elif role in ALLOWED:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def test_client_user_without_the_issuing_right_is_refused(client, seller_world):
    reader = User.objects.create_user("lecteur@client-actif.example", full_name="Léa Lecture")
    DossierMembership.objects.create(dossier=seller_world.active, user=reader, can_handle_purchases=True)
    client.force_login(reader)
    buyer = customer(seller_world.active)
    assert client.get(reverse("issuing:new", args=[seller_world.active.pk])).status_code == 403
    assert client.post(reverse("issuing:new", args=[seller_world.active.pk]), form_data(buyer)).status_code == 403
    assert not Invoice.objects.exists()
    DossierMembership.objects.filter(user=reader).update(can_issue_sales=True)
    assert client.get(reverse("issuing:new", args=[seller_world.active.pk])).status_code == 200


def test_foreign_dossier_and_foreign_invoice_answer_404(client, seller_world):
    client.force_login(seller_world.user("client"))
    assert client.get(reverse("issuing:new", args=[seller_world.foreign.pk])).status_code == 404
    foreign_buyer = customer(seller_world.foreign, output_format="cii")
    foreign_invoice = issued_invoice(seller_world.foreign, foreign_buyer)
    for name in ("issuing:issued", "issuing:edit"):
        assert client.get(reverse(name, args=[seller_world.active.pk, foreign_invoice.pk])).status_code == 404
        assert client.get(reverse(name, args=[seller_world.foreign.pk, foreign_invoice.pk])).status_code == 404
    assert client.post(reverse("issuing:credit_note", args=[seller_world.active.pk, foreign_invoice.pk])
                       ).status_code == 404


def test_the_form_opens_with_the_legal_notes_and_the_dossier_bank_details(client, seller_world):
    client.force_login(seller_world.user("client"))
    page = client.get(reverse("issuing:new", args=[seller_world.active.pk])).content.decode()
    assert "indemnité forfaitaire de 40 €" in page and "pénalités de retard" in page
    assert "Pas d&#x27;escompte pour paiement anticipé." in page
    assert seller_world.active.iban in page
    assert 'value="S1"' in page and "S7" in page and 'value="AE:0"' in page and 'value="HUR"' in page


def test_save_a_draft_then_issue_it(client, seller_world):
    client.force_login(seller_world.user("client"))
    buyer = customer(seller_world.active, output_format="cii")
    response = client.post(reverse("issuing:new", args=[seller_world.active.pk]), form_data(buyer, action="save"))
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "issuing:edit", args=[seller_world.active.pk, invoice.pk])
    assert invoice.state == InvoiceState.DRAFT and str(invoice.total_incl_vat) == "241.20"
    page = client.get(response["Location"]).content.decode()
    assert "100,50" in page or "100.50" in page
    assert "241,20" in page  # totals shown, computed by the engine
    response = client.post(reverse("issuing:edit", args=[seller_world.active.pk, invoice.pk]), form_data(buyer))
    invoice.refresh_from_db()
    assert response.status_code == 302 and invoice.state == InvoiceState.ISSUED and invoice.number == "F2026-00001"
    page = client.get(response["Location"]).content.decode()
    assert "F2026-00001" in page and "Créer un avoir" in page


def test_recalculate_shows_totals_without_issuing(client, seller_world):
    client.force_login(seller_world.user("staff_assigned"))
    buyer = customer(seller_world.active)
    lines = [{"description": "A", "quantity": "3", "unit": "C62", "unit_price": "33.335", "vat": "S:20"},
             {"description": "B", "quantity": "1", "unit": "C62", "unit_price": "10.99", "vat": "S:5.5"}]
    response = client.post(reverse("issuing:new", args=[seller_world.active.pk]),
                           form_data(buyer, lines=lines, action="recalc"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "111,00" in page and "20,60" in page and "131,60" in page  # HT, TVA (20.00 + 0.60), TTC
    assert Invoice.objects.get().state == InvoiceState.DRAFT


def test_an_invalid_invoice_is_not_issued_and_errors_sit_next_to_their_fields(client, seller_world):
    client.force_login(seller_world.user("client"))
    buyer = customer(seller_world.active, output_format="cii")
    lines = [{"description": "Machine", "quantity": "1", "unit": "C62", "unit_price": "1000", "vat": "K:0"}]
    response = client.post(reverse("issuing:new", args=[seller_world.active.pk]), form_data(buyer, lines=lines))
    assert response.status_code == 400
    forms = response.context["forms"]
    assert any("BR-IC-12" in error for error in forms.header.errors["delivery_address"])
    assert "La facture n'a pas été émise" in response.content.decode()
    invoice = Invoice.objects.get()
    assert invoice.state == InvoiceState.DRAFT and invoice.number == ""


def test_form_errors_block_issuing(client, seller_world):
    client.force_login(seller_world.user("client"))
    buyer = customer(seller_world.active)
    lines = [{"description": "", "quantity": "abc", "unit": "C62", "unit_price": "10", "vat": "E:0"}]
    response = client.post(reverse("issuing:new", args=[seller_world.active.pk]), form_data(buyer, lines=lines))
    assert response.status_code == 400
    line = response.context["forms"].lines.forms[0]
    assert set(line.errors) >= {"description", "quantity", "exemption_reason"}
    assert Invoice.objects.get().state == InvoiceState.DRAFT  # the draft is kept, not lost


def test_new_customer_filled_from_sirene_then_created_with_the_invoice(client, seller_world, registry):
    registry.route("GET", "/search", lambda query, body: (200, payloads.recherche_page(
        payloads.recherche_result("552100554", "ACME INDUSTRIE"))))
    client.force_login(seller_world.user("client"))
    url = reverse("issuing:new", args=[seller_world.active.pk])
    response = client.post(url, form_data(action="lookup", **{"new-siren": "552 100 554"}))
    assert response.status_code == 200
    assert response.context["forms"].customer.initial["name"] == "ACME INDUSTRIE"
    assert response.context["forms"].customer.initial["vat_number"] == "FR96552100554"
    data = form_data(action="save", **{"new-siren": "552100554", "new-name": "ACME INDUSTRIE",
                                        "new-vat_number": "FR96552100554", "new-city": "Paris",
                                        "new-billing_email": "factures@acme.example"})
    client.post(url, data)
    created = ThirdParty.objects.get(dossier=seller_world.active, siren="552100554")
    assert created.is_customer and created.electronic_address == "552100554"
    invoice = Invoice.objects.get()
    assert invoice.third_party == created and invoice.draft["customer"] == str(created.pk)


def test_sirene_down_the_customer_is_typed_by_hand(client, seller_world, registry):
    registry.route("GET", "/search", lambda query, body: (503, {"erreur": "indisponible"}))
    client.force_login(seller_world.user("client"))
    url = reverse("issuing:new", args=[seller_world.active.pk])
    response = client.post(url, form_data(action="lookup", **{"new-siren": "552100554"}))
    assert response.status_code == 200
    assert "complétez la fiche à la main" in response.context["lookup_warning"]
    data = form_data(**{"new-siren": "552100554", "new-name": "ACME saisie", "new-vat_number": "FR96552100554",
                        "new-billing_email": "factures@acme.example", "new-output_format": "cii"})
    response = client.post(url, data)
    assert response.status_code == 302
    assert Invoice.objects.get().third_party.name == "ACME saisie"


def test_add_a_line_without_javascript(client, seller_world):
    client.force_login(seller_world.user("client"))
    response = client.post(reverse("issuing:new", args=[seller_world.active.pk]), form_data(action="add_line"))
    assert response.status_code == 200 and len(response.context["forms"].lines.forms) == 2
    assert not Invoice.objects.exists()


def test_create_a_credit_note_from_an_issued_invoice(client, seller_world):
    client.force_login(seller_world.user("client"))
    buyer = customer(seller_world.active, output_format="cii")
    invoice = issued_invoice(seller_world.active, buyer)
    assert client.get(reverse("issuing:credit_note", args=[seller_world.active.pk, invoice.pk])).status_code == 405
    response = client.post(reverse("issuing:credit_note", args=[seller_world.active.pk, invoice.pk]))
    credit = Invoice.objects.get(state=InvoiceState.DRAFT)
    assert response["Location"] == reverse("issuing:edit", args=[seller_world.active.pk, credit.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Nouvel avoir" in page and invoice.number in page and "Conseil" in page
    data = form_data(buyer, lines=[{"description": "Conseil", "quantity": "2", "unit": "HUR", "unit_price": "100",
                                    "vat": "S:20"}])
    response = client.post(reverse("issuing:edit", args=[seller_world.active.pk, credit.pk]), data)
    credit.refresh_from_db()
    assert credit.state == InvoiceState.ISSUED and credit.is_credit_note and credit.preceding_invoice == invoice


def test_a_tampered_customer_value_is_no_customer_not_an_error(client, seller_world):
    client.force_login(seller_world.user("client"))
    foreign_customer = customer(seller_world.foreign)
    for value in ("abc", str(foreign_customer.pk)):
        response = client.post(reverse("issuing:new", args=[seller_world.active.pk]),
                               form_data(action="issue", customer=value))
        assert response.status_code == 400
        assert "customer" in response.context["forms"].header.errors or response.context["forms"].customer.errors
    assert not Invoice.objects.filter(third_party=foreign_customer).exists()
    assert not Invoice.objects.filter(state=InvoiceState.ISSUED).exists()


def test_a_missing_iban_is_asked_for_plainly_before_any_rule(client, seller_world):
    """The IBAN is the company's ("Paramètres › Société"): the form says so, the engine is not reached."""
    seller_world.active.iban = ""
    seller_world.active.save(update_fields=["iban"])
    client.force_login(seller_world.user("client"))
    buyer = customer(seller_world.active, output_format="cii")
    response = client.post(reverse("issuing:new", args=[seller_world.active.pk]), form_data(buyer))
    assert response.status_code == 400
    page = response.content.decode()
    assert "renseignez d&#x27;abord l&#x27;IBAN de l&#x27;entreprise dans Paramètres › Société" in page
    assert reverse("dossiers:company", args=[seller_world.active.pk]) in page
    assert "CII-SR-470" not in page and "BR-61" not in page


def test_a_refusal_says_plainly_what_to_fix_and_where_with_the_rule_behind_details(client, seller_world):
    client.force_login(seller_world.user("client"))
    buyer = customer(seller_world.active, output_format="cii")
    lines = [{"description": "Machine", "quantity": "1", "unit": "C62", "unit_price": "1000", "vat": "K:0"}]
    response = client.post(reverse("issuing:new", args=[seller_world.active.pk]), form_data(buyer, lines=lines))
    assert response.status_code == 400
    page = response.content.decode()
    rules = re.findall(r'<code class="finding-rule">([^<]+)</code>', page)
    assert rules and len(rules) == len(set(rules))  # each rule once, behind its "détails"
    for rule in rules:
        assert page.count(rule) == 1, rule  # the id appears nowhere else, not even in the technical text
