"""The audit trail of what API clients do: the same trail as people's, naming the client.

An API client is no person, so the event has no actor; its name and public id are in the
event's detail (``api_client``, ``api_client_id``), which the audit page shows as "who".
"""

from facturier.audit.models import record


def client_detail(client):
    return {"api_client": client.name, "api_client_id": client.client_id}


def record_api_action(request, action, *, target="", dossier=None, **detail):
    """Record ``action`` done by the request's API client in its dossier (or in ``dossier``)."""
    request_id = getattr(request, "api_request_id", "")
    if request_id:
        detail.setdefault("request_id", request_id)
    return record(None, action, dossier=dossier or request.api_dossier, target=target,
                  **client_detail(request.api_client), **detail)
