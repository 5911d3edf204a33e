import html
import re

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.urls import reverse

from facturier.accounts.models import User
from facturier.audit.models import AuditEvent
from facturier.dossiers.invitations import accept, invite
from facturier.dossiers.models import Dossier, DossierStatus, Invitation
from facturier.dossiers.tests.test_form import VALID
from facturier.testing.world import make_dossier


def activate(client, world, dossier):
    return client.post(reverse("dossiers:activate", args=[world.firm.pk, dossier.pk]))


def link_in(text):
    match = re.search(r"https?://\S+/dossiers/invitation/(\S+?)/", text)
    assert match, text
    return match.group(1)


def test_activation_invites_the_legal_representative_in_french(client, world, mailbox):
    client.force_login(world.people["staff_assigned"])
    response = activate(client, world, world.new)
    assert response.status_code == 302
    world.new.refresh_from_db()
    assert world.new.status == DossierStatus.INVITED
    [message] = mailbox.to(world.new.representative_email)
    text = mailbox.body(message)
    assert "Bonjour Dirigeant Nouvelle Société" in text
    assert ("Votre expert-comptable vient de créer un compte sur Facturier"
            " pour votre entreprise Nouvelle Société") in text
    assert f"Votre identifiant personnel est : {world.new.representative_email}" in text
    token = link_in(text)
    assert "Choisir mon mot de passe" in mailbox.body(message, "html")
    invitation = Invitation.find_usable(token)
    assert invitation.dossier == world.new and invitation.rights == {"is_owner": True}
    assert invitation.invited_by == world.people["staff_assigned"]
    assert AuditEvent.objects.filter(action="dossier_activated", dossier=world.new).exists()


def test_activation_email_in_english(client, world, mailbox):
    world.new.representative_language = "en"
    world.new.save()
    client.force_login(world.people["accountant"])
    activate(client, world, world.new)
    [message] = mailbox.to(world.new.representative_email)
    text = mailbox.body(message)
    link_in(text)
    assert "Choose my password" in text and "Choisir mon mot de passe" not in text


def test_until_the_invitation_is_completed_nobody_opens_the_dossier(client, world, mailbox):
    client.force_login(world.people["accountant"])
    activate(client, world, world.new)
    for role in ("accountant", "admin", "staff_assigned"):
        client.force_login(world.people[role])
        assert client.get(reverse("dashboard:home", args=[world.new.pk])).status_code == 404
    body = client.get(reverse("dashboard:clients", args=[world.firm.pk])).content.decode()
    assert "Invitation envoyée" in body


def test_resend_replaces_the_previous_link(client, world, mailbox):
    client.force_login(world.people["accountant"])
    activate(client, world, world.new)
    activate(client, world, world.new)
    first, second = (link_in(mailbox.body(m)) for m in mailbox.to(world.new.representative_email))
    assert Invitation.find_usable(first) is None
    assert Invitation.find_usable(second).dossier == world.new
    assert AuditEvent.objects.filter(action="invitation_resent", dossier=world.new).count() == 1


def test_an_active_dossier_is_not_activated_again(client, world, mailbox):
    client.force_login(world.people["accountant"])
    activate(client, world, world.active)
    assert mailbox.messages == []
    world.active.refresh_from_db()
    assert world.active.status == DossierStatus.ACTIVE


def test_existing_account_is_told_a_new_dossier_is_open(client, world, mailbox):
    owner = User.objects.create_user("deja@client.example", "un-mot-de-passe-solide-42", full_name="Déjà Client")
    dossier = make_dossier(world.firm, "Deuxième Société", "512345679", representative_email=owner.email)
    client.force_login(world.people["accountant"])
    activate(client, world, dossier)
    [message] = mailbox.to(owner.email)
    assert "vient de vous être ouvert" in mailbox.body(message)


def activate_all(client, world, **data):
    url = reverse("dossiers:activate_all", args=[world.firm.pk])
    shown = re.findall(r'name="dossier" value="(\d+)"', client.get(url).content.decode())
    return client.post(url, {"confirmed": "1", "dossier": shown, **data}, follow=True)


def test_tout_activer_shows_whom_it_will_write_to_before_sending(client, world, mailbox):
    client.force_login(world.people["accountant"])
    page = client.get(reverse("dossiers:activate_all", args=[world.firm.pk])).content.decode()
    assert world.new.name in page and world.new.representative_email in page
    assert world.invited.name not in page  # invited already: not written to again
    client.post(reverse("dossiers:activate_all", args=[world.firm.pk]))  # no confirmation: nothing leaves
    assert mailbox.messages == [] and Dossier.objects.get(pk=world.new.pk).status == DossierStatus.NOT_ACTIVATED


def test_tout_activer_sends_only_to_the_dossiers_kept(client, world, mailbox):
    other = make_dossier(world.firm, "Autre Société", "512345679")
    client.force_login(world.people["accountant"])
    url = reverse("dossiers:activate_all", args=[world.firm.pk])
    client.post(url, {"confirmed": "1", "dossier": [str(other.pk)]})
    assert [m["To"] for m in mailbox.messages] == [other.representative_email]
    assert Dossier.objects.get(pk=world.new.pk).status == DossierStatus.NOT_ACTIVATED


def test_tout_activer_invites_every_dossier_the_person_sees(client, world, mailbox):
    other = make_dossier(world.firm, "Autre Société", "512345679")
    client.force_login(world.people["staff_assigned"])
    activate_all(client, world)
    # Staff activate only their assigned dossiers; the invited one is not re-sent.
    assert [m["To"] for m in mailbox.messages] == [world.new.representative_email]
    assert Dossier.objects.get(pk=other.pk).status == DossierStatus.NOT_ACTIVATED
    client.force_login(world.people["admin"])
    activate_all(client, world)
    assert Dossier.objects.get(pk=other.pk).status == DossierStatus.INVITED
    assert len(mailbox.messages) == 2
    response = activate_all(client, world)
    assert "Aucun dossier à activer." in response.content.decode()


def refuse_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2


def test_mail_failure_is_said_journaled_and_can_be_retried(client, world, settings, mailbox):
    smtp = settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT
    refuse_mail(settings)
    client.force_login(world.people["accountant"])
    response = client.post(reverse("dossiers:activate", args=[world.firm.pk, world.new.pk]), follow=True)
    assert "pu être envoyé" in response.content.decode()
    world.new.refresh_from_db()
    assert world.new.status == DossierStatus.INVITED  # its "Renvoyer l'invitation" button is offered
    assert AuditEvent.objects.filter(action="invitation_send_failed", dossier=world.new).exists()
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = smtp
    activate(client, world, world.new)
    [message] = mailbox.to(world.new.representative_email)
    assert Invitation.objects.usable().filter(dossier=world.new).count() == 1
    assert Invitation.find_usable(link_in(mailbox.body(message))).dossier == world.new


class InTransactionBackend(BaseEmailBackend):
    """Notes, for each message, whether a database transaction was open while it was sent."""

    sent = []

    def send_messages(self, messages):
        InTransactionBackend.sent += [(m.to[0], connection.in_atomic_block) for m in messages]
        return len(messages)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["dossiers:activate", "dossiers:activate_all"])
def test_invitation_emails_leave_after_the_transaction(client, world, settings, url):
    settings.EMAIL_BACKEND = f"{__name__}.InTransactionBackend"
    InTransactionBackend.sent = []
    client.force_login(world.people["accountant"])
    args = [world.firm.pk, world.new.pk] if url == "dossiers:activate" else [world.firm.pk]
    client.post(reverse(url, args=args), {"confirmed": "1", "dossier": [str(world.new.pk)]})
    assert (world.new.representative_email, False) in InTransactionBackend.sent
    assert all(not in_transaction for _email, in_transaction in InTransactionBackend.sent)


def test_tout_activer_failures_are_journaled_and_the_dossiers_can_be_retried(client, world, settings):
    refuse_mail(settings)
    client.force_login(world.people["accountant"])
    response = activate_all(client, world)
    assert response.status_code == 200 and "en cours d'envoi" in html.unescape(response.content.decode())
    world.new.refresh_from_db()
    assert world.new.status == DossierStatus.INVITED
    assert AuditEvent.objects.filter(action="invitation_send_failed", dossier=world.new).exists()
    detail = client.get(reverse("dossiers:detail", args=[world.firm.pk, world.new.pk])).content.decode()
    assert "Renvoyer l'invitation" in html.unescape(detail)


def test_activation_returns_to_a_safe_next_page_only(client, world):
    client.force_login(world.people["accountant"])
    url = reverse("dossiers:activate", args=[world.firm.pk, world.new.pk])
    detail = reverse("dossiers:detail", args=[world.firm.pk, world.new.pk])
    assert client.post(url, {"next": detail})["Location"] == detail
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == reverse(
        "dashboard:clients", args=[world.firm.pk])


def test_resending_to_a_new_representative_expires_the_former_ones_link(client, world, mailbox):
    client.force_login(world.people["accountant"])
    activate(client, world, world.new)
    former = link_in(mailbox.body(mailbox.to(world.new.representative_email)[0]))
    world.new.representative_email = "nouveau@nouvelle-societe.example"
    world.new.save()
    activate(client, world, world.new)
    assert Invitation.find_usable(former) is None
    assert Invitation.objects.usable().filter(dossier=world.new).get().email == "nouveau@nouvelle-societe.example"


def test_changing_the_representative_email_expires_the_pending_owner_link(client, world, mailbox):
    client.force_login(world.people["accountant"])
    activate(client, world, world.new)
    former = link_in(mailbox.body(mailbox.to(world.new.representative_email)[0]))
    url = reverse("dossiers:detail", args=[world.firm.pk, world.new.pk])
    data = {**VALID, "siren": world.new.siren, "representative_email": "nouveau@nouvelle-societe.example"}
    assert client.post(url, data).status_code == 302
    assert Invitation.find_usable(former) is None


def test_an_old_owner_link_cannot_take_an_owned_dossier_over(client, world, mailbox):
    old = invite(world.new, email="ancien@nouvelle-societe.example", name="Ancien", language="fr",
                 invited_by=world.people["accountant"], rights={"is_owner": True})
    client.force_login(world.people["accountant"])
    activate(client, world, world.new)
    owner = User.objects.create_user(world.new.representative_email, "un-mot-de-passe-solide-42")
    accept(Invitation.objects.usable().get(dossier=world.new, email=owner.email), owner)
    old_token = link_in(mailbox.body(mailbox.to("ancien@nouvelle-societe.example")[0]))
    # Whatever expired it or not, a link to a dossier owned by someone else is refused.
    Invitation.objects.filter(pk=old.pk).update(expires_at=old.expires_at)
    client.logout()
    response = client.post(reverse("dossiers:accept_invitation", args=[old_token]), {
        "full_name": "Ancien", "mobile": "06 12 34 56 78", "language": "fr",
        "password1": "Tournesol-Bleu-77", "password2": "Tournesol-Bleu-77", "consent": "on"})
    assert response.status_code == 410
    assert "déjà un propriétaire" in response.content.decode()
    world.new.refresh_from_db()
    assert world.new.owner == owner
    assert not User.objects.filter(email="ancien@nouvelle-societe.example").exists()
