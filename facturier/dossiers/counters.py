"""The three work counters of the client list and the staff dashboard.

They read 0 until invoices exist. They are annotations, so the list stays one
query per page whatever their definition: the invoices issue replaces each
``Value`` with a ``Subquery`` count over its own tables.
"""

from django.db.models import IntegerField, Value

COUNTERS = ("to_send", "awaiting_integration", "action_required")


def with_counters(dossiers):
    zero = Value(0, output_field=IntegerField())
    return dossiers.annotate(**{name: zero for name in COUNTERS})
