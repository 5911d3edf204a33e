"""E-reporting (flux 10 of the DGFiP external specifications): the reports, as XML, and their checks.

    xml_bytes = write(report)            # a Report (einvoice.ereporting.model) as flux 10 XML
    verdict = validate(xml_bytes)        # XSD, then the flux 10 business rules

A transmission carries one report: either transactions (10.1 per invoice,
10.3 daily B2C totals) or payments (10.2 per invoice, 10.4 daily B2C
receipts), never both (rule G6.29). Nothing here knows Django: the platform
gathers the data, this package writes and checks it.
"""

from einvoice.ereporting.model import (
    DailyPayment,
    DailyTransactions,
    InvoicePayment,
    Party,
    Report,
    ReportedInvoice,
    VatAmount,
)
from einvoice.ereporting.validate import validate
from einvoice.ereporting.write import write

__all__ = [
    "DailyPayment", "DailyTransactions", "InvoicePayment", "Party", "Report", "ReportedInvoice", "VatAmount",
    "validate", "write",
]
