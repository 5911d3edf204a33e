import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from facturier.dashboard.tests.factories import make_invoice
from facturier.invoices.models import Direction, ThirdParty


def sign_in(page, user, live_server):
    """Hand the browser a session cookie: signing in is the accounts app's own test."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_dossier_home_shows_the_buckets_and_the_chart(page, world, live_server, settings):
    settings.ROOT_URLCONF = "facturier.dashboard.tests.urls"
    dossier = world.active
    today = timezone.localdate()
    supplier = ThirdParty.objects.create(dossier=dossier, name="Papeterie Durand", is_supplier=True)
    customer = ThirdParty.objects.create(dossier=dossier, name="Garage Martin", is_customer=True)
    make_invoice(dossier, Direction.PURCHASE, amount="1000.00", paid="200.00", issued=today,
                 due=today - datetime.timedelta(days=1), third_party=supplier)
    make_invoice(dossier, Direction.PURCHASE, amount="50.00", issued=today, due=today + datetime.timedelta(days=30),
                 third_party=supplier)
    make_invoice(dossier, Direction.SALES, amount="2500.00", issued=today, due=today + datetime.timedelta(days=75),
                 third_party=customer)
    sign_in(page, world.people["client"], live_server)

    page.goto(f"/dossiers/{dossier.pk}/")

    purchases = page.locator('section.schedule[data-direction="purchase"]')
    amounts = purchases.locator("tr.amounts td").all_inner_texts()
    assert [text.replace("\u202f", " ").replace("\xa0", " ") for text in amounts] == [
        "1 060,00 €", "1 000,00 €", "60,00 €", "0,00 €", "0,00 €", "0,00 €",
    ]
    assert purchases.locator("tr.counts td").all_inner_texts() == ["2", "1", "1", "0", "0", "0"]
    sales = page.locator('section.schedule[data-direction="sales"]')
    assert sales.locator("tr.counts td").all_inner_texts() == ["1", "0", "0", "0", "1", "0"]

    chart = page.get_by_role("img", name="Évolution mensuelle des achats et des ventes (HT)")
    assert chart.is_visible()
    bars = chart.locator("g.bars rect")
    assert bars.count() == 24
    heights = [float(bars.nth(n).get_attribute("height")) for n in range(24)]
    assert heights[-1] > heights[-2] > 0  # this month: sales 2,500 above purchases 1,050
    assert sum(heights[:-2]) == 0
    month = today.strftime("%Y-%m")
    assert "Ventes : 2" in bars.nth(23).locator("title").text_content()
    page.get_by_text("Voir les chiffres").click()
    assert "2 500,00" in page.locator(f'tr[data-month="{month}"]').inner_text().replace("\u202f", " ").replace(
        "\xa0", " ")
    assert page.locator("#top-customers").get_by_text("Garage Martin").is_visible()
    assert "Mes tâches (0)" in page.locator("#tasks-title").inner_text()

    purchases.locator("tr.amounts td").nth(1).get_by_role("link").click()  # "En retard"
    page.wait_for_url("**overdue=1")
    assert page.url == live_server.url + reverse("invoices:purchases", args=[dossier.pk]) + "?open=1&overdue=1"
