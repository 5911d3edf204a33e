from django.urls import path

from facturier.accounts.views import passwords, signin, terms, two_factor

app_name = "accounts"
urlpatterns = [
    path("connexion/", signin.login, name="login"),
    path("connexion/code/", two_factor.login_code, name="login_code"),
    path("securite/", two_factor.security, name="security"),
    path("deconnexion/", signin.logout, name="logout"),
    path("mot-de-passe/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/envoye/", passwords.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("mot-de-passe/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("mot-de-passe/termine/", passwords.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("conditions-generales/", terms.terms, name="terms"),
    path("conditions-generales/telecharger/", terms.terms_download, name="terms_download"),
]
