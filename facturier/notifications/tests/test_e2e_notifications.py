"""In Chromium: a client user sees what happened in the header, opens it, and chooses a daily digest."""

import re

import pytest
from django.test import Client

from einvoice.lifecycle import LifecycleStatus
from facturier.invoices.lifecycle import Party, record_remote_event
from facturier.notifications.models import Frequency, Kind, Notification, Preference
from facturier.notifications.tests.support import sales_invoice
from facturier.testing.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_a_refusal_shows_in_the_header_leads_to_the_invoice_and_preferences_change(page, live_server):
    world = build_world()
    owner = world.user("client")
    invoice = sales_invoice(world.active)
    record_remote_event(invoice, LifecycleStatus.REFUSEE, party=Party.BUYER, reason="Prix non conforme")
    sign_in(page, live_server, owner)

    page.goto(f"/dossiers/{world.active.pk}/")
    menu = page.locator("header details.notifications-menu")
    assert menu.locator("summary .badge").inner_text() == "1"
    menu.locator("summary").click()
    entry = menu.get_by_role("link", name=re.compile("F-2026-0007 adressée à Acheteur SA a été refusée"))
    assert "Prix non conforme" in entry.inner_text()
    entry.click()
    page.wait_for_url(re.compile(rf"/dossiers/{world.active.pk}/factures/{invoice.pk}/$"))
    assert Notification.objects.get(user=owner).read_at is not None
    assert page.locator("header details.notifications-menu summary .badge").count() == 0

    page.locator("header details.notifications-menu summary").click()
    page.get_by_role("link", name="Préférences").click()
    group = page.get_by_role("group", name="Facture de vente refusée ou rejetée")
    group.get_by_label("Résumé quotidien par e-mail").check()
    page.get_by_role("button", name="Enregistrer").click()
    assert "Vos préférences de notification sont enregistrées." in page.locator(".messages").inner_text()
    assert Preference.objects.get(user=owner, kind=Kind.INVOICE_REFUSED).frequency == Frequency.DAILY
    assert page.get_by_role("group", name="Facture de vente refusée ou rejetée").get_by_label(
        "Résumé quotidien par e-mail").is_checked()
