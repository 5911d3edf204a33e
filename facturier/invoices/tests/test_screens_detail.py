"""The invoice page: rendering, original, validation report, controls, timeline; and who may open
every invoice screen (the access matrix)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from einvoice.tests.shared_files import shared_path
from facturier.invoices.models import Anomaly, Direction, LifecycleEvent
from facturier.invoices.tests.screens_data import CORPUS_EXAMPLE, corpus_invoice, make_invoice
from facturier.testing.world import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client, world):
    client.force_login(world.user("client"))
    return world.active


def detail_url(invoice):
    return reverse("invoices:detail", args=[invoice.dossier_id, invoice.pk])


def test_page_shows_summary_validation_report_controls_and_timeline(client, world, owner):
    invoice = make_invoice(owner, number="FA-9", seller_name="Papeterie Martin", lifecycle_status=207, validation={
        "valid": False,
        "errors": [{"rule": "BR-FR-12", "severity": "error", "message": "SIREN acheteur absent",
                    "location": "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"}],
        "warnings": [{"rule": "BR-CO-99", "severity": "warning", "message": "Avertissement de test", "location": "/x"}],
    })
    Anomaly.objects.create(invoice=invoice, kind=Anomaly.Kind.INSOLVENCY, detail="Liquidation judiciaire du 02/02/2026")
    Anomaly.objects.create(invoice=invoice, kind=Anomaly.Kind.NOT_IN_SIRENE, resolved_at=timezone.now(),
                           resolved_by=world.user("staff_assigned"))
    LifecycleEvent.objects.create(invoice=invoice, status=202, actor=None)
    LifecycleEvent.objects.create(invoice=invoice, status=207, reason_code="QTE_ERR", reason="Quantité erronée",
                                  actor=world.user("client"))
    LifecycleEvent.objects.create(invoice=invoice, status=206, amount=Decimal("80.00"), reason="Partiel",
                                  actor=world.user("client"))
    html = client.get(detail_url(invoice)).content.decode()
    for text in ("FA-9", "Papeterie Martin", "En litige",
                 "L&#x27;adresse électronique de facturation du client manque.",  # BR-FR-12, said plainly
                 "BR-FR-12", "SIREN acheteur absent", "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction",
                 "BR-CO-99", "Avertissement de test",
                 "Entreprise en procédure collective", "Liquidation judiciaire du 02/02/2026", "Ouverte, bloquante",
                 "Entreprise absente de la base SIRENE", "résolue le", "Sophie Affectée",
                 "Reçue", "Plateforme", "En litige", "Motif : Quantité erronée", "Paul Client",
                 "Approuvée partiellement", "80,00"):
        assert text in html, text
    timeline = html[html.index('<ol class="lifecycle">'):]
    assert timeline.index("Reçue") < timeline.index("En litige") < timeline.index("Approuvée partiellement")
    shown = re.sub(r'data-status="\d+"', "", timeline)
    assert not re.search(r"(?<![\d/])2\d\d(?![\d/])", shown) and "[QTE_ERR]" not in html  # no bare code


def test_rendering_is_served_sandboxed_from_the_archived_original(client, owner):
    invoice = corpus_invoice(owner)
    page = client.get(detail_url(invoice)).content.decode()
    rendering_url = reverse("invoices:rendering", args=[owner.pk, invoice.pk])
    assert f'sandbox title="Facture lisible" src="{rendering_url}"' in page
    response = client.get(rendering_url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "script-src" not in response["Content-Security-Policy"]  # default-src 'none' forbids scripts
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert invoice.number in response.content.decode()


def test_original_downloads_unchanged_under_its_own_name(client, owner):
    invoice = corpus_invoice(owner)
    response = client.get(reverse("invoices:original", args=[owner.pk, invoice.pk]))
    assert response.status_code == 200
    assert response.content == shared_path(*CORPUS_EXAMPLE).read_bytes()
    assert response["Content-Disposition"] == f'attachment; filename="{CORPUS_EXAMPLE[-1]}"'
    assert "CII_example1.xml" in client.get(detail_url(invoice)).content.decode()


def test_unreadable_original_is_explained_in_the_frame(client, owner):
    from facturier.archive.store import archive

    invoice = make_invoice(owner, number="X-1")
    invoice.original = archive(owner, b"not an invoice", kind="original_received", filename="x.xml",
                               reference=invoice)
    invoice.save()
    response = client.get(reverse("invoices:rendering", args=[owner.pk, invoice.pk]))
    assert response.status_code == 200
    assert "téléchargez l'original" in response.content.decode()


def test_invoice_without_document_has_no_rendering_nor_download(client, owner):
    invoice = make_invoice(owner, Direction.SALES, number="", state="draft", issue_date=None)
    assert client.get(reverse("invoices:rendering", args=[owner.pk, invoice.pk])).status_code == 404
    assert client.get(reverse("invoices:original", args=[owner.pk, invoice.pk])).status_code == 404
    assert "il est créé à l'émission" in client.get(detail_url(invoice)).content.decode()


def test_invoice_of_another_dossier_is_404_even_for_its_own_users(client, world, owner):
    foreign = make_invoice(world.foreign, number="SECRET")
    # The foreign invoice's id under a dossier the person can open.
    assert client.get(reverse("invoices:detail", args=[owner.pk, foreign.pk])).status_code == 404
    own_firm_invoice = make_invoice(world.own, number="CABINET")
    assert client.get(reverse("invoices:detail", args=[owner.pk, own_firm_invoice.pk])).status_code == 404


def test_usage_page_counts_per_month_and_free_invoices_of_the_firm_dossier(client, world):
    client.force_login(world.user("accountant"))
    march = timezone.make_aware(datetime.datetime(2026, 3, 10, 12))
    april = timezone.make_aware(datetime.datetime(2026, 4, 2, 12))
    for n in range(3):
        make_invoice(world.own, Direction.SALES, number=f"V-{n}", created_at=march)
    make_invoice(world.own, Direction.PURCHASE, number="A-1", created_at=march)
    make_invoice(world.own, Direction.PURCHASE, number="A-2", created_at=april)
    make_invoice(world.own, Direction.SALES, number="", state="draft", issue_date=None, created_at=april)
    html = client.get(reverse("invoices:usage", args=[world.own.pk])).content.decode()
    assert "5 / 500 factures offertes utilisées" in html
    assert '<tr data-month="2026-03"><td>mars 2026</td><td>3</td><td>1</td><td>4</td></tr>' in html
    assert '<tr data-month="2026-04"><td>avril 2026</td><td>0</td><td>1</td><td>1</td></tr>' in html
    other = client.get(reverse("invoices:usage", args=[world.active.pk])).content.decode()
    assert "factures offertes" not in other


# Who may open a screen of the active dossier (firm A); the foreign dossier is 404 for all.
EXPECTED = {
    "accountant": 200, "admin": 200, "staff_assigned": 200, "staff_unassigned": 404,
    "staff_no_delegation": 404, "client": 200, "anonymous": 302,
}
SCREENS = ["sales", "purchases", "detail", "rendering", "original", "usage", "my_tasks"]


def screen_url(name, dossier, invoice):
    if name in ("detail", "rendering", "original"):
        return reverse(f"invoices:{name}", args=[dossier.pk, invoice.pk])
    if name == "my_tasks":
        return reverse("invoices:my_tasks") + f"?dossier={dossier.pk}"
    return reverse(f"invoices:{name}", args=[dossier.pk])


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, world, role, screen):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    invoice = corpus_invoice(world.active)
    foreign_invoice = corpus_invoice(world.foreign)
    response = client.get(screen_url(screen, world.active, invoice))
    assert response.status_code == EXPECTED[role], (role, screen)
    foreign = client.get(screen_url(screen, world.foreign, foreign_invoice))
    assert foreign.status_code == (302 if role == "anonymous" else 404), (role, screen)
    if screen in ("sales", "purchases", "detail", "usage"):
        not_yet_open = client.get(screen_url(screen, world.invited, invoice))
        assert not_yet_open.status_code == (302 if role == "anonymous" else 404)


def test_page_offers_the_decisions_the_person_may_take(client, world, owner):
    from facturier.accounts.models import User
    from facturier.dossiers.models import DossierMembership

    invoice = make_invoice(owner, number="A-1", lifecycle_status=202)
    html = client.get(detail_url(invoice)).content.decode()
    assert reverse("invoices:decide", args=[owner.pk, invoice.pk]) in html
    decide_url = reverse("invoices:decide", args=[owner.pk, invoice.pk])
    assert f'<form method="post" action="{decide_url}" class="decision decision-205 primary">' in html
    assert "Approuvée" in html and "205 Approuvée" not in html  # the code stays in the form's value
    reader = User.objects.create_user("lecture@client-actif.example")
    DossierMembership.objects.create(dossier=owner, user=reader)
    client.force_login(reader)
    html = client.get(detail_url(invoice)).content.decode()
    assert reverse("invoices:decide", args=[owner.pk, invoice.pk]) not in html


def test_sales_page_offers_a_credit_note_and_drafts_open_in_the_form(client, owner):
    issued = make_invoice(owner, Direction.SALES, "V-1")
    html = client.get(detail_url(issued)).content.decode()
    assert f'action="{reverse("issuing:credit_note", args=[owner.pk, issued.pk])}"' in html
    draft = make_invoice(owner, Direction.SALES, "", state="draft", issue_date=None)
    listing = client.get(reverse("invoices:sales", args=[owner.pk])).content.decode()
    assert reverse("issuing:edit", args=[owner.pk, draft.pk]) in listing
    assert "Créer un avoir" not in client.get(detail_url(draft)).content.decode()
