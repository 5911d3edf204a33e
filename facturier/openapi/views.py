from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from facturier.apiclients.errors import api_error
from facturier.openapi.documents import served


@require_GET
@cache_control(public=True, max_age=3600)
def document(request, service):
    """The OpenAPI document of a service, public like the official one it follows."""
    return JsonResponse(served(service), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def unknown_operation(request, path=""):
    """Any other URL under a service's prefix: the documents' 404, in their ``Error`` format, not a page.

    Also catches what no route of the services can match, such as an identifier holding a line break.
    """
    return api_error(404, message="No operation of the service at this URL")
