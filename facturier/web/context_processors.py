from django.conf import settings


def platform(request):
    return {
        "platform_version": settings.VERSION,
        "support": {"phone": settings.SUPPORT_PHONE, "email": settings.SUPPORT_EMAIL, "hours": settings.SUPPORT_HOURS},
    }
