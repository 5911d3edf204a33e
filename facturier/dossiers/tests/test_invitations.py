"""The invitation e-mail, its single-use link and the onboarding page (seed pages 15-16)."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from facturier.accounts.models import User
from facturier.accounts.tests.fixtures import CLIENT_PASSWORD, make_client, make_dossier, make_firm, make_staff
from facturier.audit.models import AuditEvent
from facturier.dossiers.invitations import InvitationSpent, accept, invite
from facturier.dossiers.last_used import last_dossier
from facturier.dossiers.models import DossierMembership, DossierStatus, Invitation

pytestmark = pytest.mark.django_db

PASSWORD = "Tournesol-Bleu-77"


@pytest.fixture
def firm():
    return make_firm()


@pytest.fixture
def dossier(firm):
    return make_dossier(firm, status=DossierStatus.INVITED)


@pytest.fixture
def accountant(firm):
    return make_staff("claire@cabinet.example", firm, role="chartered_accountant")


def invite_owner(dossier, accountant, language="fr", email="pierre@bioburo.example"):
    return invite(dossier, email=email, name="Pierre Conerardy", language=language, invited_by=accountant,
                  rights={"is_owner": True})


def link_path(message, base_url):
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(base_url) + r"(/dossiers/invitation/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def photo_file(fmt="PNG", name="moi.png", size=(64, 64)):
    data = io.BytesIO()
    Image.new("RGB", size, (29, 79, 145)).save(data, fmt)
    return SimpleUploadedFile(name, data.getvalue(), content_type=f"image/{fmt.lower()}")


def onboarding_data(**overrides):
    data = {"full_name": "Pierre Conerardy", "mobile": "06 12 34 56 78", "language": "fr",
            "password1": PASSWORD, "password2": PASSWORD, "consent": "on"}
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def invitation_link(dossier, accountant, mailbox, settings):
    settings.BASE_URL = "https://facturier.example"
    invite_owner(dossier, accountant)
    return link_path(mailbox.messages[-1], settings.BASE_URL)


def test_invitation_email_in_french(dossier, accountant, mailbox, settings):
    settings.BASE_URL = "https://facturier.example"
    invitation = invite_owner(dossier, accountant)
    [message] = mailbox.to("pierre@bioburo.example")
    assert message["Subject"] == "Votre compte Facturier pour Bioburo"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Bonjour Pierre Conerardy," in text
    assert "Votre expert-comptable vient de créer un compte sur Facturier pour votre entreprise Bioburo." in text
    assert "Votre identifiant personnel est : pierre@bioburo.example" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="fr">' in html and "Choisir mon mot de passe" in html
    assert link_path(message, settings.BASE_URL) in html
    assert invitation.name == "Pierre Conerardy" and invitation.language == "fr"
    validity = invitation.expires_at - invitation.created_at
    assert abs(validity - timedelta(days=settings.INVITATION_VALID_DAYS)) < timedelta(seconds=5)
    assert f"valable {settings.INVITATION_VALID_DAYS} jours" in text
    assert AuditEvent.objects.filter(actor=accountant, action="invitation_sent", dossier=dossier).exists()


def test_invitation_email_in_english(dossier, accountant, mailbox, settings):
    invite_owner(dossier, accountant, language="en")
    [message] = mailbox.to("pierre@bioburo.example")
    assert '<html lang="en">' in message.get_body(preferencelist=("html",)).get_content()
    assert link_path(message, settings.BASE_URL)


def test_existing_account_is_only_told_a_dossier_is_open(dossier, accountant, mailbox):
    make_client("pierre@bioburo.example")
    invite_owner(dossier, accountant)
    [message] = mailbox.messages
    assert message["Subject"] == "Un nouveau dossier vous est ouvert sur Facturier : Bioburo"
    assert "Choisir mon mot de passe" not in message.get_body(preferencelist=("plain",)).get_content()


def test_onboarding_page_shows_the_invitation(client, invitation_link):
    page = client.get(invitation_link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Prenez quelques instants pour personnaliser votre expérience" in html
    assert 'value="pierre@bioburo.example" readonly' in html
    assert 'value="Pierre Conerardy"' in html
    assert "data-photo-drop" in html and 'type="file"' in html
    assert reverse("accounts:terms") in html and reverse("accounts:terms_download") in html
    assert AuditEvent.objects.filter(action="invitation_opened").exists()


def test_onboarding_creates_the_owner_and_opens_the_dossier(client, invitation_link, dossier, settings):
    response = client.post(invitation_link, onboarding_data(photo=photo_file(), language="en"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home", args=[dossier.pk])

    user = User.objects.get(email="pierre@bioburo.example")
    assert user.full_name == "Pierre Conerardy" and user.mobile == "0612345678" and user.language == "en"
    assert user.check_password(PASSWORD) and user.sso_subject is None
    assert user.gdpr_consent_at is not None and last_dossier(user) == dossier
    assert user.photo.name.startswith("photos/") and user.photo.name.endswith(".png")
    assert (settings.MEDIA_ROOT / user.photo.name).exists()
    membership = DossierMembership.objects.get(user=user, dossier=dossier)
    assert membership.is_owner and membership.can_manage_users and membership.can_issue_sales
    assert membership.can_handle_purchases
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ACTIVE and dossier.owner == user and dossier.activated_at
    assert Invitation.objects.get(dossier=dossier).used_at is not None
    # Signed in, and the dossier opens.
    assert client.get(response["Location"]).status_code == 200
    actions = set(AuditEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert {"account_created", "invitation_accepted", "dossier_opened", "signed_in"} <= actions


def test_link_is_single_use(client, invitation_link):
    assert client.post(invitation_link, onboarding_data()).status_code == 302
    client.logout()
    again = client.get(invitation_link)
    assert again.status_code == 410 and "déjà été utilisée" in again.content.decode()
    assert client.post(invitation_link, onboarding_data()).status_code == 410


def test_expired_link(client, invitation_link):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(invitation_link)
    assert response.status_code == 410 and "expiré" in response.content.decode()
    assert client.post(invitation_link, onboarding_data()).status_code == 410
    assert not User.objects.filter(email="pierre@bioburo.example").exists()


def test_unknown_link(client):
    response = client.get(reverse("dossiers:accept_invitation", args=["no-such-token"]))
    assert response.status_code == 404 and "Invitation introuvable" in response.content.decode()


def test_second_acceptance_in_a_race_is_refused(dossier, accountant, mailbox):
    invitation = invite_owner(dossier, accountant)
    first, second = Invitation.objects.get(pk=invitation.pk), Invitation.objects.get(pk=invitation.pk)
    accept(first, make_client("pierre@bioburo.example"))
    with pytest.raises(InvitationSpent):
        accept(second, make_client("someone@bioburo.example"))
    assert DossierMembership.objects.filter(dossier=dossier).count() == 1


@pytest.mark.parametrize("overrides, field, message", [
    ({"photo": SimpleUploadedFile("moi.png", b"not an image at all", content_type="image/png")},
     "photo", "image"),
    ({"photo": SimpleUploadedFile("moi.png", b"\0" * (2 * 1024 * 1024 + 1), content_type="image/png")},
     "photo", "2 Mo"),
    ({"password2": "Tournesol-Bleu-78"}, "password2", "ne sont pas identiques"),
    ({"password1": "12345678901", "password2": "12345678901"}, "password1", "entièrement numérique"),
    ({"consent": None}, "consent", "accepter les conditions générales"),
    ({"mobile": "call me"}, "mobile", "numéro de mobile valide"),
    ({"full_name": ""}, "full_name", "obligatoire"),
], ids=["not-an-image", "too-large", "password-mismatch", "weak-password", "no-consent", "bad-mobile", "no-name"])
def test_onboarding_validation(client, invitation_link, overrides, field, message):
    response = client.post(invitation_link, onboarding_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert "Corrigez les champs signalés" in response.content.decode()
    assert not User.objects.filter(email="pierre@bioburo.example").exists()
    assert Invitation.objects.get().used_at is None


def test_photo_must_be_an_accepted_image_format(client, invitation_link):
    response = client.post(invitation_link, onboarding_data(photo=photo_file("BMP", "moi.bmp")))
    assert "JPEG, PNG, GIF, WebP" in " ".join(response.context["form"].errors["photo"])


def test_existing_client_signs_in_then_joins(client, firm, accountant, mailbox, settings):
    settings.BASE_URL = "https://facturier.example"
    other = make_dossier(firm, "Premys", siren="", status=DossierStatus.ACTIVE)
    make_client("pierre@bioburo.example", dossier=other, is_owner=True)
    new = make_dossier(firm, "Bioburo", status=DossierStatus.INVITED)
    invite_owner(new, accountant)
    link = link_path(mailbox.messages[-1], settings.BASE_URL)

    page = client.get(link)
    assert page.status_code == 200
    login_link = f"{reverse('accounts:login')}?next={link}"
    assert login_link in page.content.decode()
    signed = client.post(reverse("accounts:login"),
                         {"email": "pierre@bioburo.example", "password": CLIENT_PASSWORD, "next": link})
    assert signed["Location"] == link
    assert "Ouvrir le dossier" in client.get(link).content.decode()
    response = client.post(link)
    assert response["Location"] == reverse("dashboard:home", args=[new.pk])
    user = User.objects.get(email="pierre@bioburo.example")
    assert user.check_password(CLIENT_PASSWORD)  # untouched
    assert set(user.dossier_memberships.values_list("dossier__name", flat=True)) == {"Premys", "Bioburo"}
    assert last_dossier(user) == new
    new.refresh_from_db()
    assert new.status == DossierStatus.ACTIVE and new.owner == user


def test_signed_in_as_someone_else(client, dossier, accountant, mailbox, settings):
    invitee = make_client("pierre@bioburo.example")
    client.force_login(make_client("intruder@example.com"))
    invite_owner(dossier, accountant)
    link = link_path(mailbox.messages[-1], settings.BASE_URL)
    page = client.get(link)
    assert "cette invitation est destinée à pierre@bioburo.example" in page.content.decode()
    client.post(link)
    assert not DossierMembership.objects.filter(dossier=dossier).exists()
    assert invitee.dossier_memberships.count() == 0


def test_firm_staff_invited_to_their_firm_dossier_signs_in_with_comptexpert(client, dossier, accountant, mailbox,
                                                                             settings):
    invite_owner(dossier, accountant, email=accountant.email)
    link = link_path(mailbox.messages[-1], settings.BASE_URL)
    page = client.get(link).content.decode()
    assert reverse("firms:sso_start") in page
    client.force_login(accountant)
    assert client.post(link)["Location"] == reverse("dashboard:home", args=[dossier.pk])
    assert DossierMembership.objects.get(dossier=dossier, user=accountant).is_owner


def test_onboarding_page_speaks_the_invitation_language_until_one_is_chosen(client, dossier, accountant, settings):
    _, token = Invitation.issue(email="pierre@bioburo.example", dossier=dossier, invited_by=accountant,
                                rights={"is_owner": True}, language="en")
    link = reverse("dossiers:accept_invitation", args=[token])
    assert '<html lang="en">' in client.get(link).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="fr">' in client.get(link).content.decode()


def test_second_invitation_to_a_newcomer_joins_the_account_made_with_the_first(client, firm, accountant):
    first = make_dossier(firm, "Bioburo", status=DossierStatus.INVITED)
    second = make_dossier(firm, "Premys", siren="", status=DossierStatus.INVITED)
    links = [reverse("dossiers:accept_invitation", args=[Invitation.issue(
        email="pierre@bioburo.example", dossier=d, invited_by=accountant, rights={"is_owner": True})[1]])
        for d in (first, second)]
    assert client.post(links[0], onboarding_data())["Location"] == reverse("dashboard:home", args=[first.pk])
    # The second onboarding form, submitted from the same browser, joins the account just created.
    assert client.post(links[1], onboarding_data())["Location"] == reverse("dashboard:home", args=[second.pk])
    user = User.objects.get(email="pierre@bioburo.example")
    assert user.dossier_memberships.count() == 2 and last_dossier(user) == second


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_spend_the_link_once(firm):
    """Two acceptances at the same moment, each in its own thread and database connection."""
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database locks whole tables across threads instead of waiting")
    dossier = make_dossier(firm, status=DossierStatus.INVITED)
    invitation, _ = Invitation.issue(email="pierre@bioburo.example", dossier=dossier, invited_by=None,
                                     rights={"is_owner": True})
    people = [make_client(f"p{i}@bioburo.example") for i in range(2)]
    start, outcomes = threading.Barrier(2), []

    def accept_in_thread(user):
        try:
            start.wait()
            accept(Invitation.objects.get(pk=invitation.pk), user)
            outcomes.append("accepted")
        except InvitationSpent:
            outcomes.append("spent")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept_in_thread, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["accepted", "spent"]
    assert DossierMembership.objects.filter(dossier=dossier).count() == 1


def test_plain_text_email_is_not_html_escaped(firm, accountant, mailbox):
    dossier = make_dossier(firm, name="L'Atelier Dupont & Fils", status=DossierStatus.INVITED)
    invite(dossier, email="zoe@atelier.example", name="Zoé O'Neil", language="fr", invited_by=accountant,
           rights={"is_owner": True})
    [message] = mailbox.to("zoe@atelier.example")
    assert message["Subject"] == "Votre compte Facturier pour L'Atelier Dupont & Fils"
    text = mailbox.body(message)
    assert "Bonjour Zoé O'Neil," in text
    assert "pour votre entreprise L'Atelier Dupont & Fils." in text
    assert "&#x27;" not in text and "&amp;" not in text
    assert "L&#x27;Atelier Dupont &amp; Fils" in mailbox.body(message, "html")  # HTML stays escaped
