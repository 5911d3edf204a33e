"""The dossier's mailbox pages: its address and sender lists (settings), and the messages it received.

Anyone who can open the dossier sees its address and its messages; the people who
change the dossier's settings (the client's user managers) replace the address and
edit the sender lists. Firm staff see them read-only, as the other client settings.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.dossiers.access import dossier_rights, get_open_dossier_or_404
from facturier.mailbox.addresses import address_of, mailbox_for, regenerate
from facturier.mailbox.forms import SendersForm
from facturier.mailbox.models import MailMessage

RECENT_MESSAGES = 100


def settings_page(request, dossier_id):
    dossier = get_open_dossier_or_404(request.user, dossier_id)
    rights = dossier_rights(request.user, dossier)
    if not rights.can_open_settings:
        raise PermissionDenied
    return dossier, rights, mailbox_for(dossier)


@login_required
@require_http_methods(["GET", "POST"])
def mailbox_settings(request, dossier_id):
    dossier, rights, mailbox = settings_page(request, dossier_id)
    editable = rights.can_manage_users
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = SendersForm(request.POST or None, instance=mailbox)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if form.changed_data:
                audit(request.user, AuditAction.MAILBOX_SENDERS_CHANGED, dossier=dossier, target=dossier.name,
                      **{name: form.cleaned_data[name] for name in form.changed_data})
        messages.success(request, _("Listes d'expéditeurs enregistrées."))
        return redirect("mailbox:settings", dossier_id=dossier.pk)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "mailbox/settings.html", {
        "dossier": dossier, "rights": rights, "mailbox": mailbox, "address": address_of(mailbox),
        "form": form, "editable": editable,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def new_address(request, dossier_id):
    """Replace the address; the form names the code it replaces, so a second click changes nothing more."""
    dossier, rights, mailbox = settings_page(request, dossier_id)
    if not rights.can_manage_users:
        raise PermissionDenied
    old_address = address_of(mailbox)
    if regenerate(mailbox, request.POST.get("code", "")):
        audit(request.user, AuditAction.MAILBOX_ADDRESS_CHANGED, dossier=dossier, target=dossier.name,
              old=old_address, new=address_of(mailbox))
        messages.success(request, _("Nouvelle adresse : %(address)s. L'ancienne ne reçoit plus rien.")
                         % {"address": address_of(mailbox)})
    else:
        messages.info(request, _("L'adresse avait déjà été remplacée : voici la nouvelle."))
    return redirect("mailbox:settings", dossier_id=dossier.pk)


@login_required
@require_GET
def received_messages(request, dossier_id):
    """The messages the dossier received, newest first, with what became of each file."""
    dossier = get_open_dossier_or_404(request.user, dossier_id)
    mailbox = mailbox_for(dossier)
    received = (MailMessage.objects.filter(dossier=dossier).defer("raw")
                .prefetch_related("attachments__incoming__invoice")[:RECENT_MESSAGES])
    return render(request, "mailbox/messages.html", {
        "dossier": dossier, "rights": dossier_rights(request.user, dossier), "active_menu": "purchase",
        "address": address_of(mailbox), "received": received,
        "pending": any(item.state == MailMessage.State.QUEUED for item in received),
    })
