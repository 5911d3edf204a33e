"""The firm's administration: terms, team and audit trail (its client list and dashboards are the
dashboard app's)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facturier.audit.models import AuditAction, AuditEvent, record
from facturier.collation import french
from facturier.firms import access
from facturier.firms.models import FirmMembership, Role
from facturier.firms.terms import TermsAlreadyAccepted, accept_terms

logger = logging.getLogger(__name__)


@login_required
@require_POST
def accept(request):
    """Accept the terms for the ticked firms, once read and confirmed; each one only once, only by a
    chartered accountant."""
    # A firm ticked and also clicked arrives twice: accept it once.
    ids = sorted({value for value in request.POST.getlist("firm") if value.isdigit()}, key=int)
    memberships = [access.get_firm_membership_or_404(request.user, firm_id, open_only=False) for firm_id in ids]
    if not memberships:
        messages.warning(request, _("Cochez au moins un cabinet."))
        return redirect("dashboard:firms")
    if not all(m.is_chartered_accountant for m in memberships):
        raise PermissionDenied
    if request.POST.get("confirmed") != "1":
        # First the terms themselves, and a box the accountant ticks to accept them for these firms.
        return render(request, "firms/accept_terms.html", {
            "firms": [m.firm for m in memberships], "unticked": request.POST.get("step") == "confirm"})
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
                                        "être envoyé : renvoyez-le depuis le dossier du cabinet.")
                             % {"firm": firm.name})
            continue
        messages.success(request, _("Conditions acceptées pour %(firm)s. Un e-mail d'invitation vous a été envoyé "
                                    "pour activer le dossier du cabinet.") % {"firm": firm.name})
    return redirect("dashboard:firms")


@login_required
def team(request, firm_id):
    """The firm's people; a chartered accountant grants or revokes the admin right here."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    if not membership.can_administer:
        raise PermissionDenied
    members = membership.firm.memberships.select_related("user").order_by(french("user__full_name"), "user__email")
    return render(request, "firms/team.html", {
        "membership": membership, "firm": membership.firm, "active_menu": "team", "members": members,
    })


@login_required
@require_POST
def set_two_factor(request, firm_id):
    """An administrator of the firm requires (or no longer requires) two-factor sign-in of its clients."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    if not membership.can_administer:
        raise PermissionDenied
    required = request.POST.get("required") == "1"
    firm = membership.firm
    if type(firm).objects.filter(pk=firm.pk).exclude(requires_two_factor=required).update(requires_two_factor=required):
        record(request.user, AuditAction.FIRM_TWO_FACTOR_CHANGED, firm=firm, target=firm.name, required=required)
    if required:
        messages.success(request, _("La double authentification est exigée des utilisateurs de vos dossiers clients."))
    else:
        messages.success(request, _("La double authentification n'est plus exigée ; chacun peut la garder."))
    return redirect("firms:team", firm_id=firm.pk)


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
def audit_trail(request, firm_id):
    """Who accepted the terms, created, changed, assigned, activated and invited, in this firm."""
    membership = access.get_firm_membership_or_404(request.user, firm_id)
    if not membership.can_administer:
        raise PermissionDenied
    events = AuditEvent.objects.filter(firm=membership.firm).select_related("actor", "dossier")
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "firms/audit.html", {
        "membership": membership, "firm": membership.firm, "active_menu": "audit", "page": page,
    })
