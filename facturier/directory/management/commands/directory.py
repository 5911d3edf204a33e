"""The facilities and routing codes at which a dossier receives, as the Directory Service lists them.

Every active dossier is listed at its SIREN without anything to declare. For finer addresses:

``facturier directory add-facility --dossier SIREN --siret SIRET [--name NAME] [--main]``
``facturier directory add-routing-code --siret SIRET --code CODE --name NAME [--type 0224]``
``facturier directory list --dossier SIREN`` prints the dossier's addressing identifiers.
``facturier directory remove ADDRESSING_IDENTIFIER`` removes a facility (with its codes) or a code.

Exit status 2 on a usage error (unknown dossier, invalid SIRET, duplicate).
"""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from facturier.directory.models import Facility, RoutingCode
from facturier.dossiers.models import Dossier
from facturier.identifiers import siret as valid_siret

USAGE = 2
ROUTING_IDENTIFIER = re.compile(r"(?!\s+$)[\-_/a-zA-Z0-9]{1,100}")  # the document's routingIdentifier pattern


def usage_error(message):
    return CommandError(message, returncode=USAGE)


class Command(BaseCommand):
    help = "Declare the facilities and routing codes at which a dossier receives invoices."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        facility = actions.add_parser("add-facility", help="Receive at a facility (SIREN_SIRET).")
        facility.add_argument("--dossier", metavar="SIREN", required=True)
        facility.add_argument("--siret", required=True)
        facility.add_argument("--name", default="")
        facility.add_argument("--main", action="store_true", help="The head office.")
        code = actions.add_parser("add-routing-code", help="Receive at a routing code (SIREN_SIRET_CODE).")
        code.add_argument("--siret", required=True)
        code.add_argument("--code", required=True)
        code.add_argument("--name", required=True)
        code.add_argument("--type", default="", help="The identifier's scheme (0224 GLN, 0088 ODETTE…).")
        listing = actions.add_parser("list", help="The dossier's addressing identifiers.")
        listing.add_argument("--dossier", metavar="SIREN", required=True)
        remove = actions.add_parser("remove", help="Remove a facility or a routing code.")
        remove.add_argument("addressing_identifier")

    def handle(self, *args, action, **options):
        return getattr(self, "do_" + action.replace("-", "_"))(**options)

    def dossier(self, siren):
        dossier = Dossier.objects.filter(siren=siren.replace(" ", "")).order_by("activated_at", "pk").first()
        if dossier is None:
            raise usage_error(_("Aucun dossier avec le SIREN %(siren)s.") % {"siren": siren})
        return dossier

    def do_add_facility(self, *, dossier, siret, name, main, **_options):
        dossier = self.dossier(dossier)
        number = valid_siret(siret)
        if not number or number[:9] != dossier.siren:
            raise usage_error(_("%(siret)s n'est pas un SIRET valide du SIREN %(siren)s.")
                              % {"siret": siret, "siren": dossier.siren})
        try:
            with transaction.atomic():
                Facility.objects.create(dossier=dossier, siret=number, name=name[:100], is_main=main)
        except IntegrityError:
            raise usage_error(_("L'établissement %(siret)s est déjà déclaré.") % {"siret": number}) from None
        self.stdout.write(f"{dossier.siren}_{number}")

    def do_add_routing_code(self, *, siret, code, name, type, **_options):
        facility = Facility.objects.filter(siret=siret.replace(" ", "")).select_related("dossier").first()
        if facility is None:
            raise usage_error(_("Aucun établissement déclaré avec le SIRET %(siret)s.") % {"siret": siret})
        if not ROUTING_IDENTIFIER.fullmatch(code):
            raise usage_error(_("Un code de routage compte 1 à 100 lettres, chiffres, -, _ ou /."))
        try:
            with transaction.atomic():
                RoutingCode.objects.create(facility=facility, identifier=code, name=name[:100],
                                           identifier_type=type[:4])
        except IntegrityError:
            raise usage_error(_("Ce code de routage est déjà déclaré.")) from None
        self.stdout.write(f"{facility.dossier.siren}_{facility.siret}_{code}")

    def do_list(self, *, dossier, **_options):
        dossier = self.dossier(dossier)
        self.stdout.write(dossier.siren)
        for facility in dossier.facilities.prefetch_related("routing_codes"):
            self.stdout.write(f"{dossier.siren}_{facility.siret}")
            for code in facility.routing_codes.all():
                self.stdout.write(f"{dossier.siren}_{facility.siret}_{code.identifier}")

    def do_remove(self, *, addressing_identifier, **_options):
        siren, _sep, rest = addressing_identifier.partition("_")
        siret, _sep, code = rest.partition("_")
        facilities = Facility.objects.filter(dossier__siren=siren, siret=siret)
        chosen = RoutingCode.objects.filter(facility__in=facilities, identifier=code) if code else facilities
        if not chosen.delete()[0]:
            raise usage_error(_("Rien n'est déclaré à l'adresse %(address)s.") % {"address": addressing_identifier})
