from django.urls import path

from facturier.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("code-source/", views.source, name="source"),
]
