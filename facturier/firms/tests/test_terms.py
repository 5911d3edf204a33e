import html

import pytest
from django.urls import reverse

from facturier.audit.models import AuditEvent
from facturier.dossiers.models import Dossier, DossierStatus
from facturier.firms.models import FREE_INVOICES, Firm, Role
from facturier.testing.world import join, make_staff


@pytest.fixture
def closed_firms(db):
    accountant = make_staff("ec@ouest.example", "Claire Martin")
    staff = make_staff("collab@ouest.example", "Hugo Petit")
    firms = [Firm.objects.create(siren=siren, name=name)
             for siren, name in (("732829320", "Cabinet Ouest"), ("552100554", "Cabinet Ouest Bis"))]
    for firm in firms:
        join(firm, accountant, role=Role.CHARTERED_ACCOUNTANT)
        join(firm, staff, is_admin=True)
    return accountant, staff, firms


def test_firm_list_offers_acceptance_to_the_accountant(client, closed_firms):
    accountant, _staff, _firms = closed_firms
    client.force_login(accountant)
    body = client.get(reverse("dashboard:firms")).content.decode()
    assert "Cabinet Ouest" in body and "Cabinet Ouest Bis" in body
    assert body.count("Accepter les conditions") >= 2
    assert "2 résultats" in body


def test_accepting_opens_the_firm_creates_its_dossier_and_invites_the_signatory(client, closed_firms, mailbox):
    accountant, _staff, firms = closed_firms
    client.force_login(accountant)
    response = client.post(reverse("firms:accept_terms"), {"confirmed": "1", "firm": [firms[0].pk]}, follow=True)
    assert response.status_code == 200
    firms[0].refresh_from_db()
    assert firms[0].is_open and firms[0].terms_accepted_by == accountant
    own = Dossier.objects.get(firm=firms[0], is_firm_own=True)
    assert own.free_invoices == FREE_INVOICES == 500
    assert own.status == DossierStatus.INVITED and own.siren == firms[0].siren
    [message] = mailbox.to("ec@ouest.example")
    assert "Cabinet Ouest" in message["Subject"]
    assert "/dossiers/invitation/" in mailbox.body(message)
    assert AuditEvent.objects.filter(firm=firms[0], action="terms_accepted", actor=accountant).exists()
    body = response.content.decode()
    assert "Acceptées le" in body and "par Claire Martin" in body
    # The second firm is untouched.
    assert not Firm.objects.get(pk=firms[1].pk).is_open


def test_several_firms_at_once_and_only_once(client, closed_firms, mailbox):
    accountant, _staff, firms = closed_firms
    client.force_login(accountant)
    client.post(reverse("firms:accept_terms"), {"confirmed": "1", "firm": [f.pk for f in firms]})
    first_accepted_at = Firm.objects.get(pk=firms[0].pk).terms_accepted_at
    response = client.post(reverse("firms:accept_terms"), {"confirmed": "1", "firm": [firms[0].pk]}, follow=True)
    assert "déjà acceptées" in response.content.decode()
    assert Firm.objects.get(pk=firms[0].pk).terms_accepted_at == first_accepted_at
    assert all(Firm.objects.get(pk=f.pk).is_open for f in firms)
    assert Dossier.objects.filter(is_firm_own=True).count() == 2
    assert AuditEvent.objects.filter(action="terms_accepted").count() == 2
    assert len(mailbox.messages) == 2


def test_staff_cannot_accept(client, closed_firms):
    _accountant, staff, firms = closed_firms
    client.force_login(staff)
    assert client.post(reverse("firms:accept_terms"), {"confirmed": "1", "firm": [firms[0].pk]}).status_code == 403
    assert "Accepter les conditions" not in client.get(reverse("dashboard:firms")).content.decode()
    assert not Firm.objects.get(pk=firms[0].pk).is_open


def test_closed_firm_pages_answer_404(client, closed_firms):
    accountant, _staff, firms = closed_firms
    client.force_login(accountant)
    assert client.get(reverse("dashboard:clients", args=[firms[0].pk])).status_code == 404


def test_failed_invitation_keeps_the_acceptance_and_says_so(client, closed_firms, settings):
    accountant, _staff, firms = closed_firms
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    client.force_login(accountant)
    response = client.post(reverse("firms:accept_terms"), {"confirmed": "1", "firm": [firms[0].pk]}, follow=True)
    assert "n'a pas pu être envoyé" in html.unescape(response.content.decode())
    assert Firm.objects.get(pk=firms[0].pk).is_open
    own = Dossier.objects.get(firm=firms[0], is_firm_own=True)
    assert own.status == DossierStatus.INVITED  # re-send from the firm's dossier page
    assert AuditEvent.objects.filter(action="invitation_send_failed", dossier=own).exists()


def test_accountant_delegates_and_revokes_admin(client, world):
    staff = world.people["staff_unassigned"]
    client.force_login(world.people["accountant"])
    url = reverse("firms:set_admin", args=[world.firm.pk, staff.pk])
    client.post(url, {"admin": "1"})
    membership = world.firm.memberships.get(user=staff)
    assert membership.is_admin
    # The new admin now sees the whole client list.
    client.force_login(staff)
    assert "Nouvelle Société" in client.get(reverse("dashboard:clients", args=[world.firm.pk])).content.decode()
    client.force_login(world.people["accountant"])
    client.post(url, {"admin": "0"})
    membership.refresh_from_db()
    assert not membership.is_admin
    actions = list(AuditEvent.objects.filter(firm=world.firm, action__in=["admin_granted", "admin_revoked"])
                   .values_list("action", flat=True))
    assert sorted(actions) == ["admin_granted", "admin_revoked"]


def test_the_accountant_role_cannot_be_changed(client, world):
    client.force_login(world.people["accountant"])
    url = reverse("firms:set_admin", args=[world.firm.pk, world.people["accountant"].pk])
    assert client.post(url, {"admin": "0"}).status_code == 404


def test_a_firm_sent_twice_or_garbage_is_handled(client, closed_firms, mailbox):
    accountant, _staff, firms = closed_firms
    client.force_login(accountant)
    response = client.post(reverse("firms:accept_terms"), {"confirmed": "1", "firm": [firms[0].pk, firms[0].pk, "x"]},
                           follow=True)
    assert "déjà acceptées" not in html.unescape(response.content.decode())
    assert len(mailbox.messages) == 1
    nothing = client.post(reverse("firms:accept_terms"), {"confirmed": "1", "firm": ["x"]}, follow=True)
    assert "Cochez au moins un cabinet." in nothing.content.decode()


def test_the_terms_are_shown_and_confirmed_before_they_are_accepted(client, closed_firms, mailbox):
    accountant, _staff, firms = closed_firms
    client.force_login(accountant)
    page = client.post(reverse("firms:accept_terms"), {"firm": [firms[0].pk]}).content.decode()
    assert "utilisation de Facturier" in page and "1. Objet" in page
    assert reverse("accounts:terms_download") in page and "Cabinet Ouest" in page
    assert not Firm.objects.get(pk=firms[0].pk).is_open and mailbox.messages == []
    unticked = client.post(reverse("firms:accept_terms"), {"firm": [firms[0].pk], "step": "confirm"})
    assert "Cochez la case" in unticked.content.decode() and not Firm.objects.get(pk=firms[0].pk).is_open
    client.post(reverse("firms:accept_terms"), {"firm": [firms[0].pk], "step": "confirm", "confirmed": "1"})
    assert Firm.objects.get(pk=firms[0].pk).is_open
