"""The customers and suppliers of a dossier with their figures, and a supplier's control history.

Each figure is a correlated subquery over the party's invoices (through the ``invoice_activity`` and
``invoice_open_due`` indexes), so a page of the list is one query whatever the number of invoices.
What counts follows the dashboard: drafts and void invoices (refused, rejected, cancelled) do not,
a credit note counts negative.
"""

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from facturier.collation import french
from facturier.dashboard.scope import signed
from facturier.invoices.models import Anomaly, Direction, Invoice, ThirdParty
from facturier.invoices.open_items import counted, is_open

MONEY = DecimalField(max_digits=19, decimal_places=2)
ZERO = Value(0, output_field=MONEY)
# The anomalies that come from the registries (SIRENE, BODACC): a supplier's control history.
REGISTRY_KINDS = (Anomaly.Kind.NOT_IN_SIRENE, Anomaly.Kind.CLOSED, Anomaly.Kind.INSOLVENCY,
                  Anomaly.Kind.BEING_CREATED, Anomaly.Kind.REGISTRY_PENDING)
SORTS = {"nom": (french("name"), "pk"), "total": ("-total", "pk"), "du": ("-open_amount", "pk"),
         "factures": ("-invoice_count", "pk")}


def role_filter(direction):
    return Q(is_customer=True) if direction == Direction.SALES else Q(is_supplier=True)


def _invoices(direction):
    return counted(Invoice.objects.filter(third_party=OuterRef("pk"), direction=direction))


def _sum(invoices, expression):
    summed = invoices.order_by().values("third_party").annotate(s=Sum(signed(expression), output_field=MONEY))
    return Coalesce(Subquery(summed.values("s"), output_field=MONEY), ZERO)


def with_figures(parties, direction):
    """``parties`` with ``invoice_count``, ``total`` (incl. VAT) and ``open_amount`` in ``direction``."""
    invoices = _invoices(direction)
    count = invoices.order_by().values("third_party").annotate(n=Count("pk")).values("n")
    return parties.annotate(
        invoice_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        total=_sum(invoices, F("total_incl_vat")),
        open_amount=_sum(invoices.filter(is_open()), F("amount_due") - F("amount_paid")),
    )


def with_open_controls(parties):
    """Suppliers with ``open_controls``: the registry anomalies still open on their invoices."""
    opened = (Anomaly.objects.filter(invoice__third_party=OuterRef("pk"), kind__in=REGISTRY_KINDS,
                                     resolved_at__isnull=True)
              .order_by().values("invoice__third_party").annotate(n=Count("pk")).values("n"))
    return parties.annotate(open_controls=Coalesce(Subquery(opened, output_field=IntegerField()), Value(0)))


def party_list(dossier, direction, text="", sort="nom"):
    parties = ThirdParty.objects.filter(role_filter(direction), dossier=dossier)
    text = (text or "").strip()
    if text:
        compact = "".join(text.split())
        parties = parties.filter(Q(name__icontains=text) | Q(siren__startswith=compact)
                                 | Q(vat_number__istartswith=compact))
    parties = with_figures(parties, direction)
    if direction == Direction.PURCHASE:
        parties = with_open_controls(parties)
    return parties.order_by(*SORTS.get(sort, SORTS["nom"]))


def control_history(party):
    """The registry findings on the supplier's invoices, newest first, with their invoice."""
    return (Anomaly.objects.filter(invoice__third_party=party, kind__in=REGISTRY_KINDS)
            .select_related("invoice", "resolved_by").order_by("-created_at", "-pk"))


def being_created(party):
    """Whether the registries ever held one of the supplier's invoices as "being created"."""
    return Anomaly.objects.filter(invoice__third_party=party, kind=Anomaly.Kind.BEING_CREATED).exists()
