from django.urls import path

from facturier.accredited.receiving import views

app_name = "accredited_receiving"
urlpatterns = [
    path("plateformes/rappel/<uuid:token>/", views.webhook, name="webhook"),
    path("dossiers/<int:dossier_id>/parametres/plateforme/flux-recus/", views.received_flows, name="received_flows"),
    path("dossiers/<int:dossier_id>/parametres/plateforme/flux-recus/<int:pk>/reprendre/", views.retry_received_flow,
         name="retry"),
]
