from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView, TemplateView

from facturier.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("code-source/", views.source, name="source"),
    # The footer's pages, open to anyone (the terms of use are accounts:terms).
    path("vie-privee/", TemplateView.as_view(template_name="web/pages/privacy.html"), name="privacy"),
    path("securite/", TemplateView.as_view(template_name="web/pages/security.html"), name="security"),
    path("aide/", TemplateView.as_view(template_name="web/pages/help.html"), name="help"),
    # Browsers and feed readers ask for it whatever the page's <link rel="icon"> says.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"))),
]
