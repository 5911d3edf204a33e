"""The interfaces every registry implements, and the HTTP plumbing they share."""

import logging

import httpx

from facturier.registry.exceptions import RegistryUnavailable

logger = logging.getLogger(__name__)


class Provider:
    """One registry of ``settings.REGISTRY_PROVIDERS``."""

    name = "registry"

    @classmethod
    def is_configured(cls):
        """Whether the settings let this registry answer (a key, a file); the first configured one answers."""
        return True


class CompanyProvider(Provider):
    """Knows companies by SIREN (SIRENE or a stand-in)."""

    name = "company"

    def lookup_company(self, siren):
        """The company's ``CompanyRecord``, or None when the registry does not know it.

        Raises ``RegistryUnavailable`` when the registry cannot answer.
        """
        raise NotImplementedError


class ProceedingsProvider(Provider):
    """Knows the collective proceedings (insolvency) published about a company."""

    name = "proceedings"

    def insolvency_proceedings(self, siren):
        """The company's ``Proceeding`` list, most recent first (empty when none)."""
        raise NotImplementedError


class JSONClient:
    """GET JSON from one service with a timeout and one retry.

    Connection errors are retried by the transport, a 5xx answer once here;
    everything that means "the service could not answer" becomes
    ``RegistryUnavailable``, so callers have one thing to catch.
    """

    retries = 1

    def __init__(self, base_url, *, timeout, headers=None, service="registry"):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.headers = headers or {}
        self.service = service

    def get(self, path, params=None):
        """The decoded JSON body, or None on 404 (unknown to the service)."""
        transport = httpx.HTTPTransport(retries=self.retries)
        with httpx.Client(base_url=self.base_url, timeout=self.timeout, headers=self.headers,
                          transport=transport) as client:
            for attempt in range(self.retries + 1):
                response = self._send(client, path, params)
                if response.status_code < 500 or attempt == self.retries:
                    break
        return self._decode(response)

    def _send(self, client, path, params):
        try:
            return client.get(path, params=params)
        except httpx.HTTPError as error:
            logger.warning("%s unreachable: %r", self.service, error)
            raise RegistryUnavailable(f"{self.service}: {type(error).__name__}") from error

    def _decode(self, response):
        if response.status_code == 404:
            return None
        if response.status_code == 429 or response.status_code >= 500:
            raise RegistryUnavailable(f"{self.service}: HTTP {response.status_code}")
        if response.status_code != 200:
            raise RegistryUnavailable(f"{self.service}: unexpected HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as error:
            raise RegistryUnavailable(f"{self.service}: malformed JSON") from error
