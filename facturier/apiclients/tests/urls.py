"""A URLconf with one guarded view per kind of guard, to test the guard alone (the services' own
tests cover their operations)."""

from django.http import JsonResponse
from django.urls import include, path

from facturier.apiclients.errors import ApiError
from facturier.apiclients.guard import api_view


def whoami(request):
    if request.GET.get("fail") == "bad-input":
        raise ApiError(422, "UNPROCESSABLE_ENTITY", "bad input")
    if request.GET.get("fail") == "read-body":
        request.POST  # noqa: B018  (reading the form is what may fail)
    if request.GET.get("fail") == "bug":
        raise RuntimeError("a bug")
    return JsonResponse({"client": request.api_client.client_id,
                         "dossier": request.api_dossier.siren if request.api_dossier else None})


urlpatterns = [
    path("", include("facturier.urls")),
    path("test-api/whoami", api_view()(whoami), name="whoami"),
    path("test-api/sales", api_view("can_issue_sales", methods=("GET", "POST"))(whoami), name="sales"),
    path("test-api/platform", api_view(needs_dossier=False)(whoami), name="platform"),
]
