"""What every page of a firm's space shows around its content: the left menu."""

from facturier.dossiers.models import Dossier


def firm_frame(membership, active):
    """Template context for ``firms/frame.html``.

    The firm's own dossier sits at the top of the left menu with its free
    invoices counter (seed page 8).
    """
    own = (
        Dossier.objects.filter(firm_id=membership.firm_id, is_firm_own=True)
        .only("pk", "name", "status", "free_invoices", "firm_id")
        .first()
    )
    return {"membership": membership, "firm": membership.firm, "own_dossier": own, "active_menu": active}
