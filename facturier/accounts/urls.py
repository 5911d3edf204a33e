from django.urls import path

from facturier.accounts.views import dossier_users, invitations, passwords, signin, terms

app_name = "accounts"
urlpatterns = [
    path("connexion/", signin.login, name="login"),
    path("deconnexion/", signin.logout, name="logout"),
    path("comptexpert/", signin.sso_start, name="sso_start"),
    path("comptexpert/retour/", signin.sso_callback, name="sso_callback"),
    path("mot-de-passe/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/envoye/", passwords.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("mot-de-passe/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("mot-de-passe/termine/", passwords.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invitation/<str:token>/", invitations.accept_invitation, name="accept_invitation"),
    path("conditions-generales/", terms.terms, name="terms"),
    path("conditions-generales/telecharger/", terms.terms_download, name="terms_download"),
    path("dossiers/<int:pk>/utilisateurs/", dossier_users.dossier_users, name="dossier_users"),
    path("dossiers/<int:pk>/utilisateurs/<int:membership_pk>/droits/", dossier_users.change_rights,
         name="dossier_user_rights"),
    path("dossiers/<int:pk>/utilisateurs/<int:membership_pk>/retirer/", dossier_users.remove_member,
         name="dossier_user_remove"),
    path("dossiers/<int:pk>/invitations/<int:invitation_pk>/annuler/", dossier_users.cancel_invitation,
         name="dossier_invitation_cancel"),
]
