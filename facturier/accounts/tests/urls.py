"""The platform's URLs for the accounts tests.

The dossier home page (``dossiers:home``) belongs to the dossiers app; until it
exists, a stand-in that applies the same access rule takes its place, so the
tests can follow the redirect of an accepted invitation.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from facturier.dossiers.access import get_open_dossier_or_404
from facturier.urls import urlpatterns as platform_urlpatterns


def _platform_has_dossier_home():
    try:
        reverse("dossiers:home", args=[1], urlconf="facturier.urls")
    except NoReverseMatch:
        return False
    return True


@login_required
def dossier_home_stand_in(request, pk):
    dossier = get_open_dossier_or_404(request.user, pk)
    return HttpResponse(f"<h1>{dossier.name}</h1>")


urlpatterns = list(platform_urlpatterns)
if not _platform_has_dossier_home():
    urlpatterns = [pattern for pattern in urlpatterns if getattr(pattern, "namespace", None) != "dossiers"]
    urlpatterns.append(
        path("dossiers/", include(([path("<int:pk>/", dossier_home_stand_in, name="home")], "dossiers")))
    )
