"""Links from the dossier home to the pages of the other apps."""

from urllib.parse import urlencode

from django.urls import reverse


def url_with_query(name, *args, query=None):
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url
