"""The firm's space: its list of firms, terms, team, clients, dashboard and audit trail."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facturier.audit.models import AuditAction, AuditEvent, record
from facturier.dossiers import access, client_list
from facturier.dossiers.counters import with_counters
from facturier.dossiers.models import Dossier, DossierStatus
from facturier.firms.models import FirmMembership, Role
from facturier.firms.navigation import firm_frame
from facturier.firms.terms import TermsAlreadyAccepted, accept_terms

logger = logging.getLogger(__name__)


def _count(queryset):
    return Coalesce(Subquery(queryset.values("n")[:1], output_field=IntegerField()), 0)


@login_required
def index(request):
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
        .order_by("firm__name")
    )
    is_accountant = any(m.is_chartered_accountant for m in memberships)
    return render(request, "firms/index.html", {"memberships": memberships, "is_accountant": is_accountant})


@login_required
@require_POST
def accept(request):
    """Accept the terms for the ticked firms; each one only once, only by a chartered accountant."""
    # A firm ticked and also clicked arrives twice: accept it once.
    ids = sorted({value for value in request.POST.getlist("firm") if value.isdigit()}, key=int)
    memberships = [access.get_firm_membership_or_404(request.user, firm_id, open_only=False) for firm_id in ids]
    if not memberships:
        messages.warning(request, _("Cochez au moins un cabinet."))
        return redirect("firms:index")
    if not all(m.is_chartered_accountant for m in memberships):
        raise PermissionDenied
    for membership in memberships:
        firm = membership.firm
        try:
            accept_terms(membership)
        except TermsAlreadyAccepted:
            messages.info(request, _("Les conditions de %(firm)s étaient déjà acceptées.") % {"firm": firm.name})
            continue
        except OSError:  # SMTP errors and refused connections alike
            logger.exception("invitation e-mail for the own dossier of firm %s failed", firm.pk)
            messages.warning(request, _("Conditions acceptées pour %(firm)s, mais l'e-mail d'invitation n'a pas pu "
                                        "être envoyé : renvoyez-le depuis le dossier du cabinet.") % {"firm": firm.name})
            continue
        messages.success(request, _("Conditions acceptées pour %(firm)s. Un e-mail d'invitation vous a été envoyé "
                                    "pour activer le dossier du cabinet.") % {"firm": firm.name})
    return redirect("firms:index")


@login_required
def team(request, firm_id):
    """The firm's people; a chartered accountant grants or revokes the admin right here."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    if not membership.can_administer:
        raise PermissionDenied
    members = membership.firm.memberships.select_related("user").order_by("user__full_name", "user__email")
    return render(request, "firms/team.html", {**firm_frame(membership, "team"), "members": members})


@login_required
@require_POST
def set_admin(request, firm_id, user_id):
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    if not membership.is_chartered_accountant:
        raise PermissionDenied
    try:
        member = membership.firm.memberships.select_related("user").get(user_id=user_id, role=Role.STAFF)
    except (FirmMembership.DoesNotExist, ValueError):
        raise Http404 from None
    grant = request.POST.get("admin") == "1"
    if member.is_admin != grant:
        member.is_admin = grant
        member.save(update_fields=["is_admin"])
        action = AuditAction.ADMIN_GRANTED if grant else AuditAction.ADMIN_REVOKED
        record(request.user, action, firm=membership.firm, target=member.user)
    return redirect("firms:team", firm_id=membership.firm_id)


@login_required
def clients(request, firm_id):
    """The client list (seed pages 6–13): search, sort, paging, column chooser."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    page, sort_key, descending = client_list.client_page(access.listed_dossiers(membership), request.GET)
    has_pending = access.listed_dossiers(membership).filter(status=DossierStatus.NOT_ACTIVATED).exists()
    return render(request, "firms/clients.html", {
        **firm_frame(membership, "clients"),
        "page": page,
        "rows": client_list.client_rows(page, membership.firm_id),
        "headers": client_list.column_headers(request.GET, sort_key, descending),
        "previous_url": page.has_previous() and client_list.page_url(request.GET, page.previous_page_number()),
        "next_url": page.has_next() and client_list.page_url(request.GET, page.next_page_number()),
        "query": request.GET.get("q", ""),
        "page_size": page.paginator.per_page,
        "page_sizes": client_list.PAGE_SIZES,
        "has_pending": has_pending,
    })


@login_required
def staff_dashboard(request, firm_id):
    """The dossiers assigned to the person and what each one needs from them."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    dossiers = with_counters(access.assigned_dossiers(membership)).order_by("name")
    rows = list(dossiers)
    summary = {status: sum(1 for d in rows if d.status == status) for status in DossierStatus.values}
    return render(request, "firms/staff_dashboard.html", {
        **firm_frame(membership, "dashboard"),
        "dossiers": rows,
        "summary": summary,
        "tooltips": {key: tooltip for key, _label, tooltip, _sort in client_list.COLUMNS},
    })


@login_required
def audit_trail(request, firm_id):
    """Who accepted the terms, created, changed, assigned, activated and invited, in this firm."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    if not membership.can_administer:
        raise PermissionDenied
    events = AuditEvent.objects.filter(firm=membership.firm).select_related("actor", "dossier")
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "firms/audit.html", {**firm_frame(membership, "audit"), "page": page})
