from django.conf import settings
from django.urls import reverse


def platform(request):
    return {
        "platform_version": settings.VERSION,
        "source_url": settings.SOURCE_URL or reverse("web:source"),
        "support": {"phone": settings.SUPPORT_PHONE, "email": settings.SUPPORT_EMAIL, "hours": settings.SUPPORT_HOURS},
    }
