import re

from django.urls import reverse

from facturier.audit.models import record


def test_staff_dashboard_lists_assigned_dossiers_and_what_they_need(client, world):
    client.force_login(world.people["staff_assigned"])
    body = client.get(reverse("dashboard:staff", args=[world.firm.pk])).content.decode()
    assert re.findall(r'<tr data-dossier="(\d+)">', body) == [
        str(d.pk) for d in (world.new, world.active, world.invited)]
    assert "Non activés : <strong>1</strong>" in body
    assert "En attente du client : <strong>1</strong>" in body
    assert "Actifs : <strong>1</strong>" in body
    assert reverse("dossiers:activate", args=[world.firm.pk, world.new.pk]) in body
    assert reverse("dashboard:home", args=[world.active.pk]) in body
    assert "À envoyer" in body and "Attente intégration" in body and "Action attendue" in body


def test_staff_dashboard_of_someone_without_assignments(client, world):
    client.force_login(world.people["staff_unassigned"])
    body = client.get(reverse("dashboard:staff", args=[world.firm.pk])).content.decode()
    assert "Aucun dossier ne vous est affecté" in body


def test_audit_trail_shows_the_firms_events_only(client, world):
    record(world.people["accountant"], "assigned", dossier=world.new, target=world.people["staff_assigned"])
    record(None, "dossier_created", dossier=world.foreign, target="Secret Voisin")
    client.force_login(world.people["admin"])
    body = client.get(reverse("firms:audit", args=[world.firm.pk])).content.decode()
    assert "Collaborateur affecté" in body and "Claire Expert" in body and "Sophie Affectée" in body
    assert "Secret Voisin" not in body


def test_left_menu_shows_admin_entries_to_admins_only(client, world):
    client.force_login(world.people["admin"])
    admin_page = client.get(reverse("dashboard:clients", args=[world.firm.pk])).content.decode()
    client.force_login(world.people["staff_assigned"])
    staff_page = client.get(reverse("dashboard:clients", args=[world.firm.pk])).content.decode()
    audit = reverse("firms:audit", args=[world.firm.pk])
    assert audit in admin_page and audit not in staff_page
    assert reverse("dashboard:home", args=[world.own.pk]) in admin_page
    assert reverse("dashboard:staff", args=[world.firm.pk]) in staff_page
