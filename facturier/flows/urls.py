from django.urls import path

from facturier.flows import views

app_name = "flows"
urlpatterns = [
    path("v1/flows", views.create_flow, name="create"),
    path("v1/flows/search", views.search_flows, name="search"),
    path("v1/flows/<str:flow_id>", views.get_flow, name="flow"),
    path("v1/healthcheck", views.healthcheck, name="healthcheck"),
]
