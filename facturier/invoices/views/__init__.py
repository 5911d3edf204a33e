"""The invoices pages, one module per part: receiving, decisions, issuing, screens."""
