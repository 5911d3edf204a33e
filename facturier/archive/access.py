"""Who may open a dossier's archive: whoever may enter the dossier.

Its client users and the firm's staff who can open it (assigned staff, firm
admins), through ``dossiers.access``. Like the dossier itself, its archive
stays closed to everybody, the firm included, until it is activated; everyone
else gets 404.
"""

from django.http import Http404

from facturier.dossiers import access


def get_archive_dossier_or_404(user, dossier_id):
    if not user.is_authenticated:
        raise Http404
    return access.get_open_dossier_or_404(user, dossier_id)
