"""Indexes for sorting a dossier's invoice list on its columns (see bench/invoice_list.py).

Each index starts with the dossier and direction, so one dossier's page is a
short walk of the index however many invoices the platform holds, and ends
with the primary key, the list's tie-breaker. They are created with plain SQL
(valid on SQLite and PostgreSQL) so that ``Invoice.Meta``, which the screens
do not own, stays as it is.
"""

from django.db import migrations

TABLE = "invoices_invoice"
SORT_COLUMNS = {
    "inv_list_number": "number",
    "inv_list_buyer": "buyer_name",
    "inv_list_seller": "seller_name",
    "inv_list_excl": "total_excl_vat",
    "inv_list_incl": "total_incl_vat",
}


def create(name, column):
    return f'CREATE INDEX "{name}" ON "{TABLE}" ("dossier_id", "direction", "{column}", "id")'


class Migration(migrations.Migration):
    dependencies = [("invoices", "0003_dashboard_indexes")]

    operations = [
        migrations.RunSQL(create(name, column), f'DROP INDEX "{name}"') for name, column in SORT_COLUMNS.items()
    ]
