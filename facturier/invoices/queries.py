"""Filtering, search, sort and paging of a dossier's invoice list.

A page costs a fixed number of queries whatever its size or depth: the count,
the primary keys of the page (both in one pass for a text search), then the
page's rows with their open anomaly count. Only the primary keys go through ORDER BY / OFFSET, so a deep page of a
dossier with 100,000 invoices walks an index rather than whole rows
("deferred join"); see ``bench/invoice_list.py``.
"""

import math
from dataclasses import dataclass

from django import forms
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from einvoice.lifecycle import LifecycleStatus
from facturier.collation import french
from facturier.invoices import open_items, worklists
from facturier.invoices.models import Anomaly, Direction, Invoice, InvoiceState, ThirdParty

PAGE_SIZE = 50
DRAFT = "brouillon"
DEFAULT_SORT = "-date"


def counterparty_fields(direction):
    """The row fields naming the other party: the buyer of a sale, the seller of a purchase."""
    prefix = "buyer" if direction == Direction.SALES else "seller"
    return f"{prefix}_name", f"{prefix}_siren"


def sorts(direction):
    """Sort key in the URL → field or expression; the primary key ends every ordering so paging is stable.

    The counterparty sorts in French order ("Égypte" next to "Espagne"), through the index
    ``Invoice.Meta`` builds on the same collated expression, so a page stays a walk of an index.
    """
    name, _siren = counterparty_fields(direction)
    return {
        "numero": "number",
        "date": "issue_date",
        "tiers": french(name),
        "ht": "total_excl_vat",
        "ttc": "total_incl_vat",
        "echeance": "due_date",
        "statut": "lifecycle_status",
    }


def parse_sort(value, direction):
    """``date`` or ``-date`` → (key, descending); anything unknown gives the default (newest first)."""
    value = value or DEFAULT_SORT
    key = value.lstrip("-")
    if key not in sorts(direction):
        return parse_sort(DEFAULT_SORT, direction)
    return key, value.startswith("-")


def ordering(key, descending, direction):
    terms = [sorts(direction)[key], "pk"]
    expressions = [F(term) if isinstance(term, str) else term for term in terms]
    return [expression.desc() if descending else expression.asc() for expression in expressions]


def status_label(code, state, lang="fr"):
    """The French (or English) label of an invoice's lifecycle status, or of its state before one."""
    if state == InvoiceState.DRAFT:
        return str(InvoiceState.DRAFT.label)
    if code is None:
        return str(InvoiceState(state).label) if state in InvoiceState.values else ""
    try:
        status = LifecycleStatus(code)
    except ValueError:
        return str(code)
    return status.label_en if lang == "en" else status.label


def status_choices(direction, lang="fr"):
    choices = [("", _("Tous les statuts"))]
    if direction == Direction.SALES:
        choices.append((DRAFT, InvoiceState.DRAFT.label))
    # An invoice's status is never one of unknown meaning (they only mark its timeline). The label only:
    # a reader never sees a bare code (the code stays the option's value, in the address).
    choices += [(str(int(s)), s.label_en if lang == "en" else s.label) for s in LifecycleStatus if s.meaning_known]
    return choices


class ListFilterForm(forms.Form):
    """The filters of the list; an invalid value is reported next to its field and filters nothing."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    statut = forms.ChoiceField(label=_("Statut"), required=False)
    anomalie = forms.BooleanField(label=_("Avec anomalie ouverte"), required=False)
    # The work counters of the firm's client list link here with these (see invoices.worklists).
    a_envoyer = forms.BooleanField(label=_("À envoyer"), required=False)
    action = forms.BooleanField(label=_("Action attendue"), required=False)
    du = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # The aging schedules of the dossier home link here with these (see dashboard.aging).
    open = forms.BooleanField(label=_("Restant dû"), required=False)
    overdue = forms.BooleanField(label=_("En retard"), required=False)
    due_from = forms.DateField(label=_("Échéance du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_to = forms.DateField(label=_("Échéance au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tiers = forms.ModelChoiceField(label=_("Tiers"), queryset=ThirdParty.objects.none(), required=False,
                                   empty_label=_("Tous"))

    def __init__(self, data, *, dossier, direction, lang="fr"):
        super().__init__(data)
        self.dossier = dossier
        self.direction = direction
        self.fields["statut"].choices = status_choices(direction, lang)
        parties = ThirdParty.objects.filter(dossier=dossier)
        parties = parties.filter(is_customer=True) if direction == Direction.SALES else parties.filter(is_supplier=True)
        self.fields["tiers"].queryset = parties.only("pk", "name").order_by(french("name"), "pk")
        self.fields["tiers"].label = _("Client") if direction == Direction.SALES else _("Fournisseur")

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return data

    def options(self, name):
        """The ``<option>`` elements of a select, built here: Django's widget templates
        take tens of milliseconds for a dossier's hundreds of suppliers."""
        field = self.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            choices = [("", field.empty_label), *field.queryset.values_list("pk", "name")]
        else:
            choices = field.choices
        current = str(self[name].value() or "")
        return format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((value, " selected" if str(value) == current else "", label) for value, label in choices),
        )

    @property
    def is_search(self):
        return self.is_valid() and bool(self.cleaned_data["q"].strip())

    def filter(self, invoices):
        if not self.is_valid():
            return invoices
        data = self.cleaned_data
        invoices = search(invoices, data["q"], self.direction)
        if data["statut"] == DRAFT:
            invoices = invoices.filter(state=InvoiceState.DRAFT)
        elif data["statut"]:
            invoices = invoices.filter(lifecycle_status=int(data["statut"]))
        if data["anomalie"]:
            # Driven from the few open anomalies rather than probed for every invoice.
            flagged = Anomaly.objects.filter(resolved_at__isnull=True, invoice__dossier=self.dossier)
            invoices = invoices.filter(pk__in=flagged.values("invoice_id"))
        if data["a_envoyer"]:
            invoices = invoices.filter(worklists.to_send_condition())
        if data["action"]:
            invoices = invoices.filter(worklists.action_required_condition())
        if data["du"]:
            invoices = invoices.filter(issue_date__gte=data["du"])
        if data["au"]:
            invoices = invoices.filter(issue_date__lte=data["au"])
        if data["tiers"]:
            invoices = invoices.filter(third_party=data["tiers"])
        return self.filter_due(invoices, data)

    @staticmethod
    def filter_due(invoices, data):
        if data["open"]:
            invoices = open_items.counted(invoices).filter(open_items.is_open())
        if data["overdue"]:
            invoices = invoices.filter(due_date__lt=timezone.localdate())
        if data["due_from"]:
            invoices = invoices.filter(due_date__gte=data["due_from"])
        if data["due_to"]:
            invoices = invoices.filter(due_date__lte=data["due_to"])
        return invoices


def search(invoices, text, direction):
    """Number, counterparty name, or counterparty SIREN (spaces ignored)."""
    text = (text or "").strip()
    if not text:
        return invoices
    name, siren = counterparty_fields(direction)
    query = Q(number__icontains=text) | Q(**{f"{name}__icontains": text})
    compact = "".join(text.split())
    if compact.isdigit():
        query |= Q(**{f"{siren}__startswith": compact[:9]})
    return invoices.filter(query)


def dossier_invoices(dossier, direction):
    return Invoice.objects.filter(dossier=dossier, direction=direction)


def open_anomaly_count():
    counted = (
        Anomaly.objects.filter(invoice=OuterRef("pk"), resolved_at__isnull=True)
        .order_by().values("invoice").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


LIST_FIELDS = (
    "pk", "dossier_id", "direction", "state", "number", "issue_date", "due_date", "buyer_name", "buyer_siren",
    "seller_name", "seller_siren", "total_excl_vat", "total_incl_vat", "currency", "lifecycle_status",
    "delivery_state", "is_credit_note",
)


@dataclass
class InvoicePage:
    """One page of the list (Django's ``Page`` interface where the template uses it)."""

    rows: list
    number: int
    count: int
    page_size: int = PAGE_SIZE

    @property
    def num_pages(self):
        return max(1, math.ceil(self.count / self.page_size))

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    @property
    def start_index(self):
        return (self.number - 1) * self.page_size + 1 if self.count else 0

    @property
    def end_index(self):
        return min(self.number * self.page_size, self.count)


def page_number(value, num_pages):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


def invoice_page(invoices, *, key, descending, direction, page=None, page_size=PAGE_SIZE, scanning=False):
    """The requested page: its keys and the count, then the page's rows.

    ``scanning`` says the filter cannot use an index (a text search): the keys
    and the count then come from one pass, ``COUNT(*) OVER ()``, rather than two
    full scans; otherwise the count walks an index and the keys stop at the page.
    """
    ordered = invoices.order_by(*ordering(key, descending, direction))
    number = page_number(page, float("inf"))
    found = None
    if scanning:
        offset = (number - 1) * page_size
        found = list(ordered.annotate(total=Window(Count("pk"))).values_list("pk", "total")[offset:offset + page_size])
    if found or (found is not None and number == 1):
        count, keys = (found[0][1] if found else 0), [pk for pk, _total in found]
    else:  # no single pass, or a page past the end: count, then the last page at most
        count = invoices.count()
        number = page_number(page, max(1, math.ceil(count / page_size)))
        offset = (number - 1) * page_size
        keys = list(ordered.values_list("pk", flat=True)[offset:offset + page_size])
    by_pk = Invoice.objects.filter(pk__in=keys).only(*LIST_FIELDS).annotate(open_anomalies=open_anomaly_count())
    position = {pk: n for n, pk in enumerate(keys)}
    rows = sorted(by_pk, key=lambda invoice: position[invoice.pk])
    return InvoicePage(rows=rows, number=number, count=count, page_size=page_size)
