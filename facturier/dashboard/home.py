"""Everything the dossier home (seed page 17) shows, gathered for its template.

The dossiers app renders the page frame; it asks this module for the
``dashboard`` entry of its context. Five queries whatever the dossier's size:
the schedules, the monthly totals, the two top fives and the tasks.
"""

from django.utils import timezone

from facturier.dashboard import activity, aging, chart, tasks
from facturier.dashboard.links import url_with_query
from facturier.dashboard.views import may_open_settings
from facturier.invoices.models import Direction


def home_context(user, dossier, rights, now=None):
    today = timezone.localdate(now)
    window = activity.Window.ending(today)
    bought_and_sold = activity.activity(dossier, window)
    schedules = aging.schedules(dossier, today)
    todo = tasks.my_tasks(user, dossier, rights)
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
            url_with_query("invoices:receive", dossier.pk)
            if rights.can_handle_purchases else None
        ),
        "settings_url": url_with_query("dashboard:settings", dossier.pk) if may_open_settings(rights) else None,
    }


def _invoice_url(dossier, task):
    return url_with_query("invoices:detail", dossier.pk, task.invoice_id) if task.invoice_id else None
