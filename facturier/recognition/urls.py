"""The review of recognised invoices (namespace "recognition")."""

from django.urls import path

from facturier.recognition import views

app_name = "recognition"
urlpatterns = [
    path("<int:dossier_id>/achats/reconnaissance/<int:pk>/", views.review, name="review"),
    path("<int:dossier_id>/achats/reconnaissance/<int:pk>/page-<int:number>.png", views.page_image, name="page"),
]
