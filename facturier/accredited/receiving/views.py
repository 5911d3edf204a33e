"""The public URL an accredited platform calls back (see ``webhook``): no session, no CSRF, a signature."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from facturier.accredited.receiving.models import Inbox
from facturier.accredited.receiving.webhook import authentic, notified

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
