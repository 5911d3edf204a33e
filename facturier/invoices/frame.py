"""What every page inside a dossier shows around its content: the dossier frame
of ``dossiers/home.html`` (top bar switcher and settings gear, left menu)."""

from django.urls import reverse

from facturier.dashboard.views import may_open_settings
from facturier.dossiers import access

SWITCHER_SIZE = 200  # as on the dossier home


def dossier_frame(request, dossier, active_menu):
    rights = access.dossier_rights(request.user, dossier)
    settings_url = reverse("dashboard:settings", args=[dossier.pk]) if may_open_settings(rights) else None
    return {
        "dossier": dossier,
        "rights": rights,
        "switchable": access.openable_dossiers(request.user).only("pk", "name").order_by("name")[:SWITCHER_SIZE],
        "firm_membership": access.firm_memberships(request.user).filter(firm=dossier.firm).first(),
        "dashboard": {"settings_url": settings_url},
        "active_menu": active_menu,
    }
