"""What the invoices app announces, so routing and accounting react without
the invoices app knowing them.

- ``invoice_issued(invoice, original)``: a sales invoice was issued; its original is
  archived and it waits for delivery. ``original`` is the engine's reading of that
  archived file when the sender read the very file it archived (the flows API), so
  receivers need not read it again; None otherwise.
- ``lifecycle_event_recorded(event)``: a status change was recorded on one side;
  the exchange app carries it to the other party.
- ``remote_event_recorded(event)``: a status the other party set (a refusal, a
  payment) was recorded on this side; the notifications app tells the people.
- ``anomaly_raised(anomaly)``: an anomaly was opened on an invoice; the
  notifications app tells who must act.

All are sent inside ``transaction.on_commit`` so receivers only ever see
committed data.

- ``unstructured_received(incoming)``: a received PDF without invoice data, or an image,
  was handed to recognition (outcome "recognition"); the recognition app reads it.
  Sent on commit.
- ``invoice_received(invoice)``: a purchase invoice was accepted into a dossier.
- ``remote_status_received(event)``: a status the other party set reached this side.

These two are sent inside the transaction that writes the invoice or event, so
what a receiver writes about them (the API's In flows) exists exactly when they do.
"""

from django.dispatch import Signal

invoice_issued = Signal()
lifecycle_event_recorded = Signal()
remote_event_recorded = Signal()
anomaly_raised = Signal()
unstructured_received = Signal()
invoice_received = Signal()
remote_status_received = Signal()
