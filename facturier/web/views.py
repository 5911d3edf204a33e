from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from facturier.collation import french
from facturier.dossiers import access
from facturier.dossiers.last_used import last_dossier
from facturier.web import source as source_code


@never_cache
def healthz(request):
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def source(request):
    """The running code as a download, open to anyone who can reach the platform (AGPL, section 13)."""
    response = HttpResponse(source_code.archive(), content_type="application/gzip")
    response["Content-Disposition"] = f'attachment; filename="facturier-{settings.VERSION}-source.tar.gz"'
    return response


@login_required
def home(request):
    """Where a person lands after signing in.

    Firm staff go to their firm: the list of firms for a chartered accountant
    (terms to accept), the staff dashboard for staff of a single open firm.
    A client user goes back to the last dossier used, or the first they may open.
    """
    user = request.user
    if user.is_firm_staff:
        memberships = list(access.firm_memberships(user))
        open_firms = [m for m in memberships if m.firm.is_open]
        if any(m.is_chartered_accountant for m in memberships) or len(open_firms) > 1:
            return redirect("dashboard:firms")
        if open_firms:
            return redirect("dashboard:staff", firm_id=open_firms[0].firm_id)
        if memberships:
            return redirect("dashboard:firms")
    dossier = last_openable_dossier(user)
    if dossier is not None:
        return redirect("dashboard:home", pk=dossier.pk)
    return render(request, "web/home.html")


def last_openable_dossier(user):
    openable = access.openable_dossiers(user)
    last = last_dossier(user)
    if last is not None and openable.filter(pk=last.pk).exists():
        return last
    return openable.order_by(french("name"), "pk").first()
