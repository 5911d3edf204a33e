from django.urls import path

from facturier.registry import views

app_name = "registry"
urlpatterns = [
    path("entreprises/<str:siren>.json", views.company, name="company"),
]
