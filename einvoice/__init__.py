"""The invoice engine: EN 16931 invoices read, written, validated and rendered.

A plain library: nothing here imports Django.
"""
