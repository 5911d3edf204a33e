"""API clients: the software allowed to use a dossier through the standard platform API.

What the API's services use:
- ``guard.api_view(right=None, methods=("GET",), needs_dossier=True)`` wraps a function view
  (CSRF-exempt); the view finds ``request.api_client`` (``models.ApiClient``),
  ``request.api_dossier`` and ``request.api_request_id``; it raises ``errors.ApiError`` (or
  Http404 / PermissionDenied) for any refusal, answered in the spec's ``Error`` format.
- Rights (``models.RIGHTS``): ``can_issue_sales``, ``can_handle_purchases``, ``can_set_statuses``.
- ``audit.record_api_action(request, AuditAction.X, target=..., **detail)`` records an action
  with the client's name.
- ``paths.api_route("flow-service/")`` mounts a service under ``settings.API_PREFIX``.
- ``testing.make_api_client`` / ``testing.bearer_headers`` for tests.
"""
