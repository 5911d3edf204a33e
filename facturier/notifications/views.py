"""The person's notifications (the full list behind the header's) and their preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from facturier.audit.models import AuditAction, record
from facturier.notifications.forms import PreferencesForm
from facturier.notifications.queries import visible_notifications
from facturier.notifications.wording import link

PAGE_SIZE = 50


@login_required
@require_GET
def notification_list(request):
    page = Paginator(visible_notifications(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_GET
def open_notification(request, pk):
    """Mark the notification read and go where the person acts."""
    notification = get_object_or_404(visible_notifications(request.user), pk=pk)
    type(notification).objects.filter(pk=pk, read_at=None).update(read_at=timezone.now())
    return redirect(link(notification))


@login_required
@require_POST
def mark_all_read(request):
    visible_notifications(request.user).filter(read_at=None).update(read_at=timezone.now())
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferencesForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = form.save()
        if changed:
            record(request.user, AuditAction.NOTIFICATION_PREFERENCES_CHANGED, target=request.user.email,
                   kinds=changed)
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
