"""What the invoices app announces, so routing and accounting react without
the invoices app knowing them.

- ``invoice_issued(invoice)``: a sales invoice was issued; its original is archived
  and it waits for delivery.
- ``lifecycle_event_recorded(event)``: a status change was recorded on one side;
  the exchange app carries it to the other party.
- ``remote_event_recorded(event)``: a status the other party set (a refusal, a
  payment) was recorded on this side; the notifications app tells the people.
- ``anomaly_raised(anomaly)``: an anomaly was opened on an invoice; the
  notifications app tells who must act.

All are sent inside ``transaction.on_commit`` so receivers only ever see
committed data.
"""

from django.dispatch import Signal

invoice_issued = Signal()
lifecycle_event_recorded = Signal()
remote_event_recorded = Signal()
anomaly_raised = Signal()
