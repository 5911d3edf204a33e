"""The project's URLs, plus stand-ins for the pages the dashboard links to that
other parts of the platform have not built yet (used with ``settings.ROOT_URLCONF``).
Once a real page exists, its stand-in steps aside and the tests check the real URL.
A namespace that exists with some of the names missing gets no stand-in (Django
reverses in the first namespace of a name only): tests then see those links absent,
through ``linked``."""

from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from facturier.urls import urlpatterns as project_urls


def stand_in(request, *args, **kwargs):
    return HttpResponse("stand-in")


STAND_INS = {
    "invoices": [("purchases", "achats/"), ("sales", "ventes/"), ("customer_new", "clients/nouveau/"),
                 ("detail", "factures/<int:invoice_id>/")],
    "ledger": [("settings", "comptabilite/")],
}


def _missing(namespace, name):
    try:
        reverse(f"{namespace}:{name}", args=[1], urlconf="facturier.urls")
    except NoReverseMatch:
        return True
    return False


urlpatterns = list(project_urls)
for namespace, routes in STAND_INS.items():
    missing = [path(f"<int:dossier_id>/{route}", stand_in, name=name) for name, route in routes
               if _missing(namespace, name)]
    if len(missing) == len(routes):
        urlpatterns.append(path(f"stand-in/{namespace}/", include((missing, namespace))))


def linked(name, *args):
    """The URL the dashboard should link to for ``name``, or None while the page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
