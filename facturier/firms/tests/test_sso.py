"""Firm staff sign in through the development provider, over real HTTP."""

import base64
import json
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import RSAKey

from facturier.accounts import oidc
from facturier.accounts.models import User
from facturier.accounts.tests.fixtures import form_fields, make_client, make_firm
from facturier.audit.models import AuditEvent
from facturier.devidp.keys import signing_key
from facturier.firms.models import Firm, FirmMembership, Role

pytestmark = pytest.mark.django_db(transaction=True)


def start(visitor, next_url=None):
    """The platform sends the browser to the provider's authorization endpoint."""
    response = visitor.get("/cabinets/comptexpert/", params={"next": next_url} if next_url else None)
    assert response.status_code == 302
    return response.headers["location"]


def pick(visitor, authorize_url, subject):
    """The person picks themselves on the provider's page; the provider answers with a code."""
    page = visitor.get(authorize_url)
    assert page.status_code == 200 and "ComptExpert (développement)" in page.text
    response = visitor.post(authorize_url.split("?")[0], data={**form_fields(page.text), "subject": subject})
    assert response.status_code == 302
    return response.headers["location"]


def sign_in(visitor, subject, next_url=None):
    callback = pick(visitor, start(visitor, next_url), subject)
    return visitor.get(callback)


def test_chartered_accountant_signs_in(visitor, idp):
    authorize_url = start(visitor)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith(f"{idp.url}/dev-idp/authorize?")
    assert query["code_challenge_method"] == ["S256"] and query["state"] and query["nonce"]
    response = visitor.get(pick(visitor, authorize_url, "ce-claire-martin"))
    assert response.status_code == 302 and response.headers["location"] == reverse("web:home")

    user = User.objects.get(sso_subject="ce-claire-martin")
    assert user.email == "claire.martin@cabinet-demo.example" and user.full_name == "Claire Martin"
    assert not user.has_usable_password()
    firms = {m.firm.siren: m for m in FirmMembership.objects.filter(user=user).select_related("firm")}
    assert set(firms) == {"626018154", "418609137"}
    demo = firms["626018154"]
    assert demo.firm.name == "Cabinet Démo" and demo.firm.terms_accepted_at is None
    assert demo.role == Role.CHARTERED_ACCOUNTANT and demo.has_delegation and not demo.is_admin
    assert AuditEvent.objects.filter(actor=user, action="signed_in", detail__method="sso").exists()
    # Signed in: the home page sends a chartered accountant to the firm list.
    assert visitor.get(reverse("web:home")).headers["location"] == reverse("dashboard:firms")


def test_sign_in_updates_memberships_but_never_the_admin_right(visitor):
    firm = make_firm("626018154", "Ancien nom", open=True)
    bruno = User.objects.create_user("bruno.old@example.com", sso_subject="ce-bruno-leroy")
    FirmMembership.objects.create(firm=firm, user=bruno, role=Role.STAFF, has_delegation=False, is_admin=True)
    gone = make_firm("183016617", "Cabinet Voisin")
    FirmMembership.objects.create(firm=gone, user=bruno, has_delegation=True)

    assert sign_in(visitor, "ce-bruno-leroy").status_code == 302
    bruno.refresh_from_db()
    assert bruno.email == "bruno.leroy@cabinet-demo.example"
    membership = FirmMembership.objects.get(user=bruno, firm=firm)
    assert membership.has_delegation and membership.is_admin and membership.role == Role.STAFF
    assert Firm.objects.get(pk=firm.pk).name == "Ancien nom"  # a known firm keeps its name
    # The provider no longer lists that firm: no delegation there any more.
    assert not FirmMembership.objects.get(user=bruno, firm=gone).has_delegation


def test_client_account_with_the_same_email_becomes_staff_without_password(visitor):
    client = make_client("hugo.petit@cabinet-demo.example")
    sign_in(visitor, "ce-hugo-petit")
    client.refresh_from_db()
    assert client.sso_subject == "ce-hugo-petit" and not client.has_usable_password()


def test_no_delegation_is_refused(visitor):
    response = sign_in(visitor, "ce-nadia-roux")
    assert response.status_code == 403
    assert "Délégation Facturier absente dans ComptExpert" in response.text
    assert visitor.get(reverse("web:home")).status_code == 302  # not signed in
    nadia = User.objects.get(sso_subject="ce-nadia-roux")
    assert not FirmMembership.objects.get(user=nadia).has_delegation
    assert AuditEvent.objects.filter(actor=nadia, action="sign_in_refused", detail__reason="no_delegation").exists()


def test_next_page_is_honoured_when_safe(visitor):
    response = sign_in(visitor, "ce-sophie-bernard", next_url="/comptes/conditions-generales/")
    assert response.headers["location"] == "/comptes/conditions-generales/"


def test_next_page_elsewhere_is_ignored(visitor):
    response = sign_in(visitor, "ce-sophie-bernard", next_url="https://evil.example/")
    assert response.headers["location"] == reverse("web:home")


def test_forged_state_is_rejected(visitor):
    callback = pick(visitor, start(visitor), "ce-claire-martin")
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    forged = urlunsplit(parts._replace(query=urlencode({"code": query["code"][0], "state": "forged"})))
    response = visitor.get(forged)
    assert response.status_code == 400
    assert "inconnue ou a expiré" in response.text
    assert not User.objects.filter(sso_subject="ce-claire-martin").exists()


def test_state_cannot_be_replayed(visitor):
    callback = pick(visitor, start(visitor), "ce-claire-martin")
    assert visitor.get(callback).status_code == 302
    assert visitor.get(callback).status_code == 400


def test_wrong_nonce_in_the_id_token_is_rejected(visitor):
    authorize_url = start(visitor)
    parts = urlsplit(authorize_url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    query["nonce"] = "a-nonce-the-platform-never-sent"
    tampered = urlunsplit(parts._replace(query=urlencode(query)))
    response = visitor.get(pick(visitor, tampered, "ce-claire-martin"))
    assert response.status_code == 400
    assert "n'a pas pu être vérifiée" in response.text
    assert visitor.get(reverse("web:home")).status_code == 302
    [event] = AuditEvent.objects.filter(action="sso_rejected")
    assert "nonce" in event.detail["reason"]


def test_cancelled_at_the_provider(visitor):
    authorize_url = start(visitor)
    page = visitor.get(authorize_url)
    answer = visitor.post(authorize_url.split("?")[0], data={**form_fields(page.text), "cancel": "1"})
    response = visitor.get(answer.headers["location"])
    assert response.status_code == 400 and "annulée" in response.text


def test_provider_down_gives_a_clear_page(client, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9/nowhere"  # nothing listens on the discard port
    response = client.get("/cabinets/comptexpert/")
    assert response.status_code == 503
    assert "ComptExpert ne répond pas" in response.content.decode()


def _claims(idp, **overrides):
    now = int(time.time())
    claims = {"iss": f"{idp.url}/dev-idp", "aud": "facturier-tests", "sub": "ce-claire-martin", "iat": now,
              "exp": now + 300, "nonce": "n-1", "email": "claire.martin@cabinet-demo.example"}
    claims.update(overrides)
    return claims


def _sign(claims, key):
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])


def test_id_token_checks_against_the_published_keys(idp):
    assert oidc.verify_id_token(_sign(_claims(idp), signing_key()), nonce="n-1")["sub"] == "ce-claire-martin"


def test_id_token_signed_by_another_key_is_rejected(idp):
    impostor = RSAKey.generate_key(2048, parameters={"kid": signing_key().kid})
    with pytest.raises(oidc.InvalidResponse):
        oidc.verify_id_token(_sign(_claims(idp), impostor), nonce="n-1")


def test_id_token_with_a_tampered_payload_is_rejected(idp):
    header, _payload, signature = _sign(_claims(idp), signing_key()).split(".")
    other = _sign(_claims(idp, sub="ce-victor-blanc"), signing_key()).split(".")[1]
    with pytest.raises(oidc.InvalidResponse):
        oidc.verify_id_token(f"{header}.{other}.{signature}", nonce="n-1")


@pytest.mark.parametrize("overrides", [
    {"iss": "https://other-issuer.example"},
    {"aud": "another-client"},
    {"exp": int(time.time()) - 3600},
    {"nonce": "n-2"},
])
def test_id_token_claims_are_checked(idp, overrides):
    with pytest.raises(oidc.InvalidResponse):
        oidc.verify_id_token(_sign(_claims(idp, **overrides), signing_key()), nonce="n-1")


def test_unsigned_id_token_is_rejected(idp):
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(json.dumps(_claims(idp)).encode()).rstrip(b"=").decode()
    with pytest.raises(oidc.InvalidResponse):
        oidc.verify_id_token(f"{header}.{payload}.", nonce="n-1")
