"""What the invoices app announces, so routing and accounting react without
the invoices app knowing them.

- ``invoice_issued(invoice)``: a sales invoice was issued; its original is archived
  and it waits for delivery.
- ``lifecycle_event_recorded(event)``: a status change was recorded on one side;
  the exchange app carries it to the other party.

Both are sent inside ``transaction.on_commit`` so receivers only ever see
committed data.

- ``invoice_received(invoice)``: a purchase invoice was accepted into a dossier.
- ``remote_event_recorded(event)``: a status the other party set reached this side.

These two are sent inside the transaction that writes the invoice or event, so
what a receiver writes about them (the API's In flows) exists exactly when they do.
"""

from django.dispatch import Signal

invoice_issued = Signal()
lifecycle_event_recorded = Signal()
invoice_received = Signal()
remote_event_recorded = Signal()
