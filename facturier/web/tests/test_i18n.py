"""The interface speaks French by default and English on request.

The English catalogue (facturier/locale/en) is complete and compiled; pages,
messages and e-mails follow the language a person picked in the top bar.
"""

import ast
import gettext
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from facturier.dossiers.spreadsheet import suggest_mapping
from facturier.ledger.booking import book
from facturier.ledger.tests.conftest import document, line, receive, supplier

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def read_po(path):
    """The entries of a .po file as dicts: flags, msgid, msgid_plural, msgstr, msgstr[n]."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, key = {"flags": set()}, None
        for po_line in block.splitlines():
            if po_line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in po_line[2:].split(","))
            elif po_line.startswith("#"):
                continue
            elif po_line.startswith('"'):
                entry[key] += ast.literal_eval(po_line)
            else:
                key, _, value = po_line.partition(" ")
                entry[key] = ast.literal_eval(value)
        entries.append(entry)
    return entries


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# The catalogue ------------------------------------------------------------------

def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = [e for e in read_po(CATALOGUE / "django.po") if e.get("msgid")]
    assert len(entries) > 400
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries if not all(v for k, v in e.items() if k.startswith("msgstr"))]
    assert (fuzzy, untranslated) == ([], [])


def test_translations_keep_the_placeholders_of_their_msgid():
    for entry in read_po(CATALOGUE / "django.po"):
        if "msgid_plural" in entry:
            expected = set(PLACEHOLDER.findall(entry["msgid_plural"]))
            translations = [entry["msgstr[0]"], entry["msgstr[1]"]]
        else:
            expected = set(PLACEHOLDER.findall(entry["msgid"]))
            translations = [entry["msgstr"]]
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == expected, entry["msgid"]


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
def test_committed_mo_is_the_compiled_po(tmp_path):
    compiled = tmp_path / "django.mo"
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", compiled, CATALOGUE / "django.po"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr
    with open(compiled, "rb") as fresh, open(CATALOGUE / "django.mo", "rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog, \
            "django.mo is stale: run `make messages`"


def test_plural_forms_follow_the_count():
    with translation.override("en"):
        assert translation.ngettext("%(counter)s client", "%(counter)s clients", 1) % {"counter": 1} == "1 client"
        assert translation.ngettext("%(counter)s client", "%(counter)s clients", 3) % {"counter": 3} == "3 clients"
        assert translation.gettext("Mois de clôture") == "Financial year end"
        assert translation.gettext("TVA") == "VAT"


# Pages ------------------------------------------------------------------------

def test_french_is_the_default(client, db):
    body = page(client, reverse("accounts:login"))
    assert '<html lang="fr">' in body and "Se connecter avec ComptExpert" in body


def test_login_page_in_english(client, db):
    body = page(english(client), reverse("accounts:login"))
    assert '<html lang="en">' in body
    for text in ("Accounting firms", "Chartered accountants and staff members sign in with ComptExpert only.",
                 "Sign in with ComptExpert", "Client companies", "Forgotten your password?", "Password"):
        assert text in body
    assert "Se connecter" not in body and "Mot de passe" not in body


def test_wrong_password_is_told_in_english(client, db):
    response = english(client).post(reverse("accounts:login"), {"email": "nobody@example.com", "password": "x"})
    body = html.unescape(response.content.decode())
    assert "Incorrect email or password. Accounting firm staff sign in with ComptExpert." in body


def test_firm_list_in_english(client, world):
    client.force_login(world.people["accountant"])
    body = page(english(client), reverse("dashboard:firms"))
    for text in ("Firms", "Name", "Clients", "Staff members", "Terms of Use", "Actions", "Open"):
        assert f">{text}<" in body
    assert "Accepted on " in body and " by Claire Expert" in body
    assert "Acceptées le" not in body and "Collaborateurs" not in body


def test_client_list_in_english(client, world):
    client.force_login(world.people["accountant"])
    body = page(english(client), reverse("dashboard:clients", args=[world.firm.pk]))
    for text in ("Financial year end", "To send", "Awaiting integration", "Action required",
                 "Identification number", "Status", "New client", "Import clients", "Activate all in Facturier",
                 "Accepted invoices waiting to be integrated into the accounts.",  # a column's tooltip
                 "443061841 <span class=\"muted\">[SIREN no.]</span>", "Not activated", "Invitation sent",
                 "Resend the invitation", "500 free invoices", "Staff dashboard", "Audit log"):
        assert text in body
    for french in ("Mois de clôture", "Attente intégration", "Action attendue", "Non activé", "Nouveau client"):
        assert french not in body


def test_client_form_and_its_errors_in_english(client, world):
    client.force_login(world.people["accountant"])
    english(client)
    url = reverse("dossiers:new", args=[world.firm.pk])
    body = page(client, url)
    for text in ("New client", "Client information", "Client name", "Country", "Financial year end",
                 "Postcode", "Legal representative", "Contact email", "Required for a French company.",
                 "Create the client", "December"):
        assert text in body
    assert "Nom client" not in body and "Décembre" not in body
    response = client.post(url, {"siren": "12345", "name": "Test", "country": "FR", "language": "fr",
                                 "fiscal_year_end_month": 12, "address": "1 rue", "postal_code": "75001",
                                 "city": "Paris", "representative_name": "A", "representative_language": "fr",
                                 "representative_email": "a@example.com"})
    assert response.status_code == 200
    assert "The SIREN must have 9 digits." in html.unescape(response.content.decode())


def test_invitation_email_in_english(client, world, mailbox):
    world.new.representative_language = "en"
    world.new.save()
    client.force_login(world.people["accountant"])  # the accountant reads French: the e-mail follows the client
    client.post(reverse("dossiers:activate", args=[world.firm.pk, world.new.pk]))
    [message] = mailbox.to(world.new.representative_email)
    assert message["Subject"] == "Your Facturier account for Nouvelle Société"
    text = mailbox.body(message)
    for expected in ("Hello Dirigeant Nouvelle Société,",
                     ("Your chartered accountant has just created a Facturier account for your company "
                      "Nouvelle Société."),
                     f"Your personal login is: {world.new.representative_email}",
                     "Open the link below to create your password.", "Best regards,", "The Facturier team"):
        assert expected in text
    assert "Bonjour" not in text and "expert-comptable" not in text
    body = mailbox.body(message, "html")
    assert "Choose my password" in body and "Say goodbye to piles of paper!" in body


def test_language_selector_switches_the_interface(db):
    client = Client(enforce_csrf_checks=True)
    login = reverse("accounts:login")
    body = page(client, login)
    assert "Se connecter avec ComptExpert" in body
    form = re.search(r'<form action="([^"]+)" method="post" class="lang-switch">(.*?)</form>', body, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)
    next_url = re.search(r'name="next" type="hidden" value="([^"]+)"', form.group(2)).group(1)
    assert (form.group(1), next_url) == ("/i18n/setlang/", login)

    response = client.post(form.group(1), {"language": "en", "next": next_url, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == login
    body = page(client, login)
    assert "Sign in with ComptExpert" in body and "Se connecter avec ComptExpert" not in body
    assert '<option value="en" selected>' in body

    client.post("/i18n/setlang/", {"language": "fr", "next": login, "csrfmiddlewaretoken": token})
    assert "Se connecter avec ComptExpert" in page(client, login)


def test_french_spreadsheet_headers_map_in_an_english_interface():
    headers = ["Nom client", "Code postal", "Mois de clôture", "E-mail du contact", "Contact name"]
    with translation.override("en"):
        mapping = suggest_mapping(headers)
    assert (mapping["name"], mapping["postal_code"], mapping["fiscal_year_end_month"],
            mapping["representative_email"], mapping["representative_name"]) == (0, 1, 2, 3, 4)


def test_entries_stay_french_for_the_fec_whatever_the_reader_language(world):
    invoice = receive(world.active, document("FA-001", [line("1", "100.00")]), supplier(world.active))
    with translation.override("en"):  # an English reader approved the invoice
        entry = book(invoice)
    assert entry.label == "Bio Buro SAS Facture FA-001"
    assert [line.account_label for line in entry.lines.order_by("position")] == [
        "Fournisseurs", "Achats de marchandises", "TVA déductible 20 %"]
