"""Links to pages other parts of the platform build.

The invoice lists and the customer form come with the invoices work, the
accounting settings with the ledger; until a page exists its link is simply
not shown, so the dossier home never breaks on a missing URL.
"""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse


def optional_url(name, *args, query=None):
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url
