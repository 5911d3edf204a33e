from django.urls import path

from facturier.dossiers.views import clients, company, imports, invitations, users

app_name = "dossiers"
urlpatterns = [
    path("changer/", clients.switch, name="switch"),
    path("cabinet/<int:firm_id>/nouveau/", clients.new, name="new"),
    path("cabinet/<int:firm_id>/tout-activer/", clients.activate_all, name="activate_all"),
    path("cabinet/<int:firm_id>/<int:pk>/", clients.detail, name="detail"),
    path("cabinet/<int:firm_id>/<int:pk>/affectations/", clients.toggle_assignment, name="toggle_assignment"),
    path("cabinet/<int:firm_id>/<int:pk>/activer/", clients.activate, name="activate"),
    path("cabinet/<int:firm_id>/<int:pk>/supprimer/", clients.delete, name="delete"),
    # Client import (seed annex 1).
    path("cabinet/<int:firm_id>/importer/", imports.upload, name="import"),
    path("cabinet/<int:firm_id>/importer/modele.xlsx", imports.template, name="import_template"),
    path("cabinet/<int:firm_id>/importer/<str:token>/a-corriger.xlsx", imports.rejected, name="import_rejected"),
    path("cabinet/<int:firm_id>/importer/<str:token>/colonnes/", imports.mapping, name="import_mapping"),
    path("cabinet/<int:firm_id>/importer/<str:token>/apercu/", imports.preview, name="import_preview"),
    path("cabinet/<int:firm_id>/importer/<str:token>/importer/", imports.run, name="import_run"),
    # The dossier's users (seed page 16) and the invitations that bring them in.
    path("invitation/<str:token>/", invitations.accept_invitation, name="accept_invitation"),
    # The client's company as its sales invoices show it.
    path("<int:pk>/societe/", company.company, name="company"),
    path("<int:pk>/societe/logo/", company.logo, name="company_logo"),
    path("<int:pk>/utilisateurs/", users.dossier_users, name="dossier_users"),
    path("<int:pk>/utilisateurs/<int:membership_pk>/droits/", users.change_rights, name="dossier_user_rights"),
    path("<int:pk>/utilisateurs/<int:membership_pk>/retirer/", users.remove_member, name="dossier_user_remove"),
    path("<int:pk>/invitations/<int:invitation_pk>/annuler/", users.cancel_invitation,
         name="dossier_invitation_cancel"),
]
