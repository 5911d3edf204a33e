from django.urls import path

from facturier.ereporting import views

app_name = "ereporting"
urlpatterns = [
    path("dossiers/<int:dossier_id>/e-reporting/", views.dossier_overview, name="dossier"),
    path("dossiers/<int:dossier_id>/e-reporting/profil-tva/", views.vat_profile, name="profile"),
    path("dossiers/<int:dossier_id>/e-reporting/preparer/", views.build_report, name="build"),
    path("dossiers/<int:dossier_id>/e-reporting/rapports/<int:pk>/", views.report_detail, name="report"),
    path("dossiers/<int:dossier_id>/e-reporting/rapports/<int:pk>/xml/", views.report_download, name="download"),
    path("dossiers/<int:dossier_id>/e-reporting/rapports/<int:pk>/envoyer/", views.report_send, name="send"),
    path("dossiers/<int:dossier_id>/e-reporting/particuliers/", views.b2c_days, name="b2c"),
    path("dossiers/<int:dossier_id>/e-reporting/particuliers/import/", views.b2c_upload, name="b2c_upload"),
    path("dossiers/<int:dossier_id>/e-reporting/particuliers/import/colonnes/", views.b2c_mapping,
         name="b2c_mapping"),
    path("cabinets/<int:firm_id>/e-reporting/", views.firm_overview, name="firm"),
]
