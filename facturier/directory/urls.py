"""The Directory Service's operations, under ``<API_PREFIX>/directory-service/`` (see facturier/urls.py)."""

from django.urls import path

from facturier.directory import views

app_name = "directory"
urlpatterns = [
    path("v1/healthcheck", views.healthcheck, name="healthcheck"),
    path("v1/siren/search", views.search_siren, name="search_siren"),
    path("v1/siren/code-insee:<str:siren>", views.get_siren, name="siren"),
    path("v1/siret/search", views.search_siret, name="search_siret"),
    path("v1/siret/code-insee:<str:siret>", views.get_siret, name="siret"),
    path("v1/routing-code/search", views.search_routing_code, name="search_routing_code"),
    path("v1/routing-code/siret:<str:siret>/code:<path:routing_identifier>", views.get_routing_code,
         name="routing_code"),
    path("v1/directory-line/search", views.search_directory_line, name="search_directory_line"),
    path("v1/directory-line/code:<path:addressing_identifier>", views.get_directory_line, name="directory_line"),
]
