"""What every page inside a dossier shows around its content: the dossier frame
of ``dossiers/home.html`` (top bar switcher, left menu)."""

from facturier.dossiers import access

SWITCHER_SIZE = 200  # as on the dossier home


def dossier_frame(request, dossier, active_menu):
    return {
        "dossier": dossier,
        "rights": access.dossier_rights(request.user, dossier),
        "switchable": access.openable_dossiers(request.user).only("pk", "name").order_by("name")[:SWITCHER_SIZE],
        "firm_membership": access.firm_memberships(request.user).filter(firm=dossier.firm).first(),
        "active_menu": active_menu,
    }
