"""Everything the dossier home (seed page 17) shows, gathered for its template.

The dossiers app renders the page frame; it asks this module for the
``dashboard`` entry of its context. Five queries whatever the dossier's size:
the schedules, the monthly totals, the two top fives and the tasks.
"""

from django.utils import timezone

from facturier.dashboard import activity, aging, chart, tasks
from facturier.dashboard.links import optional_url
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
        "new_customer_url": optional_url("invoices:customer_new", dossier.pk) if rights.can_issue_sales else None,
        "new_supplier_url": (
            optional_url("invoices:customer_new", dossier.pk, query={"supplier": 1})
            if rights.can_handle_purchases else None
        ),
        "settings_url": optional_url("dashboard:settings", dossier.pk) if may_open_settings(rights) else None,
    }


def _invoice_url(dossier, task):
    return optional_url("invoices:detail", dossier.pk, task.invoice_id) if task.invoice_id else None
