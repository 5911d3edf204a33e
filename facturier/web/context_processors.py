from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def platform(request):
    return {
        "platform_version": settings.VERSION,
        "source_url": settings.SOURCE_URL or reverse("web:source"),
        "support": {"phone": settings.SUPPORT_PHONE, "email": settings.SUPPORT_EMAIL,
                    "hours": settings.SUPPORT_HOURS or _("Du lundi au vendredi, de 9 h à 18 h (heure de Paris).")},
    }
