""""Mes tâches": what the signed-in person has to do, across their dossiers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from facturier.dossiers import access
from facturier.invoices.todo import open_tasks

MAX_TASKS = 500  # a to-do list longer than this is read through the dossiers' invoice lists


@login_required
@require_GET
def my_tasks(request):
    """Every open task of the person, or one dossier's (``?dossier=``) when opened from its menu."""
    tasks = open_tasks(request.user)
    dossier = None
    if request.GET.get("dossier"):
        dossier = access.get_open_dossier_or_404(request.user, request.GET["dossier"])
        tasks = tasks.filter(dossier=dossier)
    total = tasks.count()
    return render(request, "invoices/screens/tasks.html", {
        "dossier": dossier,
        "frame_template": "web/dossier.html" if dossier else "base.html",
        "active_menu": "tasks",
        "total": total,
        "groups": grouped(tasks[:MAX_TASKS]),
    })


def grouped(tasks):
    """Tasks by dossier (in the order of their oldest task), each with the link that does it."""
    groups = {}
    for task in tasks:
        group = groups.setdefault(task.dossier_id, {"dossier": task.dossier, "tasks": []})
        if task.invoice_id:
            url = reverse("invoices:detail", args=[task.dossier_id, task.invoice_id])
        else:
            url = reverse("dashboard:home", args=[task.dossier_id])
        group["tasks"].append({"task": task, "url": url})
    return list(groups.values())
