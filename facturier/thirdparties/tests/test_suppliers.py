"""Suppliers: the list with their figures and controls, the confirmation of one being created
(remembered for its next invoices), the page and who may change it."""

import datetime

from django.urls import reverse

from facturier.audit.models import AuditEvent
from facturier.dossiers.models import DossierMembership
from facturier.invoices.decisions import decide
from facturier.invoices.models import Anomaly, Invoice, ThirdParty
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tasks import run_controls
from facturier.invoices.receiving.tests.receiving_samples import SUPPLIER_SIREN, purchase_cii
from facturier.ledger.booking import book
from facturier.thirdparties.confirmation import confirm_creation

Kind = Anomaly.Kind
BEING_CREATED = "SAS en cours d'immatriculation au RCS de Paris"


def receive(world, number, **options):
    invoice = receive_file(world.active, f"{number}.xml", purchase_cii(world.active.siren, number=number,
                                                                       **options)).invoice
    run_controls.enqueue(invoice.pk)
    invoice.refresh_from_db()
    return invoice


def open_kinds(invoice):
    return sorted(invoice.anomalies.filter(resolved_at__isnull=True).values_list("kind", flat=True))


def test_confirming_a_supplier_being_created_is_remembered_for_its_next_invoices(world, registry):
    first = receive(world, "F-1", legal_information=BEING_CREATED)
    assert open_kinds(first) == [Kind.BEING_CREATED] and first.needs_decision
    supplier = first.third_party

    # Approving the invoice after checking it decides that invoice only: the supplier is not confirmed.
    decide(first, world.user("client"), 205, confirmed=True)
    supplier.refresh_from_db()
    assert supplier.creation_confirmed_at is None
    second = receive(world, "F-2", legal_information=BEING_CREATED)
    assert open_kinds(second) == [Kind.BEING_CREATED]

    assert confirm_creation(supplier, world.user("staff_assigned")) is True
    assert confirm_creation(supplier, world.user("client")) is False, "confirmed once, by the first"
    supplier.refresh_from_db()
    assert supplier.creation_confirmed_by == world.user("staff_assigned")
    second.refresh_from_db()
    assert open_kinds(second) == [] and not second.needs_decision
    assert AuditEvent.objects.filter(action="supplier_creation_confirmed", dossier=world.active).count() == 1

    third = receive(world, "F-3")  # SIRENE still does not know it, and this one does not say so
    assert third.third_party == supplier and open_kinds(third) == []


def test_a_recent_company_once_confirmed_is_not_held_again(world, registry):
    registry.company(SUPPLIER_SIREN, created="2026-08-20")
    first = receive(world, "F-1", issue_date=datetime.date(2026, 9, 1))
    assert open_kinds(first) == [Kind.BEING_CREATED]
    confirm_creation(first.third_party, world.user("client"))
    assert open_kinds(receive(world, "F-2", issue_date=datetime.date(2026, 9, 2))) == []


def test_the_supplier_list_shows_figures_identifiers_and_open_controls(client, world, registry):
    registry.company(SUPPLIER_SIREN)
    registry.liquidation(SUPPLIER_SIREN)
    invoice = receive(world, "F-1")
    receive(world, "F-2")
    Invoice.objects.filter(pk=invoice.pk).update(amount_paid=invoice.amount_due)
    client.force_login(world.user("client"))
    html = client.get(reverse("thirdparties:suppliers", args=[world.active.pk])).content.decode()
    supplier = invoice.third_party
    assert f'href="{reverse("thirdparties:detail", args=[world.active.pk, supplier.pk])}"' in html
    assert SUPPLIER_SIREN in html and supplier.electronic_address in html
    row = html[html.index(f'data-party="{supplier.pk}"'):]
    assert '<td data-col="count" class="amount">2</td>' in row
    total = invoice.total_incl_vat * 2
    assert f"{total:,.2f}".replace(",", "\u202f").replace(".", ",") in row.replace("\xa0", "\u202f")
    assert "2 à vérifier" in row  # one insolvency finding per invoice
    # The customers' list is another list.
    customers = client.get(reverse("thirdparties:customers", args=[world.active.pk])).content.decode()
    assert f'data-party="{supplier.pk}"' not in customers


def test_the_page_shows_the_control_history_and_confirms_once(client, world, registry):
    invoice = receive(world, "F-1", legal_information=BEING_CREATED)
    supplier = invoice.third_party
    url = reverse("thirdparties:detail", args=[world.active.pk, supplier.pk])
    client.force_login(world.user("client"))
    html = client.get(url).content.decode()
    assert 'data-kind="being_created"' in html and "F-1" in html
    confirm = reverse("thirdparties:confirm_creation", args=[world.active.pk, supplier.pk])
    assert f'action="{confirm}"' in html
    assert client.post(confirm).status_code == 302
    assert client.post(confirm).status_code == 302  # a second click: told, nothing more
    assert AuditEvent.objects.filter(action="supplier_creation_confirmed").count() == 1
    html = client.get(url).content.decode()
    assert f'action="{confirm}"' not in html and 'data-confirmed="1"' in html


def test_the_default_account_set_on_the_page_is_the_one_the_ledger_books(client, world, registry):
    registry.company(SUPPLIER_SIREN)
    invoice = receive(world, "F-1")
    supplier = invoice.third_party
    url = reverse("thirdparties:detail", args=[world.active.pk, supplier.pk])
    client.force_login(world.user("client"))
    refused = client.post(url, {"default_account": "706000"})
    assert refused.status_code == 400 and "classe 6" in refused.content.decode()
    assert client.post(url, {"default_account": "606400", "iban": "FR76 3000 6000 0112 3456 7890 189",
                             "contact_name": "Paul Vendeur"}).status_code == 302
    supplier.refresh_from_db()
    assert (supplier.default_account, supplier.iban) == ("606400", "FR7630006000011234567890189")
    decide(invoice, world.user("client"), 205)
    invoice.refresh_from_db()
    accounts = list(book(invoice).lines.values_list("account", flat=True))  # what the ledger books on approval
    assert "606400" in accounts
    assert AuditEvent.objects.filter(action="third_party_updated", dossier=world.active).exists()


def test_who_may_see_and_change_a_supplier(client, world, registry):
    invoice = receive(world, "F-1", legal_information=BEING_CREATED)
    supplier = invoice.third_party
    url = reverse("thirdparties:detail", args=[world.active.pk, supplier.pk])
    confirm = reverse("thirdparties:confirm_creation", args=[world.active.pk, supplier.pk])
    reader = world.user("client").__class__.objects.create_user("lecture@client.example")
    DossierMembership.objects.create(dossier=world.active, user=reader, can_issue_sales=True)
    client.force_login(reader)
    assert client.get(url).status_code == 200
    assert client.post(url, {"default_account": "606400"}).status_code == 403
    assert client.post(confirm).status_code == 403
    for role in ("staff_unassigned", "staff_no_delegation"):
        client.force_login(world.user(role))
        assert client.get(url).status_code == 404
    client.force_login(world.user("client"))
    foreign = ThirdParty.objects.create(dossier=world.foreign, is_supplier=True, name="Voisin")
    assert client.get(reverse("thirdparties:detail", args=[world.active.pk, foreign.pk])).status_code == 404
    assert client.get(reverse("thirdparties:suppliers", args=[world.foreign.pk])).status_code == 404
    assert ThirdParty.objects.get(pk=supplier.pk).default_account == ""



def test_the_home_page_top_suppliers_lead_to_their_page(client, world, registry):
    registry.company(SUPPLIER_SIREN)
    invoice = receive(world, "F-1")
    client.force_login(world.user("client"))
    home = client.get(reverse("dashboard:home", args=[world.active.pk])).content.decode()
    top = home[home.index('id="top-suppliers"'):]
    assert f'href="{reverse("thirdparties:detail", args=[world.active.pk, invoice.third_party_id])}"' in top


def test_a_page_of_the_list_costs_the_same_queries_however_many_suppliers(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from facturier.invoices.models import Direction
    from facturier.invoices.tests.screens_data import make_invoice

    client.force_login(world.user("client"))
    url = reverse("thirdparties:suppliers", args=[world.active.pk])
    client.get(url)  # a first visit may set up per-person rows (notifications): not the list's cost

    def queries_for(count):
        for n in range(count):
            party = ThirdParty.objects.create(dossier=world.active, is_supplier=True, name=f"Fournisseur {n:03d}")
            make_invoice(world.active, Direction.PURCHASE, f"P{count}-{n}", third_party=party)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(30)
