"""Everything the dossier home (seed page 17) shows, gathered for its template.

The home view puts it in the ``dashboard`` entry of its context; the frame
around it (``web/dossier.html``) reuses its task count. Five queries whatever the dossier's size:
the schedules, the monthly totals, the two top fives and the tasks.
"""

from django.utils import timezone

from facturier.accredited.models import connection_for
from facturier.dashboard import activity, aging, chart
from facturier.dashboard.links import url_with_query
from facturier.ereporting import overview
from facturier.invoices.models import Direction
from facturier.invoices.todo import dossier_tasks


def home_context(user, dossier, rights, now=None):
    today = timezone.localdate(now)
    window = activity.Window.ending(today)
    bought_and_sold = activity.activity(dossier, window)
    schedules = aging.schedules(dossier, today)
    todo = dossier_tasks(user, dossier)
    return {
        "today": today,
        "window": window,
        "purchase_schedule": schedules[Direction.PURCHASE],
        "sales_schedule": schedules[Direction.SALES],
        "monthly": bought_and_sold.monthly,
        "chart": chart.monthly_chart(bought_and_sold.monthly),
        "tasks": todo,
        "task_rows": [(task, _invoice_url(dossier, task)) for task in todo.shown],
        "top_customers": bought_and_sold.top[Direction.SALES],
        "top_suppliers": bought_and_sold.top[Direction.PURCHASE],
        "new_customer_url": url_with_query("issuing:new", dossier.pk) if rights.can_issue_sales else None,
        "new_supplier_url": (
            url_with_query("receiving:upload", dossier.pk)
            if rights.can_handle_purchases else None
        ),
        "settings_url": url_with_query("dashboard:settings", dossier.pk) if rights.can_open_settings else None,
        "ereporting": ereporting_counts(dossier, rights, today),
        "platform": connection_for(dossier),
    }


def ereporting_counts(dossier, rights, today):
    """"E-reporting à transmettre" and "en retard", for those who see the accounting and when a regime is set."""
    if not rights.can_see_accounting or not dossier.vat_regime:
        return None
    return overview.counts(overview.dossier_periods(dossier, today))


def _invoice_url(dossier, task):
    return url_with_query("invoices:detail", dossier.pk, task.invoice_id) if task.invoice_id else None
