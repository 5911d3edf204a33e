from django.urls import path

from facturier.accredited.receiving import views

app_name = "accredited_receiving"
urlpatterns = [
    path("plateformes/rappel/<uuid:token>/", views.webhook, name="webhook"),
]
