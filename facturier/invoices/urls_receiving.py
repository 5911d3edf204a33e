"""Receiving purchase invoices and taking decisions on invoices (namespace "invoices")."""

from django.urls import path

from facturier.invoices.views import decisions, receiving

urlpatterns = [
    path("<int:dossier_id>/achats/recevoir/", receiving.upload, name="receive"),
    path("<int:dossier_id>/factures/<int:pk>/decision/", decisions.take_decision, name="decide"),
]
