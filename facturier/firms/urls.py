from django.urls import path

from facturier.firms import views

app_name = "firms"
urlpatterns = [
    path("", views.index, name="index"),
    path("conditions/accepter/", views.accept, name="accept_terms"),
    path("<int:firm_id>/clients/", views.clients, name="clients"),
    path("<int:firm_id>/tableau-de-bord/", views.staff_dashboard, name="staff_dashboard"),
    path("<int:firm_id>/collaborateurs/", views.team, name="team"),
    path("<int:firm_id>/collaborateurs/<int:user_id>/administrateur/", views.set_admin, name="set_admin"),
    path("<int:firm_id>/journal/", views.audit_trail, name="audit"),
]
