"""The engine's exceptions, so callers catch what they mean.

    EInvoiceError
    ├── UnreadableError ........ not well-formed XML, a corrupt PDF, not an invoice file at all
    │   └── HostileInputError .. a DTD, entity declarations, or anything trying to reach outside
    ├── UnsupportedFormatError . readable, but not a format we handle (ZUGFeRD 1.0, Order-X,
    │                            FatturaPA, a PDF without an embedded invoice)
    ├── TooLargeError .......... over the size limits for XML, PDF or an embedded file
    └── InvoiceWriteError ...... the model cannot be written in the requested syntax

The CLI maps each class to a rule id in its reports (``unreadable``,
``unsupported-format``, ``too-large``) and to an exit code.
"""


class EInvoiceError(Exception):
    """Base class of every error the engine raises on purpose."""

    rule = "error"


class UnreadableError(EInvoiceError):
    rule = "unreadable"


class HostileInputError(UnreadableError):
    rule = "unreadable"


class UnsupportedFormatError(EInvoiceError):
    rule = "unsupported-format"


class TooLargeError(EInvoiceError):
    rule = "too-large"


class InvoiceWriteError(EInvoiceError):
    rule = "write-error"
