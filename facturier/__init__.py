"""Facturier, the e-invoicing platform for accounting firms and their clients.

The Django project lives here; the invoice engine is the separate ``einvoice``
package, which never imports Django.
"""

__version__ = "0.1.0"
