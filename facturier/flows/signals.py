"""What the flows app announces.

- ``flow_changed(flow)``: a flow was created (already acknowledged Ok or Error:
  see ``recording``). Sent inside the transaction that wrote it, so a receiver that writes (a
  webhook delivery row) commits or rolls back with the flow itself: a flow is
  never announced without existing, nor created without being announced.
"""

from django.dispatch import Signal

flow_changed = Signal()
