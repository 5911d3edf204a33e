"""The invoice pages shared by sales and purchases (namespace "invoices"): lists, the invoice
page and its decisions, rendering, original, usage, "Mes tâches"."""

from django.urls import path

from facturier.invoices.views import decisions, my_tasks, screens

app_name = "invoices"
urlpatterns = [
    path("<int:dossier_id>/factures/ventes/", screens.sales, name="sales"),
    path("<int:dossier_id>/factures/achats/", screens.purchases, name="purchases"),
    path("<int:dossier_id>/factures/achats/decisions/", decisions.bulk_decide, name="bulk_decide"),
    path("<int:dossier_id>/factures/ventes/decisions/", decisions.bulk_decide_sales, name="bulk_decide_sales"),
    path("<int:dossier_id>/factures/<int:invoice_id>/", screens.detail, name="detail"),
    path("<int:dossier_id>/factures/<int:invoice_id>/apercu/", screens.rendering, name="rendering"),
    path("<int:dossier_id>/factures/<int:invoice_id>/original/", screens.original, name="original"),
    path("<int:dossier_id>/factures/<int:pk>/decision/", decisions.take_decision, name="decide"),
    path("<int:dossier_id>/consommation/", screens.usage, name="usage"),
    path("mes-taches/", my_tasks.my_tasks, name="my_tasks"),
]
