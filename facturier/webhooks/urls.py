from django.urls import path

from facturier.apiclients.paths import api_route
from facturier.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path(api_route("flow-service/v1/webhooks"), views.webhooks, name="webhooks"),
    path(api_route("flow-service/v1/webhooks/<str:uid>"), views.webhook, name="webhook"),
]
