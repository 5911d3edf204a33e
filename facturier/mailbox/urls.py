"""The dossier's mailbox pages (namespace "mailbox")."""

from django.urls import path

from facturier.mailbox import views

app_name = "mailbox"
urlpatterns = [
    path("<int:dossier_id>/parametres/boite-mail/", views.mailbox_settings, name="settings"),
    path("<int:dossier_id>/parametres/boite-mail/nouvelle-adresse/", views.new_address, name="new_address"),
    path("<int:dossier_id>/achats/e-mails/", views.received_messages, name="messages"),
]
