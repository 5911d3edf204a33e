import datetime
from decimal import Decimal

from facturier.dashboard.activity import Window, activity
from facturier.dashboard.home import home_context
from facturier.dashboard.tests.factories import make_invoice
from facturier.dossiers.access import dossier_rights
from facturier.invoices.models import Direction, ThirdParty

D = datetime.date
NOVEMBER = Window.ending(D(2026, 11, 28))


def as_dict(totals):
    return {row.month: (row.purchases, row.sales) for row in totals}


def test_window_is_the_current_month_and_the_eleven_before():
    assert (NOVEMBER.start, NOVEMBER.end) == (D(2025, 12, 1), D(2026, 12, 1))
    assert NOVEMBER.months[0] == D(2025, 12, 1) and NOVEMBER.months[-1] == D(2026, 11, 1)
    assert len(NOVEMBER.months) == 12 and NOVEMBER.last_month == D(2026, 11, 1)
    assert Window.ending(D(2026, 1, 31)).start == D(2025, 2, 1)


def test_month_totals_at_month_boundaries(world):
    dossier = world.active
    make_invoice(dossier, Direction.PURCHASE, amount="1.00", issued=D(2025, 11, 30))  # before the window
    make_invoice(dossier, Direction.PURCHASE, amount="10.00", issued=D(2025, 12, 1))
    make_invoice(dossier, Direction.PURCHASE, amount="20.00", issued=D(2025, 12, 31))
    make_invoice(dossier, Direction.SALES, amount="300.00", issued=D(2026, 1, 1))
    make_invoice(dossier, Direction.SALES, amount="50.00", issued=D(2026, 1, 31), credit=True)
    make_invoice(dossier, Direction.SALES, amount="400.00", issued=D(2026, 11, 30))
    make_invoice(dossier, Direction.SALES, amount="2.00", issued=D(2026, 12, 1))  # after the window
    make_invoice(dossier, Direction.SALES, amount="3.00", issued=D(2026, 11, 3), draft=True)
    make_invoice(dossier, Direction.SALES, amount="4.00", issued=D(2026, 11, 3), status=220)  # cancelled
    make_invoice(world.foreign, Direction.SALES, amount="5.00", issued=D(2026, 11, 3))

    totals = as_dict(activity(dossier, NOVEMBER).monthly)

    assert list(totals) == NOVEMBER.months
    assert totals[D(2025, 12, 1)] == (Decimal("30.00"), Decimal("0"))
    assert totals[D(2026, 1, 1)] == (Decimal("0"), Decimal("250.00"))
    assert totals[D(2026, 11, 1)] == (Decimal("0"), Decimal("400.00"))
    assert sum(sales for _purchases, sales in totals.values()) == Decimal("650.00")


def test_the_window_follows_the_paris_day_not_the_utc_day(world):
    dossier = world.active
    customer = ThirdParty.objects.create(dossier=dossier, name="Client", is_customer=True)
    make_invoice(dossier, Direction.SALES, amount="70.00", issued=D(2025, 12, 15), third_party=customer)
    make_invoice(dossier, Direction.SALES, amount="80.00", issued=D(2026, 12, 1), third_party=customer)
    rights = dossier_rights(world.people["client"], dossier)
    # 23:30 UTC on 30 November is already 1 December in Paris.
    now = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)

    context = home_context(world.people["client"], dossier, rights, now=now)

    assert context["today"] == D(2026, 12, 1)
    months = as_dict(context["monthly"])
    assert min(months) == D(2026, 1, 1) and max(months) == D(2026, 12, 1)
    assert months[D(2026, 12, 1)] == (Decimal("0"), Decimal("80.00"))
    assert context["top_customers"][0].total == Decimal("80.00")  # December 2025 fell out of the window
    # One hour earlier it is still 30 November in Paris.
    earlier = home_context(world.people["client"], dossier, rights, now=now - datetime.timedelta(hours=1))
    assert earlier["today"] == D(2026, 11, 30)
    assert as_dict(earlier["monthly"])[D(2025, 12, 1)] == (Decimal("0"), Decimal("70.00"))


def summary(parties):
    return [(party.name, party.total, party.count) for party in parties]


def party(dossier, name, **role):
    return ThirdParty.objects.create(dossier=dossier, name=name, **role)


def test_top_five_orders_by_amount_then_count_then_name(world):
    dossier = world.active
    for name, amounts in [
        ("Delta", ["100.00"]),  # ties with Alpha on total and count: by name, after Alpha
        ("Alpha", ["100.00"]),
        ("Bravo", ["60.00", "40.00"]),  # same total as Alpha, more invoices: first
        ("Charlie", ["500.00"]),
        ("Echo", ["10.00"]),
        ("Foxtrot", ["5.00"]),  # sixth: left out
    ]:
        customer = party(dossier, name, is_customer=True)
        for amount in amounts:
            make_invoice(dossier, Direction.SALES, amount=amount, third_party=customer)
    old = party(dossier, "Ancien", is_customer=True)
    make_invoice(dossier, Direction.SALES, amount="9999.00", third_party=old, issued=D(2025, 11, 30))
    make_invoice(dossier, Direction.SALES, amount="9999.00", third_party=old, draft=True)
    make_invoice(dossier, Direction.SALES, amount="9999.00", party="Pas encore au répertoire")
    supplier = party(dossier, "Fournisseur", is_supplier=True)
    make_invoice(dossier, Direction.PURCHASE, amount="9999.00", third_party=supplier)

    assert summary(activity(dossier, NOVEMBER).top[Direction.SALES]) == [
        ("Charlie", Decimal("500.00"), 1),
        ("Bravo", Decimal("100.00"), 2),
        ("Alpha", Decimal("100.00"), 1),
        ("Delta", Decimal("100.00"), 1),
        ("Echo", Decimal("10.00"), 1),
    ]
    assert summary(activity(dossier, NOVEMBER).top[Direction.PURCHASE]) == [
        ("Fournisseur", Decimal("9999.00"), 1),
    ]


def test_top_suppliers_count_per_third_party_and_net_credit_notes(world):
    dossier = world.active
    acme = party(dossier, "ACME SAS", is_supplier=True, siren="552081317")
    other = party(dossier, "Autre SARL", is_supplier=True)
    make_invoice(dossier, Direction.PURCHASE, amount="300.00", party="ACME", third_party=acme)
    make_invoice(dossier, Direction.PURCHASE, amount="200.00", party="A.C.M.E. SAS", third_party=acme)
    make_invoice(dossier, Direction.PURCHASE, amount="100.00", party="ACME SAS", third_party=acme, credit=True)
    make_invoice(dossier, Direction.PURCHASE, amount="350.00", third_party=other)
    make_invoice(dossier, Direction.PURCHASE, amount="999.00", third_party=other, status=210)  # refused

    top = activity(dossier, NOVEMBER).top[Direction.PURCHASE]
    assert summary(top) == [("ACME SAS", Decimal("400.00"), 3), ("Autre SARL", Decimal("350.00"), 1)]
    assert top[0].third_party_id == acme.pk


def test_a_tie_at_the_cut_goes_to_the_name_first_in_order(world):
    dossier = world.active
    for name in ["Kilo", "Lima", "Mike", "Zulu", "November", "Echo"]:  # all 10.00 on one invoice
        make_invoice(dossier, Direction.SALES, amount="10.00", third_party=party(dossier, name))
    make_invoice(dossier, Direction.SALES, amount="10.00", third_party=party(dossier, "Autre dossier"),
                 issued=D(2020, 1, 1))

    assert [row.name for row in activity(dossier, NOVEMBER).top[Direction.SALES]] == [
        "Echo", "Kilo", "Lima", "Mike", "November",
    ]
