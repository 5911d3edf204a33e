"""The public URL an accredited platform calls back (see ``webhook``): no session, no CSRF, a signature.
And the dossier's page of the flows it received that need a person: refused, or given up after their attempts.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from facturier.accredited.receiving.models import Inbox, ReceivedFlow
from facturier.accredited.receiving.webhook import authentic, notified
from facturier.audit.models import AuditAction, record
from facturier.dossiers.access import dossier_rights, get_open_dossier_or_404

SHOWN = 200  # the most recent flows needing a person; older ones stay in the database
State, Outcome = ReceivedFlow.State, ReceivedFlow.Outcome

MAX_BODY = 64 * 1024  # a flow's metadata; anything larger is not a callback


@csrf_exempt
@require_POST
def webhook(request, token):
    inbox = get_object_or_404(Inbox.objects.select_related("dossier"), token=token)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        return HttpResponse(status=413)
    body = request.body
    if not authentic(inbox, body, request.headers):
        return HttpResponse(status=401)
    if not notified(inbox, body):
        return HttpResponse(status=400)
    return HttpResponse(status=204)


@login_required
def received_flows(request, dossier_id):
    """The inbox's last pull and the received flows a person should look at, newest first."""
    dossier, rights = _dossier(request, dossier_id)
    flows = ReceivedFlow.objects.filter(inbox__dossier=dossier)
    attention = flows.filter(Q(state=State.FAILED) | Q(state=State.PENDING, attempts__gt=0)
                             | Q(outcome__in=[Outcome.REFUSED_FILE, Outcome.REFUSED_STATUS]))
    return render(request, "accredited_receiving/received_flows.html", {
        "dossier": dossier, "can_retry": rights.is_firm_side,
        "inboxes": Inbox.objects.filter(dossier=dossier).select_related("connection").order_by("-created_at"),
        "flows": attention.select_related("inbox__connection").order_by("-discovered_at", "-pk")[:SHOWN],
        "taken": flows.filter(state=State.DONE).count(), "waiting": flows.filter(state=State.PENDING).count(),
    })


@login_required
@require_POST
def retry_received_flow(request, dossier_id, pk):
    """A flow given up on is taken again by the next pull; a second click finds it already waiting."""
    dossier, rights = _dossier(request, dossier_id)
    if not rights.is_firm_side:
        raise PermissionDenied
    flow = get_object_or_404(ReceivedFlow, pk=pk, inbox__dossier=dossier)
    if ReceivedFlow.objects.filter(pk=flow.pk, state=State.FAILED).update(
            state=State.PENDING, attempts=0, next_attempt_at=timezone.now()):
        record(request.user, AuditAction.RECEIVED_FLOW_RETRIED, dossier=dossier, target=flow.name or flow.flow_id,
               flow_id=flow.flow_id)
        messages.success(request, _("Le flux « %(name)s » sera repris à la prochaine relève de la plateforme.")
                         % {"name": flow.name or flow.flow_id})
    else:
        messages.info(request, _("Ce flux n'est plus en échec : il a déjà été remis à traiter."))
    return redirect("accredited_receiving:received_flows", dossier_id=dossier.pk)


def _dossier(request, dossier_id):
    dossier = get_open_dossier_or_404(request.user, dossier_id)
    rights = dossier_rights(request.user, dossier)
    if not rights.can_open_settings:
        raise PermissionDenied
    return dossier, rights
