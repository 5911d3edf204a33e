"""The interface every delivery channel implements.

A channel says whether it can reach the other party of an invoice (``route``,
``route_event``) and carries the invoice or a status message there (``send``).
Channels are tried in the order of ``settings.EXCHANGE_CHANNELS``; the first
that finds a route takes the invoice, and the statuses about that invoice later
travel the same way. A new way to reach people (an accredited platform, ...) is
a new module implementing this class and a line in that setting.
"""

from dataclasses import dataclass


class DeliveryFailed(Exception):
    """The channel could not deliver. ``permanent`` failures are not retried until something changes;
    the others are, not before ``retry_after`` seconds when the other side asked for that much."""

    def __init__(self, message, *, permanent=False, retry_after=None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class DeliveryAwaiting(Exception):
    """Handed over, but the other side has not said yet whether it takes it (an accredited platform's
    ``Pending`` acknowledgement): the delivery stays pending and is attempted again after ``retry_after``
    seconds, when the channel looks at the answer instead of sending again."""

    def __init__(self, message, *, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Route:
    """Where a channel would send: an e-mail address, or a dossier of the platform."""

    recipient: str = ""
    recipient_dossier_id: int | None = None


class Channel:
    name = ""  # stored on Delivery.channel
    label = ""  # what people read (translated on display); the name is a code
    # True when ``send`` writes what it delivers into this database: it then runs in the transaction that
    # marks the delivery sent. A channel talking to another system sends outside any transaction.
    transactional = True

    def route(self, invoice):
        """The route to the buyer of an issued sales invoice, or None when this channel cannot reach it."""
        raise NotImplementedError

    def route_event(self, event):
        """The route to the other party for a status recorded on ``event.invoice``, or None."""
        raise NotImplementedError

    def send(self, delivery):
        """Carry ``delivery`` (its invoice, or its event); raise ``DeliveryFailed`` when it does not arrive."""
        raise NotImplementedError
