from django.urls import path

from facturier.apiclients import token, views
from facturier.apiclients.paths import api_route

app_name = "apiclients"
urlpatterns = [
    path(api_route("auth-service/token"), token.token, name="token"),
    path("dossiers/<int:dossier_id>/parametres/api/", views.dossier_clients, name="dossier_clients"),
    path("dossiers/<int:dossier_id>/parametres/api/<int:pk>/revoquer/", views.revoke, name="revoke"),
]
