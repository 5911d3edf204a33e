"""The issuing pages of a dossier (namespace "issuing")."""

from django.urls import path

from facturier.invoices.issuing import views

app_name = "issuing"
urlpatterns = [
    path("<int:dossier_id>/ventes/nouvelle/", views.new, name="new"),
    path("<int:dossier_id>/ventes/<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:dossier_id>/ventes/<int:pk>/envoi/", views.issued, name="issued"),
    path("<int:dossier_id>/ventes/<int:pk>/avoir/", views.credit_note, name="credit_note"),
    path("<int:dossier_id>/ventes/<int:pk>/renvoyer/", views.resend, name="resend"),
]
