"""A dossier's users: who may manage them, inviting, rights, removal, and the access matrix."""

import re

import pytest
from django.urls import reverse

from facturier.accounts.models import User
from facturier.accounts.tests.fixtures import make_client, make_dossier, make_firm, make_staff
from facturier.audit.models import AuditEvent
from facturier.dossiers.last_used import last_dossier, remember
from facturier.dossiers.models import Assignment, DossierMembership, DossierStatus, Invitation
from facturier.firms.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm():
    return make_firm()


@pytest.fixture
def dossier(firm):
    return make_dossier(firm)


@pytest.fixture
def owner(dossier):
    user = make_client("owner@bioburo.example", dossier=dossier, is_owner=True, can_manage_users=True,
                       can_issue_sales=True, can_handle_purchases=True)
    dossier.owner = user
    dossier.save()
    return user


@pytest.fixture
def member(dossier):
    return make_client("member@bioburo.example", dossier=dossier, can_issue_sales=True)


def users_url(dossier):
    return reverse("dossiers:dossier_users", args=[dossier.pk])


def test_owner_sees_members_and_pending_invitations(client, dossier, owner, member):
    Invitation.issue(email="later@bioburo.example", dossier=dossier, invited_by=owner)
    client.force_login(owner)
    page = client.get(users_url(dossier)).content.decode()
    assert "owner@bioburo.example" in page and "member@bioburo.example" in page
    assert "Premier utilisateur" in page and "later@bioburo.example" in page
    assert "Lecture seule" not in page  # the member can issue sales


def test_owner_invites_with_rights_and_the_invitee_joins_with_them(client, dossier, owner, mailbox, settings):
    client.force_login(owner)
    response = client.post(users_url(dossier), {"email": "Compta@Bioburo.example", "name": "Julie",
                                                "language": "en", "can_handle_purchases": "on"})
    assert response["Location"] == users_url(dossier)
    invitation = Invitation.objects.get(email="compta@bioburo.example")
    assert invitation.rights == {"can_manage_users": False, "can_issue_sales": False, "can_handle_purchases": True}
    [message] = mailbox.to("compta@bioburo.example")
    # Invited in English: the e-mail speaks English (facturier/locale/en).
    assert "Owner invites you to use Facturier for the company Bioburo." in message.get_body(
        preferencelist=("plain",)).get_content()
    link = re.search(r"/dossiers/invitation/[^/\s]+/", message.get_body(preferencelist=("plain",)).get_content())[0]

    client.logout()
    joined = client.post(link, {"full_name": "Julie", "mobile": "+33612345678", "language": "en",
                                "password1": "Tournesol-Bleu-77", "password2": "Tournesol-Bleu-77", "consent": "on"})
    assert joined["Location"] == reverse("dashboard:home", args=[dossier.pk])
    membership = DossierMembership.objects.get(user__email="compta@bioburo.example")
    assert (membership.is_owner, membership.can_manage_users, membership.can_issue_sales,
            membership.can_handle_purchases) == (False, False, False, True)
    dossier.refresh_from_db()
    assert dossier.owner == owner  # a second user does not take over the dossier


def test_reinviting_replaces_the_pending_invitation(client, dossier, owner, mailbox):
    client.force_login(owner)
    for _ in range(2):
        client.post(users_url(dossier), {"email": "compta@bioburo.example", "language": "fr"})
    assert Invitation.objects.filter(email="compta@bioburo.example").count() == 1
    assert len(mailbox.messages) == 2


def test_inviting_a_member_again_is_refused(client, dossier, owner, member, mailbox):
    client.force_login(owner)
    response = client.post(users_url(dossier), {"email": member.email, "language": "fr"})
    assert response.status_code == 200
    assert "déjà utilisatrice du dossier" in response.content.decode()
    assert mailbox.messages == []


def test_invalid_email_is_refused(client, dossier, owner):
    client.force_login(owner)
    response = client.post(users_url(dossier), {"email": "not-an-email", "language": "fr"})
    assert "email" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_change_rights(client, dossier, owner, member):
    client.force_login(owner)
    membership = DossierMembership.objects.get(user=member)
    prefix = f"m{membership.pk}"
    client.post(reverse("dossiers:dossier_user_rights", args=[dossier.pk, membership.pk]),
                {f"{prefix}-can_manage_users": "on"})
    membership.refresh_from_db()
    assert (membership.can_manage_users, membership.can_issue_sales, membership.can_handle_purchases) == (
        True, False, False)
    assert AuditEvent.objects.filter(action="dossier_user_rights_changed", target=member.email).exists()
    # No box ticked: read only.
    client.post(reverse("dossiers:dossier_user_rights", args=[dossier.pk, membership.pk]), {})
    membership.refresh_from_db()
    assert membership.is_read_only
    assert "Lecture seule" in client.get(users_url(dossier)).content.decode()


def test_owner_keeps_every_right_and_cannot_be_removed(client, dossier, owner, member):
    DossierMembership.objects.filter(user=member).update(can_manage_users=True)
    client.force_login(member)
    own = DossierMembership.objects.get(user=owner)
    client.post(reverse("dossiers:dossier_user_rights", args=[dossier.pk, own.pk]), {})
    client.post(reverse("dossiers:dossier_user_remove", args=[dossier.pk, own.pk]))
    own.refresh_from_db()
    assert own.is_owner and own.can_manage_users and own.can_issue_sales and own.can_handle_purchases


def test_remove_member(client, dossier, owner, member):
    remember(member, dossier)
    member.save()
    client.force_login(owner)
    membership = DossierMembership.objects.get(user=member)
    response = client.post(reverse("dossiers:dossier_user_remove", args=[dossier.pk, membership.pk]))
    assert response["Location"] == users_url(dossier)
    assert not DossierMembership.objects.filter(user=member).exists()
    member.refresh_from_db()
    assert last_dossier(member) is None
    assert AuditEvent.objects.filter(actor=owner, action="dossier_user_removed", target=member.email).exists()


def test_cancel_invitation(client, dossier, owner):
    invitation, _ = Invitation.issue(email="later@bioburo.example", dossier=dossier, invited_by=owner)
    client.force_login(owner)
    client.post(reverse("dossiers:dossier_invitation_cancel", args=[dossier.pk, invitation.pk]))
    assert not Invitation.objects.exists()


def test_actions_are_post_only(client, dossier, owner, member):
    client.force_login(owner)
    membership = DossierMembership.objects.get(user=member)
    assert client.get(reverse("dossiers:dossier_user_remove", args=[dossier.pk, membership.pk])).status_code == 405


# The access matrix: who reaches the users page of which dossier.

def test_anonymous_is_sent_to_sign_in(client, dossier):
    response = client.get(users_url(dossier))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_manager_member_may_manage(client, dossier, owner):
    manager = make_client("manager@bioburo.example", dossier=dossier, can_manage_users=True)
    client.force_login(manager)
    assert client.get(users_url(dossier)).status_code == 200


@pytest.mark.parametrize("rights", [{}, {"can_issue_sales": True, "can_handle_purchases": True}],
                         ids=["read-only", "invoices-only"])
def test_member_without_the_right_is_forbidden(client, dossier, owner, rights):
    user = make_client("reader@bioburo.example", dossier=dossier, **rights)
    client.force_login(user)
    assert client.get(users_url(dossier)).status_code == 403
    assert client.post(users_url(dossier), {"email": "x@bioburo.example", "language": "fr"}).status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role, is_admin, assigned", [
    (Role.CHARTERED_ACCOUNTANT, False, False),
    (Role.STAFF, True, False),
    (Role.STAFF, False, True),
], ids=["chartered-accountant", "delegated-admin", "assigned-staff"])
def test_firm_staff_do_not_manage_client_users(client, firm, dossier, owner, role, is_admin, assigned):
    staff = make_staff("staff@cabinet.example", firm, role=role, is_admin=is_admin)
    if assigned:
        Assignment.objects.create(dossier=dossier, user=staff)
    client.force_login(staff)
    assert client.get(users_url(dossier)).status_code == 403


def test_another_dossiers_users_page_is_not_found(client, firm, owner):
    elsewhere = make_dossier(firm, "Premys", siren="")
    make_client("other-owner@premys.example", dossier=elsewhere, is_owner=True)
    client.force_login(owner)
    assert client.get(users_url(elsewhere)).status_code == 404
    membership = DossierMembership.objects.get(dossier=elsewhere)
    assert client.post(reverse("dossiers:dossier_user_remove", args=[elsewhere.pk, membership.pk])).status_code == 404
    assert DossierMembership.objects.filter(dossier=elsewhere).exists()


def test_another_firms_staff_get_not_found(client, dossier, owner):
    stranger = make_staff("victor@voisin.example", make_firm("183016617", "Cabinet Voisin"),
                          role=Role.CHARTERED_ACCOUNTANT)
    client.force_login(stranger)
    assert client.get(users_url(dossier)).status_code == 404


def test_member_of_this_dossier_cannot_reach_a_membership_of_another(client, firm, dossier, owner):
    elsewhere = make_dossier(firm, "Premys", siren="")
    outsider = make_client("x@premys.example", dossier=elsewhere)
    foreign = DossierMembership.objects.get(user=outsider)
    client.force_login(owner)
    url = reverse("dossiers:dossier_user_remove", args=[dossier.pk, foreign.pk])
    assert client.post(url).status_code == 404
    assert DossierMembership.objects.filter(pk=foreign.pk).exists()
    invitation, _ = Invitation.issue(email="y@premys.example", dossier=elsewhere, invited_by=outsider)
    cancel = reverse("dossiers:dossier_invitation_cancel", args=[dossier.pk, invitation.pk])
    assert client.post(cancel).status_code == 404


@pytest.mark.parametrize("status", [DossierStatus.NOT_ACTIVATED, DossierStatus.INVITED])
def test_dossier_not_yet_open_is_not_found(client, firm, status):
    waiting = make_dossier(firm, "Attente", siren="", status=status)
    user = make_client("early@attente.example", dossier=waiting, is_owner=True)
    client.force_login(user)
    assert client.get(users_url(waiting)).status_code == 404


def test_forms_are_csrf_protected(dossier, owner):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    assert browser.post(users_url(dossier), {"email": "x@bioburo.example", "language": "fr"}).status_code == 403
    assert User.objects.count() == 1
