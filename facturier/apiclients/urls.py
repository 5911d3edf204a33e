from django.urls import path

from facturier.apiclients import token
from facturier.apiclients.paths import api_route

app_name = "apiclients"
urlpatterns = [
    path(api_route("auth-service/token"), token.token, name="token"),
]
