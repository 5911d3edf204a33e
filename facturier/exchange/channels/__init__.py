"""The delivery channels, in the order they are tried (``settings.EXCHANGE_CHANNELS``)."""

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_CHANNELS = [
    "facturier.exchange.channels.platform.PlatformChannel",
    "facturier.accredited.sending.AccreditedChannel",
    "facturier.exchange.channels.email.EmailChannel",
]


def channels():
    return [import_string(path)() for path in getattr(settings, "EXCHANGE_CHANNELS", DEFAULT_CHANNELS)]


def channel_named(name):
    for channel in channels():
        if channel.name == name:
            return channel
    raise LookupError(f"No delivery channel named {name!r} in EXCHANGE_CHANNELS.")


def channel_label(name):
    """The translated label of the channel stored as ``name``; the name itself for a channel no longer configured."""
    for channel in channels():
        if channel.name == name:
            return channel.label or name
    return name
