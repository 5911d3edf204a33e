from django.http import HttpResponse


def accept_invitation(request, token):
    """Replaced by the onboarding page (accounts issue work)."""
    return HttpResponse(status=501)
