"""Who may see and act on a dossier's accounting pages.

Within a dossier the person can open (``dossiers.access``: assigned staff with
the delegation, firm admins, the dossier's client users):

- seeing "Attente intégration" and downloading the CSV or past exports: firm
  staff, and client users who handle purchases or issue sales, or manage users;
- exporting, undoing an export and changing the accounting settings: firm staff,
  and client users who manage the dossier's users (the owner).

Outside the dossier: 404. Inside it without the right: 403.
"""

from django.core.exceptions import PermissionDenied

from facturier.dossiers import access


def get_ledger_dossier(user, dossier_id, *, to_act=False):
    """The dossier and the person's rights in it, or 404 / 403."""
    dossier = access.get_open_dossier_or_404(user, dossier_id)
    rights = access.dossier_rights(user, dossier)
    if not (can_act(rights) if to_act else can_see(rights)):
        raise PermissionDenied
    return dossier, rights


def can_see(rights):
    return rights.is_firm_side or rights.can_manage_users or rights.can_handle_purchases or rights.can_issue_sales


def can_act(rights):
    return rights.is_firm_side or rights.can_manage_users
