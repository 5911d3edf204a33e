"""The accounting pages: who sees them, who acts on them, and what they do."""

import pytest
from django.urls import reverse

from facturier.accounts.models import User
from facturier.dossiers.models import DossierMembership
from facturier.invoices.models import Direction
from facturier.ledger.booking import awaiting_integration
from facturier.ledger.models import Export, LedgerSettings
from facturier.ledger.tests.conftest import row
from facturier.testing.world import sign_in

pytestmark = pytest.mark.django_db

SEE = {"accountant": 200, "admin": 200, "staff_assigned": 200, "client": 200, "purchases_only": 200,
       "read_only": 403, "staff_unassigned": 404, "staff_no_delegation": 404, "anonymous": 302}
ACT = {**SEE, "purchases_only": 403}


@pytest.fixture
def people(world):
    """The shared world, plus two client users of the active dossier with fewer rights."""
    for email, rights in (("achats@client-actif.example", {"can_handle_purchases": True}),
                          ("lecture@client-actif.example", {})):
        user = User.objects.create_user(email)
        DossierMembership.objects.create(dossier=world.active, user=user, **rights)
    world.people["purchases_only"] = User.objects.get(email="achats@client-actif.example")
    world.people["read_only"] = User.objects.get(email="lecture@client-actif.example")
    return world


def status(client, world, role, method, name, dossier=None, data=None):
    sign_in(client, world, role)
    url = reverse(f"ledger:{name}", args=[(dossier or world.active).pk])
    return getattr(client, method)(url, data or {}).status_code


@pytest.mark.parametrize("role", sorted(SEE))
@pytest.mark.parametrize(("method", "name", "data"), [
    ("get", "pending", None), ("get", "csv", {"exercice": "2026"}),
])
def test_who_sees(client, people, role, method, name, data):
    assert status(client, people, role, method, name, data=data) == SEE[role]


@pytest.mark.parametrize("role", sorted(ACT))
@pytest.mark.parametrize(("method", "name", "data"), [
    ("get", "settings", None), ("post", "export", None), ("post", "undo", None),
    ("post", "fec", {"exercice": "2026"}),
])
def test_who_acts(client, people, role, method, name, data):
    expected = ACT[role]
    if method == "post" and expected == 200:
        expected = {"fec": 200}.get(name, 302)  # the export and undo redirect back to the page
    assert status(client, people, role, method, name, data=data) == expected


@pytest.mark.parametrize("name", ["pending", "settings"])
@pytest.mark.parametrize("role", ["accountant", "admin", "staff_assigned", "client"])
def test_foreign_and_inactive_dossiers_answer_404(client, world, role, name):
    for dossier in (world.foreign, world.invited, world.new):
        assert status(client, world, role, "get", name, dossier=dossier) == 404


def test_foreign_export_download_answers_404(client, world):
    row(world.foreign, "SECRET")
    from facturier.ledger.exports import export_pending

    export = export_pending(world.foreign, None)
    sign_in(client, world, "accountant")
    assert client.get(reverse("ledger:download", args=[world.active.pk, export.pk])).status_code == 404
    assert client.get(reverse("ledger:download", args=[world.foreign.pk, export.pk])).status_code == 404


def test_page_counts_exports_and_undoes(client, world):
    dossier = world.active
    row(dossier, "P-1")
    row(dossier, "S-1", direction=Direction.SALES)
    sign_in(client, world, "staff_assigned")
    page = client.get(reverse("ledger:pending", args=[dossier.pk])).content.decode()
    assert "2 factures en attente d'intégration" in page and "P-1" in page and "S-1" in page

    response = client.post(reverse("ledger:export", args=[dossier.pk]), follow=True)
    page = response.content.decode()
    assert 'data-awaiting-integration="0"' in page
    assert "2 factures intégrées : 356000000FEC20261231.txt" in page
    assert awaiting_integration(dossier).count() == 0
    export = Export.objects.get()
    assert reverse("ledger:download", args=[dossier.pk, export.pk]) in page
    download = client.get(reverse("ledger:download", args=[dossier.pk, export.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="356000000FEC20261231.txt"'
    assert download.content.startswith(b"JournalCode\tJournalLib\t")

    page = client.post(reverse("ledger:undo", args=[dossier.pk]), follow=True).content.decode()
    assert "2 factures en attente d'intégration" in page and "Annulé" in page
    assert awaiting_integration(dossier).count() == 2


def test_fec_button_downloads_the_fiscal_year_file(client, world):
    row(world.active, "P-1")
    sign_in(client, world, "accountant")
    response = client.post(reverse("ledger:fec", args=[world.active.pk]), {"exercice": "2026"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="356000000FEC20261231.txt"'
    assert response.content.count(b"\r\n") == 4
    assert awaiting_integration(world.active).count() == 0


def test_fec_without_a_year_is_a_clear_message(client, world):
    sign_in(client, world, "accountant")
    response = client.post(reverse("ledger:fec", args=[world.active.pk]), {"exercice": "abc"}, follow=True)
    assert "Choisissez un exercice." in response.content.decode()
    assert not Export.objects.exists()


def test_csv_download_streams_the_years_entries_without_integrating(client, world):
    row(world.active, "P-1")
    sign_in(client, world, "client")
    response = client.get(reverse("ledger:csv", args=[world.active.pk]), {"exercice": "2026"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.splitlines()[1].startswith("AC;Achats;AC000001;14/03/2026;401000;")
    assert awaiting_integration(world.active).count() == 1
    assert client.get(reverse("ledger:csv", args=[world.active.pk]), {"exercice": "x"}).status_code == 404


def test_settings_page_saves_and_refuses_wrong_accounts(client, world):
    sign_in(client, world, "admin")
    url = reverse("ledger:settings", args=[world.active.pk])
    form = client.get(url).context["form"]
    data = {name: (field.value() if field.value() is not None else "") for name, field in
            ((n, form[n]) for n in form.fields)}
    data.update(purchase_journal="HA", default_purchase_account="604000", deductible_vat_20="4456620")
    response = client.post(url, data)
    assert response.status_code == 302
    settings = LedgerSettings.objects.get(dossier=world.active)
    assert settings.purchase_journal == "HA" and settings.default_purchase_account == "604000"
    assert settings.deductible_vat_by_rate["20"] == "4456620" and settings.deductible_vat_by_rate["5.5"] == "445663"

    data.update(default_purchase_account="706000", sales_journal="vente!", collected_vat_10="401000")
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le compte d&#x27;achat doit être un compte de charge (classe 6)." in page
    assert "Un code journal compte 1 à 6 chiffres ou majuscules." in page
    assert "Ce compte de TVA doit commencer par 4457." in page
    assert LedgerSettings.objects.get(dossier=world.active).default_purchase_account == "604000"


def test_forms_need_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("accountant"))
    assert client.post(reverse("ledger:export", args=[world.active.pk])).status_code == 403
