"""The firm's home pages: the firms a person works in, a firm's client list, a staff member's dashboard."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render

from facturier.collation import french
from facturier.dashboard import client_list
from facturier.dashboard.counters import counter_links, with_counters
from facturier.dossiers import access
from facturier.dossiers.models import Dossier, DossierStatus
from facturier.ereporting import overview
from facturier.firms.models import FirmMembership


def _count(queryset):
    return Coalesce(Subquery(queryset.values("n")[:1], output_field=IntegerField()), 0)


@login_required
def firms(request):
    """The firms single sign-on tied the person to, with the terms of each."""
    clients = (
        Dossier.objects.filter(firm=OuterRef("firm"), is_firm_own=False)
        .order_by().values("firm").annotate(n=Count("pk"))
    )
    staff = FirmMembership.objects.filter(firm=OuterRef("firm")).order_by().values("firm").annotate(n=Count("pk"))
    memberships = (
        access.firm_memberships(request.user)
        .select_related("firm__terms_accepted_by")
        .annotate(client_count=_count(clients), staff_count=_count(staff))
        .order_by(french("firm__name"), "pk")
    )
    is_accountant = any(m.is_chartered_accountant for m in memberships)
    return render(request, "dashboard/firms.html", {"memberships": memberships, "is_accountant": is_accountant})


@login_required
def clients(request, firm_id):
    """The client list (seed pages 6–13): search, sort, paging, column chooser."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    page, sort_key, descending = client_list.client_page(access.listed_dossiers(membership), request.GET)
    has_pending = access.listed_dossiers(membership).filter(status=DossierStatus.NOT_ACTIVATED).exists()
    return render(request, "dashboard/clients.html", {
        "membership": membership, "firm": membership.firm, "active_menu": "clients",
        "page": page,
        "rows": client_list.client_rows(page, membership.firm_id),
        "headers": client_list.column_headers(request.GET, sort_key, descending),
        "previous_url": page.has_previous() and client_list.page_url(request.GET, page.previous_page_number()),
        "next_url": page.has_next() and client_list.page_url(request.GET, page.next_page_number()),
        "query": request.GET.get("q", ""),
        "page_size": page.paginator.per_page,
        "page_sizes": client_list.PAGE_SIZES,
        "has_pending": has_pending,
        "ereporting": ereporting_counts(membership),
    })


def ereporting_counts(membership, dossiers=None):
    """E-reporting "à transmettre" and "en retard" over the person's active dossiers with a VAT regime."""
    dossiers = access.listed_dossiers(membership) if dossiers is None else dossiers
    return overview.counts(overview.firm_overview(dossiers.filter(status=DossierStatus.ACTIVE).exclude(vat_regime="")))


@login_required
def staff_dashboard(request, firm_id):
    """The dossiers assigned to the person and what each one needs from them."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    dossiers = with_counters(access.assigned_dossiers(membership)).order_by(french("name"), "pk")
    rows = list(dossiers)
    for dossier in rows:
        dossier.counter_urls = counter_links(dossier.pk)
    summary = {status: sum(1 for d in rows if d.status == status) for status in DossierStatus.values}
    return render(request, "dashboard/staff.html", {
        "membership": membership, "firm": membership.firm, "active_menu": "dashboard",
        "dossiers": rows,
        "summary": summary,
        "ereporting": ereporting_counts(membership, access.assigned_dossiers(membership)),
        "tooltips": {key: tooltip for key, _label, tooltip, _sort in client_list.COLUMNS},
    })
