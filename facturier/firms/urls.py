from django.urls import path

from facturier.firms import sso, views

app_name = "firms"
urlpatterns = [
    path("comptexpert/", sso.sso_start, name="sso_start"),
    path("comptexpert/retour/", sso.sso_callback, name="sso_callback"),
    path("conditions/accepter/", views.accept, name="accept_terms"),
    path("<int:firm_id>/collaborateurs/", views.team, name="team"),
    path("<int:firm_id>/collaborateurs/<int:user_id>/administrateur/", views.set_admin, name="set_admin"),
    path("<int:firm_id>/double-authentification/", views.set_two_factor, name="set_two_factor"),
    path("<int:firm_id>/journal/", views.audit_trail, name="audit"),
]
