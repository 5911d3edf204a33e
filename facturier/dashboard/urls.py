"""The home pages: a person's firms, a firm's client list and staff dashboard, a dossier's home
and settings (namespace "dashboard"; mounted at the site root)."""

from django.urls import path

from facturier.dashboard import dossier_views, firm_views

app_name = "dashboard"
urlpatterns = [
    path("cabinets/", firm_views.firms, name="firms"),
    path("cabinets/<int:firm_id>/clients/", firm_views.clients, name="clients"),
    path("cabinets/<int:firm_id>/tableau-de-bord/", firm_views.staff_dashboard, name="staff"),
    path("dossiers/<int:pk>/", dossier_views.home, name="home"),
    path("dossiers/<int:dossier_id>/parametres/", dossier_views.dossier_settings, name="settings"),
]
