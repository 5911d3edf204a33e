"""API clients for scripts and operators.

``facturier api-client create --dossier SIREN [--dossier SIREN ...] --name NAME [--rights RIGHTS]``
prints the new client's id and secret, once (``--json`` for scripts). Several ``--dossier``
make a firm's integration (same firm only); ``--firm SIREN`` picks the firm when a SIREN is
kept by several. ``--rights`` is a comma-separated list of ``issue_sales``, ``handle_purchases``,
``set_statuses``; without it the client only reads the directory.

``facturier api-client list [--dossier SIREN]`` and ``facturier api-client revoke CLIENT_ID``
do the rest. Exit status 2 on a usage error (unknown SIREN, unknown right, unknown client).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from facturier.apiclients.audit import client_detail
from facturier.apiclients.models import RIGHTS, ApiClient
from facturier.audit.models import AuditAction, record
from facturier.dossiers.models import Dossier

USAGE = 2


def right_names(value):
    """``can_issue_sales`` etc. from ``issue_sales,set_statuses`` (the ``can_`` prefix is optional)."""
    names = [name.strip() for name in (value or "").split(",") if name.strip()]
    rights = [name if name.startswith("can_") else f"can_{name}" for name in names]
    unknown = [name for name, right in zip(names, rights, strict=True) if right not in RIGHTS]
    if unknown:
        raise CommandError(_("Droits inconnus : %(unknown)s (possibles : %(known)s).") % {
            "unknown": ", ".join(unknown), "known": ", ".join(r.removeprefix("can_") for r in RIGHTS)},
            returncode=USAGE)
    return {right: right in rights for right in RIGHTS}


class Command(BaseCommand):
    help = "Create, list and revoke API clients (the standard platform API)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create a client and print its id and secret (shown once).")
        create.add_argument("--dossier", metavar="SIREN", action="append", required=True,
                            help="A dossier the client acts for (repeat for a firm's integration).")
        create.add_argument("--firm", metavar="SIREN", help="The firm, when a dossier SIREN is kept by several.")
        create.add_argument("--name", required=True, help="The software's name, shown in the audit trail.")
        create.add_argument("--rights", default="", help="Comma-separated: issue_sales,handle_purchases,set_statuses.")
        create.add_argument("--json", dest="as_json", action="store_true", help="Print the id and secret as JSON.")
        listing = actions.add_parser("list", help="List the clients (of one dossier with --dossier).")
        listing.add_argument("--dossier", metavar="SIREN")
        revoke = actions.add_parser("revoke", help="Revoke a client: its tokens stop working at once.")
        revoke.add_argument("client_id")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def do_create(self, *, dossier, firm, name, rights, as_json, **_options):
        rights = right_names(rights)
        dossiers = [self.dossier(siren, firm) for siren in dossier]
        if len({d.firm_id for d in dossiers}) > 1:
            raise CommandError(_("Les dossiers d'un même client doivent appartenir au même cabinet."),
                               returncode=USAGE)
        with transaction.atomic():
            client, secret = ApiClient.issue(name=name, dossiers=dossiers, **rights)
            for each in dossiers:
                record(None, AuditAction.API_CLIENT_CREATED, dossier=each, target=client.name, rights=client.rights,
                       command_line=True, **client_detail(client))
        if as_json:
            self.stdout.write(json.dumps({"client_id": client.client_id, "client_secret": secret}))
            return
        self.stdout.write(f"client_id: {client.client_id}")
        self.stdout.write(f"client_secret: {secret}")
        self.stdout.write(_("Le secret n'est affiché qu'une fois : conservez-le maintenant."))
        inactive = [d.siren for d in dossiers if not d.is_open]
        if inactive:
            self.stderr.write(_("Dossiers pas encore actifs (le client y aura accès à leur activation) : %(s)s")
                              % {"s": ", ".join(inactive)})

    def dossier(self, siren, firm):
        dossiers = Dossier.objects.filter(siren=siren.replace(" ", "")).select_related("firm")
        if firm:
            dossiers = dossiers.filter(firm__siren=firm.replace(" ", ""))
        found = list(dossiers[:2])
        if not found:
            raise CommandError(_("Aucun dossier avec le SIREN %(siren)s.") % {"siren": siren}, returncode=USAGE)
        if len(found) > 1:
            raise CommandError(_("Plusieurs cabinets tiennent le dossier %(siren)s : précisez --firm SIREN.")
                               % {"siren": siren}, returncode=USAGE)
        return found[0]

    def do_list(self, *, dossier, **_options):
        clients = ApiClient.objects.prefetch_related("dossiers").order_by("created_at", "pk")
        if dossier:
            clients = clients.filter(dossiers__siren=dossier.replace(" ", "")).distinct()
        for client in clients:
            self.stdout.write("\t".join([
                client.client_id, client.name, ",".join(d.siren or str(d.pk) for d in client.dossiers.all()),
                ",".join(r.removeprefix("can_") for r in client.rights) or "-",
                f"created={client.created_at:%Y-%m-%dT%H:%M:%SZ}",
                f"last_used={client.last_used_at:%Y-%m-%dT%H:%M:%SZ}" if client.last_used_at else "last_used=-",
                f"revoked={client.revoked_at:%Y-%m-%dT%H:%M:%SZ}" if client.revoked_at else "active",
            ]))

    def do_revoke(self, *, client_id, **_options):
        client = ApiClient.objects.filter(client_id=client_id).first()
        if client is None:
            raise CommandError(_("Aucun client de l'API avec l'identifiant %(id)s.") % {"id": client_id},
                               returncode=USAGE)
        with transaction.atomic():
            if not client.revoke():
                self.stdout.write(_("Ce client était déjà révoqué."))
                return
            for each in client.dossiers.all():
                record(None, AuditAction.API_CLIENT_REVOKED, dossier=each, target=client.name, command_line=True,
                       **client_detail(client))
        self.stdout.write(_("Client « %(name)s » révoqué.") % {"name": client.name})
