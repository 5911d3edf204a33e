"""The invoice screens: lists, invoice page, rendering, original, usage, "Mes tâches"."""

from django.urls import path

from facturier.invoices.views import my_tasks, screens

urlpatterns = [
    path("<int:dossier_id>/factures/ventes/", screens.sales, name="sales"),
    path("<int:dossier_id>/factures/achats/", screens.purchases, name="purchases"),
    path("<int:dossier_id>/factures/<int:invoice_id>/", screens.detail, name="detail"),
    path("<int:dossier_id>/factures/<int:invoice_id>/apercu/", screens.rendering, name="rendering"),
    path("<int:dossier_id>/factures/<int:invoice_id>/original/", screens.original, name="original"),
    path("<int:dossier_id>/consommation/", screens.usage, name="usage"),
    path("mes-taches/", my_tasks.my_tasks, name="my_tasks"),
]
