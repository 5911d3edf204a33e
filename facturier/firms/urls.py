from django.urls import path

app_name = "firms"
urlpatterns = []
