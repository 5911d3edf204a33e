"""Errors in the ``Error`` schema of the XP Z12-013 documents (both services share it).

Views raise ``ApiError`` anywhere; the guard (``guard.api_view``) answers it with ``api_error``.
``errorMessage`` is for the client's developer; it never says whether another tenant's data exists.
"""

from django.http import JsonResponse

# The codes the documents' examples use, one per status.
DEFAULT_CODES = {
    400: "MISSING_REQUIRED_FIELD",
    401: "MISSING_TOKEN",
    403: "FORBIDDEN_ACCESS",
    404: "MISSING_RESOURCE",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    413: "FILE_SIZE_EXCEEDED",
    422: "UNPROCESSABLE_ENTITY",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_ERROR",
    501: "NOT_IMPLEMENTED",
    503: "RESOURCE_ERROR",
}


class ApiError(Exception):
    """An answer in the ``Error`` format, raised from inside an API view."""

    def __init__(self, status, code=None, message=None, *, details=None, headers=None):
        super().__init__(message or code or str(status))
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers or {}

    def response(self):
        return api_error(self.status, self.code, self.message, details=self.details, headers=self.headers)


def api_error(status, code=None, message=None, *, details=None, instance=None, headers=None):
    """A JSON response in the ``Error`` schema: ``errorCode`` always, the other members when known."""
    body = {"errorCode": code or DEFAULT_CODES.get(status, "ERROR")}
    if message:
        body["errorMessage"] = str(message)
    if details:
        body["details"] = str(details)
    if instance:
        body["instance"] = str(instance)
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response
