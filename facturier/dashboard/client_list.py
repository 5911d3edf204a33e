"""Search, sort and paging of a firm's client list, kept to two queries per page
(the count and the page) so it stays fast with thousands of dossiers."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from facturier.collation import french
from facturier.dashboard.counters import counter_links, with_counters
from facturier.dossiers.models import DossierStatus, Month

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50

# Sort key in the URL → ordering; every ordering ends on the primary key so
# paging is stable when names repeat. Names sort in French order (accents and
# case aside), the same on SQLite and PostgreSQL.
NAME = french("name")
SORTS = {
    "name": (NAME,),
    "month": (F("fiscal_year_end_month"), NAME),
    "to_send": (F("to_send"), NAME),
    "awaiting": (F("awaiting_integration"), NAME),
    "action": (F("action_required"), NAME),
    "number": (F("siren"), F("vat_number")),
    "status": (F("status"), NAME),
}


def parse_sort(value):
    """``name`` or ``-name`` → (key, descending); anything unknown sorts by name."""
    value = value or "name"
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in SORTS:
        return "name", False
    return key, descending


def ordering(key, descending):
    expressions = [*SORTS[key], F("pk")]
    return [expression.desc() if descending else expression.asc() for expression in expressions]


def search(dossiers, text):
    """Name, SIREN or VAT number; spaces and dots in numbers are ignored."""
    text = (text or "").strip()
    if not text:
        return dossiers
    compact = "".join(text.split()).replace(".", "").upper()
    query = Q(name__icontains=text)
    if compact:
        query |= Q(siren__startswith=compact) | Q(vat_number__icontains=compact)
    return dossiers.filter(query)


def page_size(value):
    try:
        size = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def client_page(dossiers, params):
    """The page of client dossiers the request asks for, with its counters."""
    key, descending = parse_sort(params.get("tri"))
    rows = with_counters(search(dossiers.filter(is_firm_own=False), params.get("q")))
    rows = rows.order_by(*ordering(key, descending)).only(
        "pk", "name", "fiscal_year_end_month", "siren", "vat_number", "status", "firm_id", "is_firm_own"
    )
    paginator = Paginator(rows, page_size(params.get("taille")))
    page = paginator.get_page(params.get("page"))
    return page, key, descending


COLUMNS = (
    # key, label, tooltip, sort key (None: not sortable)
    ("name", _("Nom"), "", "name"),
    ("month", _("Mois de clôture"), "", "month"),
    ("to_send", _("À envoyer"), _("Factures de vente prêtes qui n'ont pas encore été envoyées."), "to_send"),
    ("awaiting", _("Attente intégration"),
     _("Factures acceptées qui attendent d'être intégrées en comptabilité."), "awaiting"),
    ("action", _("Action attendue"),
     _("Factures qui attendent une action du cabinet : anomalie à traiter ou acceptation."), "action"),
    ("number", _("Numéro d'identification"), _("Le SIREN, ou le numéro de TVA d'une entreprise étrangère."), "number"),
    ("status", _("Statut"), "", "status"),
    ("actions", _("Actions"), "", None),
)


def column_headers(params, sort_key, descending):
    """Each column with the URL that sorts on it (the reverse order when it already does)."""
    headers = []
    for key, label, tooltip, sort in COLUMNS:
        url = arrow = None
        if sort is not None:
            current = sort == sort_key
            query = params.copy()
            query["tri"] = f"-{sort}" if current and not descending else sort
            query.pop("page", None)
            url = "?" + query.urlencode()
            arrow = ("▼" if descending else "▲") if current else ""
        headers.append({"key": key, "label": label, "tooltip": tooltip, "url": url, "arrow": arrow})
    return headers


def page_url(params, number):
    query = params.copy()
    query["page"] = number
    return "?" + query.urlencode()


@dataclass(frozen=True)
class ClientRow:
    """One line of the list, with every label and URL computed once per page
    (template lookups, lazy translations and URL reversing per row dominated
    the page's time)."""

    pk: int
    name: str
    month: str
    to_send: int
    awaiting_integration: int
    action_required: int
    number: str
    number_label: str
    status: str
    status_label: str
    detail_url: str
    activate_url: str
    home_url: str
    files_url: str
    counter_urls: dict  # counter name → the filtered list it counts

    @property
    def is_open(self):
        return self.status == DossierStatus.ACTIVE


def _url_pattern(name, *args):
    """The URL of ``name`` for any dossier: reversed once, the primary key filled in per row."""
    return reverse(name, args=[*args, PK_PLACEHOLDER]).replace(str(PK_PLACEHOLDER), "{pk}")


PK_PLACEHOLDER = 987654321


def client_rows(page, firm_id):
    months = {value: str(label) for value, label in Month.choices}
    statuses = {value: str(label) for value, label in DossierStatus.choices}
    siren_label, vat_label = str(_("N° SIREN")), str(_("N° TVA"))
    detail = _url_pattern("dossiers:detail", firm_id)
    activate = _url_pattern("dossiers:activate", firm_id)
    home = _url_pattern("dashboard:home")
    files = _url_pattern("archive:files")
    counters = {name: url.replace(str(PK_PLACEHOLDER), "{pk}") for name, url in counter_links(PK_PLACEHOLDER).items()}
    return [
        ClientRow(
            pk=d.pk, name=d.name, month=months.get(d.fiscal_year_end_month, ""),
            to_send=d.to_send, awaiting_integration=d.awaiting_integration, action_required=d.action_required,
            number=d.siren or d.vat_number, number_label=siren_label if d.siren else vat_label,
            status=d.status, status_label=statuses.get(d.status, d.status),
            detail_url=detail.format(pk=d.pk), activate_url=activate.format(pk=d.pk), home_url=home.format(pk=d.pk),
            files_url=files.format(pk=d.pk),
            counter_urls={name: url.format(pk=d.pk) for name, url in counters.items()},
        )
        for d in page
    ]
