"""The registry as the rest of the platform sees it: two cached questions.

    lookup_company(siren) -> CompanyRecord | None
    insolvency_proceedings(siren) -> list[Proceeding]

Which registry answers is a setting: ``REGISTRY_PROVIDERS`` lists the
providers' dotted paths in order of preference, and each question goes to the
first one that answers it and is configured (by default a local JSON file when
``REGISTRY_LOCAL_FILE`` is set (demo, offline), otherwise the INSEE API Sirene
when ``REGISTRY_INSEE_KEY`` is set, otherwise the API Recherche d'entreprises;
BODACC for proceedings). Answers are cached for
``REGISTRY_CACHE_SECONDS``; "not found" for less, since a company being
created appears in SIRENE within days. Outages raise ``RegistryUnavailable``
and are never cached.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from facturier.identifiers import InvalidIdentifier, validate_siren
from facturier.registry.exceptions import InvalidSiren
from facturier.registry.providers.base import CompanyProvider, ProceedingsProvider

NOT_FOUND = "not-found"


def company_provider():
    return configured_provider(CompanyProvider)


def proceedings_provider():
    return configured_provider(ProceedingsProvider)


def configured_provider(interface):
    for path in settings.REGISTRY_PROVIDERS:
        provider = import_string(path)
        if issubclass(provider, interface) and provider.is_configured():
            return provider()
    raise ImproperlyConfigured(f"No configured {interface.__name__} in REGISTRY_PROVIDERS.")


def lookup_company(siren):
    """The company registered under ``siren``, or None when SIRENE does not know it."""
    siren = checked_siren(siren)
    provider = company_provider()
    key = f"registry:company:{provider.name}:{siren}"
    cached = cache.get(key)
    if cached is not None:
        return None if cached == NOT_FOUND else cached
    record = provider.lookup_company(siren)
    if record is None:
        cache.set(key, NOT_FOUND, not_found_seconds())
    else:
        cache.set(key, record, settings.REGISTRY_CACHE_SECONDS)
    return record


def insolvency_proceedings(siren):
    """The collective proceedings published about the company, most recent first."""
    siren = checked_siren(siren)
    provider = proceedings_provider()
    key = f"registry:proceedings:{provider.name}:{siren}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    proceedings = provider.insolvency_proceedings(siren)
    cache.set(key, tuple(proceedings), settings.REGISTRY_CACHE_SECONDS if proceedings else not_found_seconds())
    return proceedings


def checked_siren(siren):
    try:
        return validate_siren(siren)
    except InvalidIdentifier as error:
        raise InvalidSiren(str(error.message)) from None


def not_found_seconds():
    return min(settings.REGISTRY_NOT_FOUND_CACHE_SECONDS, settings.REGISTRY_CACHE_SECONDS)
