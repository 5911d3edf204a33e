from django.urls import path

from facturier.invoices.views import issuing

app_name = "issuing"
urlpatterns = [
    path("<int:dossier_id>/ventes/nouvelle/", issuing.new, name="new"),
    path("<int:dossier_id>/ventes/<int:pk>/modifier/", issuing.edit, name="edit"),
    path("<int:dossier_id>/ventes/<int:pk>/envoi/", issuing.issued, name="issued"),
    path("<int:dossier_id>/ventes/<int:pk>/avoir/", issuing.credit_note, name="credit_note"),
    path("<int:dossier_id>/ventes/<int:pk>/renvoyer/", issuing.resend, name="resend"),
]
