"""The firm's connections pages and the dossier's choice of its platform."""

import pytest
from django.urls import reverse

from facturier.accredited.models import Connection, DossierConnection
from facturier.accredited.tests.stub_platform import StubPlatform
from facturier.audit.models import AuditEvent
from facturier.testing.world import sign_in

SECRET = "le-secret-de-la-PA-0001"


def fields(base="https://pa.example", **changes):
    values = {"name": "PA Exemple", "flow_url": f"{base}/flow-service", "directory_url": f"{base}/directory-service",
              "token_url": f"{base}/auth/token", "client_id": "cabinet-alpha", "secret": SECRET,
              "organization_id_scheme": "siren", "is_default": "on"}
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def test_an_administrator_declares_a_connection_whose_secret_is_never_shown(client, world):
    sign_in(client, world, "admin")
    url = reverse("accredited:connections", args=[world.firm.pk])
    response = client.post(url, fields(), follow=True)
    assert response.status_code == 200
    connection = Connection.objects.get(firm=world.firm)
    assert connection.secret == SECRET and connection.is_default
    page = response.content.decode()
    assert "PA Exemple" in page and SECRET not in page
    assert SECRET not in client.get(reverse("accredited:edit", args=[world.firm.pk, connection.pk])).content.decode()
    event = AuditEvent.objects.get(action="platform_connection_created")
    assert SECRET not in str(event.detail) and event.detail["client_id"] == "cabinet-alpha"


def test_a_second_identical_submission_makes_no_second_connection(client, world):
    sign_in(client, world, "admin")
    url = reverse("accredited:connections", args=[world.firm.pk])
    client.post(url, fields())
    response = client.post(url, fields())
    assert "Une connexion du cabinet porte déjà ce nom." in response.content.decode()
    assert Connection.objects.filter(firm=world.firm).count() == 1


def test_a_new_default_takes_over_and_a_blank_secret_keeps_the_old_one(client, world):
    sign_in(client, world, "accountant")
    url = reverse("accredited:connections", args=[world.firm.pk])
    client.post(url, fields())
    client.post(url, fields(name="Autre PA", client_id="autre"))
    first, second = Connection.objects.filter(firm=world.firm).order_by("pk")
    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)
    client.post(reverse("accredited:edit", args=[world.firm.pk, first.pk]), fields(secret="", client_id="nouveau"))
    first.refresh_from_db()
    assert first.client_id == "nouveau" and first.secret == SECRET and first.is_default


def test_a_first_secret_is_required(client, world):
    sign_in(client, world, "admin")
    response = client.post(reverse("accredited:connections", args=[world.firm.pk]), fields(secret=""))
    assert "Saisissez le secret que la plateforme vous a donné." in response.content.decode()
    assert not Connection.objects.exists()


def test_urls_must_be_https_to_public_hosts_in_production(client, world, settings):
    settings.PLATFORM_ALLOW_PRIVATE_URLS = False
    sign_in(client, world, "admin")
    url = reverse("accredited:connections", args=[world.firm.pk])
    page = client.post(url, fields(base="http://127.0.0.1:8000")).content.decode()
    assert "Une adresse https:// est attendue." in page
    page = client.post(url, fields(base="https://127.0.0.1:8000")).content.decode()
    assert "réseau privé" in page
    assert not Connection.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("staff_assigned", 403), ("client", 404), ("anonymous", 302)])
def test_only_the_firm_administrators_reach_the_connections(client, world, role, status):
    sign_in(client, world, role)
    assert client.get(reverse("accredited:connections", args=[world.firm.pk])).status_code == status


def test_another_firm_never_sees_nor_touches_a_connection(client, world):
    connection = Connection(firm=world.firm, name="PA Alpha", flow_url="https://a.example/f",
                            directory_url="https://a.example/d", token_url="https://a.example/t", client_id="alpha")
    connection.secret = SECRET
    connection.save()
    client.force_login(world.foreign_firm.memberships.get().user)
    own_list = client.get(reverse("accredited:connections", args=[world.foreign_firm.pk]))
    assert own_list.status_code == 200 and "PA Alpha" not in own_list.content.decode()
    for name in ("edit", "test", "delete"):
        assert client.post(reverse(f"accredited:{name}", args=[world.firm.pk, connection.pk])).status_code == 404
    for name in ("edit", "test"):
        answer = client.post(reverse(f"accredited:{name}", args=[world.foreign_firm.pk, connection.pk]))
        assert answer.status_code == 404
    # Deleting "its own" connection of that id finds none: as after a second click, nothing happens.
    client.post(reverse("accredited:delete", args=[world.foreign_firm.pk, connection.pk]))
    assert Connection.objects.filter(pk=connection.pk).exists()


def test_testing_the_connection_says_what_works_and_what_fails(client, world, http_stub):
    platform = StubPlatform(http_stub)
    connection = platform.connect(world.firm)
    http_stub.route("GET", "/flow-service/v1/healthcheck", lambda query, body: (200, b""))
    http_stub.route("GET", "/directory-service/v1/healthcheck", lambda query, body: (200, b""))
    sign_in(client, world, "admin")
    test_url = reverse("accredited:test", args=[world.firm.pk, connection.pk])
    page = client.post(test_url, follow=True).content.decode()
    assert "fonctionne : les services Flow et Annuaire répondent" in page
    http_stub.route("GET", "/directory-service/v1/healthcheck", lambda query, body: (503, {"errorCode": "DOWN"}))
    http_stub.route("POST", "/token", lambda query, body: (401, {"error": "invalid_client"}))
    page = client.post(test_url, follow=True).content.decode()
    assert "ne fonctionne pas" in page
    assert "Le service Annuaire répond 503" in page
    assert "La plateforme refuse l&#x27;identifiant client ou le secret (invalid_client)." in page
    tests = AuditEvent.objects.filter(action="platform_connection_tested").order_by("sequence")
    assert list(tests.values_list("detail__ok", flat=True)) == [True, False]


def test_a_connection_in_use_is_not_deleted(client, world):
    connection = Connection(firm=world.firm, name="PA", flow_url="https://a.example/f", is_default=True,
                            directory_url="https://a.example/d", token_url="https://a.example/t", client_id="a")
    connection.secret = SECRET
    connection.save()
    DossierConnection.objects.create(dossier=world.active, connection=connection)
    sign_in(client, world, "admin")
    page = client.post(reverse("accredited:delete", args=[world.firm.pk, connection.pk]), follow=True)
    assert "ne peut pas être supprimée" in page.content.decode()
    assert Connection.objects.filter(pk=connection.pk).exists()


def declared(world, name, **extra):
    connection = Connection(firm=world.firm, name=name, flow_url="https://a.example/f",
                            directory_url="https://a.example/d", token_url="https://a.example/t", client_id=name,
                            **extra)
    connection.secret = SECRET
    connection.save()
    return connection


def test_the_firm_chooses_the_dossier_s_platform_and_the_client_sees_it(client, world):
    default = declared(world, "PA Défaut", is_default=True, organization_id_scheme="siren")
    other = declared(world, "PA Autre")
    sign_in(client, world, "client")
    home = client.get(reverse("dashboard:home", args=[world.active.pk])).content.decode()
    assert "Connecté à la plateforme agréée « PA Défaut » depuis le" in home
    url = reverse("accredited:dossier_platform", args=[world.active.pk])
    assert "disabled" in client.get(url).content.decode()
    assert client.post(url, {"connection": other.pk}).status_code == 403
    client.logout()
    sign_in(client, world, "staff_assigned")
    client.post(url, {"connection": other.pk, "organization_id": "FR12356000000"})
    row = DossierConnection.objects.get(dossier=world.active)
    assert (row.connection, row.organization_id) == (other, "FR12356000000")
    client.post(url, {"connection": default.pk, "organization_id": ""})
    row.refresh_from_db()
    assert (row.connection, row.organization_id) == (default, world.active.siren)
    assert AuditEvent.objects.filter(action="dossier_platform_changed", dossier=world.active).count() == 2
    page = client.get(url).content.decode()
    assert "Connecté à « PA Défaut » depuis le" in page


def test_a_dossier_of_a_firm_without_connection_says_so(client, world):
    sign_in(client, world, "client")
    home = client.get(reverse("dashboard:home", args=[world.active.pk])).content.decode()
    assert "Non connecté à une plateforme agréée" in home
    assert not DossierConnection.objects.exists()
