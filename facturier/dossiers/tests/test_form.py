import html

import pytest
from django.urls import reverse

from facturier.audit.models import AuditEvent
from facturier.dossiers.models import Assignment, Dossier, DossierStatus
from facturier.firms.models import Firm

VALID = {
    "siren": "130 005 481", "name": "Menuiserie Dubois", "country": "FR", "language": "fr",
    "fiscal_year_end_month": "3", "vat_number": "", "iban": "", "bic": "",
    "address": "2 chemin des Scieries", "postal_code": "88100", "city": "Saint-Dié-des-Vosges",
    "representative_name": "Élodie Dubois", "representative_language": "fr",
    "representative_email": "elodie@dubois.example",
}


def post(client, world, **changes):
    return client.post(reverse("dossiers:new", args=[world.firm.pk]), {**VALID, **changes})


def errors(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def accountant(client, world):
    client.force_login(world.people["accountant"])
    return world.people["accountant"]


def test_form_shows_the_seed_fields(client, world, accountant):
    body = errors(client.get(reverse("dossiers:new", args=[world.firm.pk])))
    for label in ("SIREN", "Nom client", "Pays", "Langue", "Mois de clôture", "TVA", "IBAN", "BIC", "Adresse",
                  "Code postal", "Ville", "Représentant légal", "Nom du contact", "Langue contact",
                  "E-mail du contact"):
        assert label in body
    assert 'value="FR" selected' in body and "Allemagne" in body
    assert "dossiers/siren_lookup.js" in body and 'data-lookup-url="/registres/entreprises/"' in body


def test_creates_a_dossier_with_normalised_identifiers(client, world, accountant):
    response = post(client, world, vat_number="fr 19 130005481", iban="FR76 3000 6000 0112 3456 7890 189",
                    bic="bnpa fr pp xxx")
    dossier = Dossier.objects.get(name="Menuiserie Dubois")
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[world.firm.pk, dossier.pk])
    assert (dossier.siren, dossier.vat_number) == ("130005481", "FR19130005481")
    assert dossier.iban == "FR7630006000011234567890189" and dossier.bic == "BNPAFRPPXXX"
    assert dossier.status == DossierStatus.NOT_ACTIVATED and dossier.firm == world.firm
    assert AuditEvent.objects.filter(action="dossier_created", dossier=dossier, actor=accountant).exists()


def test_a_french_vat_number_typed_with_hyphens_matches_its_siren(client, world, accountant):
    response = post(client, world, siren="303265045", vat_number="FR 40-303265045")
    assert response.status_code == 302, errors(response)
    assert Dossier.objects.get(name="Menuiserie Dubois").vat_number == "FR40303265045"


@pytest.mark.parametrize(("changes", "message"), [
    ({"siren": "12345678"}, "Le SIREN doit comporter 9 chiffres."),
    ({"siren": "130005482"}, "Ce SIREN n'est pas valide"),
    ({"siren": ""}, "Le SIREN est obligatoire pour une entreprise française."),
    ({"vat_number": "FR00130005481"}, "Ce numéro de TVA n'est pas valide."),
    ({"vat_number": "FR03409408770"}, "ne correspond pas au SIREN 130005481"),
    ({"iban": "FR76 3000 6000 0112 3456 7890 188"}, "Cet IBAN n'est pas valide."),
    ({"bic": "XX"}, "Ce BIC n'est pas valide."),
    ({"representative_email": "pas-un-email"}, "Saisissez une adresse de courriel valide."),
    ({"name": ""}, "Ce champ est obligatoire."),
    ({"country": "ZZ"}, "Sélectionnez un choix valide."),
])
def test_refuses_bad_input_with_a_clear_message(client, world, accountant, changes, message):
    response = post(client, world, **changes)
    assert response.status_code == 200
    assert message in errors(response)
    assert not Dossier.objects.filter(name="Menuiserie Dubois").exists()


def test_refuses_a_siren_already_in_the_firm(client, world, accountant):
    response = post(client, world, siren=world.new.siren)
    assert "Le client Nouvelle Société de ce cabinet a déjà ce SIREN." in errors(response)
    assert Dossier.objects.filter(siren=world.new.siren).count() == 1


def test_the_same_siren_may_be_a_client_of_another_firm(client, world, accountant):
    post(client, world, siren=world.foreign.siren)
    assert Dossier.objects.filter(siren=world.foreign.siren).count() == 2


def test_refuses_the_siren_of_a_registered_firm(client, world, accountant):
    Firm.objects.create(siren="409408770", name="Cabinet Tiers")
    response = post(client, world, siren="409408770")
    assert "un cabinet crée son compte via ComptExpert" in errors(response)
    assert not Dossier.objects.filter(siren="409408770").exists()


def test_foreign_company_without_siren_uses_its_vat_number(client, world, accountant):
    post(client, world, siren="", country="BE", vat_number="BE 0417.497.106", postal_code="1000", city="Bruxelles")
    dossier = Dossier.objects.get(name="Menuiserie Dubois")
    assert (dossier.siren, dossier.vat_number, dossier.country) == ("", "BE0417497106", "BE")
    again = post(client, world, siren="", country="BE", vat_number="BE0417497106", name="Autre")
    assert "a déjà ce numéro de TVA" in errors(again)


def test_foreign_company_needs_siren_or_vat(client, world, accountant):
    response = post(client, world, siren="", country="DE")
    assert "Sans SIREN, le numéro de TVA est obligatoire." in errors(response)


def test_staff_creating_a_client_are_assigned_to_it(client, world):
    staff = world.people["staff_unassigned"]
    client.force_login(staff)
    post(client, world)
    dossier = Dossier.objects.get(name="Menuiserie Dubois")
    assert Assignment.objects.filter(dossier=dossier, user=staff).exists()
    assert "Menuiserie Dubois" in client.get(reverse("dashboard:clients", args=[world.firm.pk])).content.decode()


def test_editing_keeps_its_own_siren_and_records_the_change(client, world, accountant):
    url = reverse("dossiers:detail", args=[world.firm.pk, world.new.pk])
    data = {**VALID, "siren": world.new.siren, "name": "Nouvelle Société SARL"}
    assert client.post(url, data).status_code == 302
    world.new.refresh_from_db()
    assert world.new.name == "Nouvelle Société SARL"
    event = AuditEvent.objects.get(action="dossier_changed", dossier=world.new)
    assert "name" in event.detail["fields"]


def test_the_firms_own_dossier_keeps_the_firm_siren(client, world, accountant):
    url = reverse("dossiers:detail", args=[world.firm.pk, world.own.pk])
    data = {**VALID, "siren": world.firm.siren, "name": "Cabinet Alpha"}
    assert client.post(url, data).status_code == 302



def test_a_concurrent_duplicate_gets_a_message_not_an_error(client, world, accountant, monkeypatch):
    """Two people saving the same SIREN at once: the form's check passes for both, the
    database constraint stops the second one."""
    from facturier.dossiers.forms import DossierForm

    monkeypatch.setattr(DossierForm, "clean_siren", lambda form: form.cleaned_data["siren"].replace(" ", ""))
    response = post(client, world, siren=world.new.siren)
    assert response.status_code == 200
    assert "Un autre client de ce cabinet a déjà ce SIREN." in errors(response)
    assert Dossier.objects.filter(siren=world.new.siren).count() == 1


def test_the_new_client_form_takes_the_vat_regime(client, world, accountant):
    assert "Régime de TVA" in errors(client.get(reverse("dossiers:new", args=[world.firm.pk])))
    response = post(client, world, vat_regime="normal_monthly")
    assert response.status_code == 302, errors(response)
    assert Dossier.objects.get(name="Menuiserie Dubois").vat_regime == "normal_monthly"
    assert post(client, world, siren="303265045", name="Autre", vat_regime="micro").status_code == 200
def test_countries_follow_french_order():
    from django.utils import translation

    from facturier.dossiers.countries import country_choices

    with translation.override("fr"):
        names = [name for _code, name in country_choices()]
    assert names[0] == "France"
    assert names.index("Équateur") < names.index("Érythrée") < names.index("Espagne") < names.index("Estonie")
    assert abs(names.index("Égypte") - names.index("Espagne")) < 8 and names.index("Égypte") < names.index("Zambie")
