from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from facturier.openapi.documents import served


@require_GET
@cache_control(public=True, max_age=3600)
def document(request, service):
    """The OpenAPI document of a service, public like the official one it follows."""
    return JsonResponse(served(service), json_dumps_params={"ensure_ascii": False})
