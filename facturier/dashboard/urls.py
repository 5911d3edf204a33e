from django.urls import path

from facturier.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("<int:pk>/", views.home, name="home"),
    path("<int:dossier_id>/parametres/", views.dossier_settings, name="settings"),
]
