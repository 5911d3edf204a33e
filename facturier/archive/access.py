"""Who may open a dossier's archive.

Its client users and the firm's staff who can open the dossier (assigned staff,
firm admins), through ``dossiers.access``; and, from the firm's client list, the
firm members who list the dossier there (admins: every dossier of the firm;
staff: theirs), even before the dossier is activated. Everyone else gets 404.
"""

from django.http import Http404

from facturier.dossiers import access
from facturier.dossiers.models import Dossier


def get_archive_dossier_or_404(user, dossier_id):
    if not user.is_authenticated:
        raise Http404
    try:
        return access.get_open_dossier_or_404(user, dossier_id)
    except Http404:
        pass
    firm_id = Dossier.objects.filter(pk=dossier_id).values_list("firm_id", flat=True).first()
    if firm_id is None:
        raise Http404
    membership = access.get_firm_membership_or_404(user, firm_id)
    return access.get_listed_dossier_or_404(membership, dossier_id)
