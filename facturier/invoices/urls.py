"""The ``invoices`` URL namespace, gathered from each part's own module."""

from facturier.invoices import urls_screens

app_name = "invoices"
urlpatterns = [*urls_screens.urlpatterns]
