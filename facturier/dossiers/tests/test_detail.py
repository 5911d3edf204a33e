import html

from django.db.models import ProtectedError, QuerySet
from django.db.models.signals import pre_delete
from django.urls import reverse

from facturier.audit.models import AuditEvent
from facturier.dossiers.models import Assignment, Dossier


def detail_url(world, dossier):
    return reverse("dossiers:detail", args=[world.firm.pk, dossier.pk])


def test_detail_lists_firm_staff_with_delegation_and_the_reminder(client, world):
    client.force_login(world.people["accountant"])
    body = html.unescape(client.get(detail_url(world, world.new)).content.decode())
    assert "Attention à bien déléguer les droits Facturier dans ComptExpert" in body
    for name in ("Claire Expert", "Bruno Admin", "Sophie Affectée", "Hugo Libre"):
        assert name in body
    assert "Nadia Sans" not in body  # no delegation: not offered
    assert "Victor Voisin" not in body
    assert '✓ Sophie Affectée' in body


def test_click_assigns_then_unassigns(client, world):
    hugo = world.people["staff_unassigned"]
    client.force_login(world.people["admin"])
    url = reverse("dossiers:toggle_assignment", args=[world.firm.pk, world.new.pk])
    client.post(url, {"user": hugo.pk})
    assert Assignment.objects.filter(dossier=world.new, user=hugo).exists()
    client.force_login(hugo)
    assert "Nouvelle Société" in client.get(reverse("dashboard:clients", args=[world.firm.pk])).content.decode()
    client.force_login(world.people["admin"])
    client.post(url, {"user": hugo.pk})
    assert not Assignment.objects.filter(dossier=world.new, user=hugo).exists()
    actions = list(AuditEvent.objects.filter(dossier=world.new).order_by("id").values_list("action", flat=True))
    assert actions == ["assigned", "unassigned"]


def test_a_double_click_assigning_someone_is_not_an_error(client, world, monkeypatch):
    """The other click's request assigns the person between this one's look and its insert."""
    hugo = world.people["staff_unassigned"]
    real_delete = QuerySet.delete

    def delete_then_the_other_click_assigns(queryset):
        result = real_delete(queryset)
        if queryset.model is Assignment:
            Assignment.objects.create(dossier=world.new, user=hugo)
        return result

    monkeypatch.setattr(QuerySet, "delete", delete_then_the_other_click_assigns)
    client.force_login(world.people["admin"])
    url = reverse("dossiers:toggle_assignment", args=[world.firm.pk, world.new.pk])
    assert client.post(url, {"user": hugo.pk}).status_code == 302
    assert Assignment.objects.filter(dossier=world.new, user=hugo).count() == 1


def test_assigning_someone_without_delegation_is_refused(client, world):
    client.force_login(world.people["accountant"])
    url = reverse("dossiers:toggle_assignment", args=[world.firm.pk, world.active.pk])
    response = client.post(url, {"user": world.people["client"].pk})
    assert response.status_code == 404
    assert client.post(url, {"user": "abc"}).status_code == 404


def test_assignment_requires_csrf(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.people["accountant"])
    url = reverse("dossiers:toggle_assignment", args=[world.firm.pk, world.new.pk])
    assert strict.post(url, {"user": world.people["staff_unassigned"].pk}).status_code == 403


def test_delete_after_confirmation(client, world):
    client.force_login(world.people["accountant"])
    page = client.get(reverse("dossiers:delete", args=[world.firm.pk, world.new.pk]))
    assert "Supprimer le client Nouvelle Société ?" in page.content.decode()
    assert Dossier.objects.filter(pk=world.new.pk).exists()
    response = client.post(reverse("dossiers:delete", args=[world.firm.pk, world.new.pk]))
    assert response["Location"] == reverse("dashboard:clients", args=[world.firm.pk])
    assert not Dossier.objects.filter(pk=world.new.pk).exists()
    event = AuditEvent.objects.get(action="dossier_deleted")
    assert event.target == "Nouvelle Société" and event.firm == world.firm


def test_the_firms_own_dossier_cannot_be_deleted(client, world):
    client.force_login(world.people["accountant"])
    response = client.post(reverse("dossiers:delete", args=[world.firm.pk, world.own.pk]), follow=True)
    assert "Le dossier du cabinet ne peut pas être supprimé." in response.content.decode()
    assert Dossier.objects.filter(pk=world.own.pk).exists()


def test_a_dossier_holding_invoices_is_not_deleted(client, world):
    """Invoices will point at their dossier with on_delete=PROTECT; Django then raises
    ProtectedError while collecting. The receiver raises it the same way here."""

    def protected(sender, instance, **kwargs):
        raise ProtectedError("invoices", [instance])

    pre_delete.connect(protected, sender=Dossier, dispatch_uid="test-protected")
    try:
        client.force_login(world.people["accountant"])
        response = client.post(reverse("dossiers:delete", args=[world.firm.pk, world.active.pk]), follow=True)
    finally:
        pre_delete.disconnect(dispatch_uid="test-protected", sender=Dossier)
    assert "contient des factures" in response.content.decode()
    assert Dossier.objects.filter(pk=world.active.pk).exists()
    assert not AuditEvent.objects.filter(action="dossier_deleted").exists()


def test_staff_see_assignments_read_only(client, world):
    client.force_login(world.people["staff_assigned"])
    body = client.get(detail_url(world, world.new)).content.decode()
    assert "toggle" not in body
    assert reverse("dossiers:toggle_assignment", args=[world.firm.pk, world.new.pk]) not in body
    assert "Supprimer" not in body


def test_detail_shows_the_state_and_the_right_action(client, world):
    client.force_login(world.people["accountant"])
    assert "Activer dans Facturier" in client.get(detail_url(world, world.new)).content.decode()
    assert "Renvoyer l'invitation" in client.get(detail_url(world, world.invited)).content.decode()
    active_page = client.get(detail_url(world, world.active)).content.decode()
    assert reverse("dashboard:home", args=[world.active.pk]) in active_page
