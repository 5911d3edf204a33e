from django.conf import settings
from django.urls import include, path

from facturier.apiclients.paths import api_route

urlpatterns = [
    path("", include("facturier.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("comptes/", include("facturier.accounts.urls")),
    path("cabinets/", include("facturier.firms.urls")),
    path("dossiers/", include("facturier.dossiers.urls")),
    path("dossiers/", include("facturier.archive.urls")),
    path("dossiers/", include("facturier.invoices.urls")),
    path("dossiers/", include("facturier.invoices.issuing.urls")),
    path("dossiers/", include("facturier.invoices.receiving.urls")),
    path("dossiers/", include("facturier.mailbox.urls")),
    path("dossiers/", include("facturier.recognition.urls")),
    path("dossiers/", include("facturier.ledger.urls")),
    path("dossiers/", include("facturier.thirdparties.urls")),
    path("", include("facturier.ereporting.urls")),
    path("", include("facturier.dashboard.urls")),
    path("registres/", include("facturier.registry.urls")),
    # The standard platform API (XP Z12-013), under settings.API_PREFIX.
    path("", include("facturier.apiclients.urls")),
    path(api_route("directory-service/"), include("facturier.directory.urls")),
    path(api_route("flow-service/"), include("facturier.flows.urls")),
    path("notifications/", include("facturier.notifications.urls")),
    path("", include("facturier.webhooks.urls")),
    path("", include("facturier.accredited.urls")),
    path("", include("facturier.openapi.urls")),
    path("", include("facturier.accredited.receiving.urls")),
]

if settings.DEV_IDP_ENABLED:
    urlpatterns.append(path("dev-idp/", include("facturier.devidp.urls")))
