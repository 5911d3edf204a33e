"""The SIREN look-up behind the client form's autofill."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from facturier.firms.access import firm_memberships
from facturier.registry.exceptions import InvalidSiren, RegistryUnavailable
from facturier.registry.service import lookup_company

EMPTY = {"name": "", "address": "", "postal_code": "", "city": "", "country": "", "vat_number": ""}


@require_GET
@login_required
def company(request, siren):
    """Answer what SIRENE knows; when it cannot answer, say so and let the form work by hand."""
    if not firm_memberships(request.user).filter(firm__terms_accepted_at__isnull=False).exists():
        raise Http404
    try:
        record = lookup_company(siren)
    except InvalidSiren as error:
        return JsonResponse({"found": False, **EMPTY, "warning": str(error)}, status=400)
    except RegistryUnavailable:
        warning = _("La base SIRENE ne répond pas pour le moment : complétez la fiche à la main.")
        return JsonResponse({"found": False, **EMPTY, "warning": warning})
    if record is None:
        warning = _("Ce SIREN est introuvable dans la base SIRENE.")
        return JsonResponse({"found": False, **EMPTY, "warning": warning})
    return JsonResponse({
        "found": True,
        "name": record.name,
        "address": record.address,
        "postal_code": record.postal_code,
        "city": record.city,
        "country": record.country,
        "vat_number": record.vat_number,
        "warning": closed_warning(record),
    })


def closed_warning(record):
    if not record.is_closed:
        return ""
    if record.closed_on is None:
        return _("Cette entreprise est fermée.")
    return _("Cette entreprise est fermée depuis le %(date)s.") % {"date": record.closed_on.strftime("%d/%m/%Y")}
