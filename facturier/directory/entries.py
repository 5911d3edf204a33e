"""What the directory lists: the legal units, facilities, routing codes and directory lines of the
active dossiers, as querysets the searches narrow.

A SIREN held by two active dossiers (the same company kept by two firms) is listed once, for
the dossier that became active first: the one the platform delivers to (``exchange``). A
facility (its SIRET declared once on the platform) is listed with the dossier that declared it.
"""

from django.db.models import BigIntegerField, CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

from facturier.directory.models import Facility, RoutingCode
from facturier.dossiers.models import Dossier, DossierStatus


def legal_units():
    """The dossiers the directory lists, one per SIREN."""
    active = Dossier.objects.filter(status=DossierStatus.ACTIVE).exclude(siren="")
    earlier = active.filter(siren=OuterRef("siren")).filter(
        Q(activated_at__lt=OuterRef("activated_at")) | Q(activated_at=OuterRef("activated_at"), pk__lt=OuterRef("pk"))
    )
    return active.exclude(Exists(earlier))


def legal_unit(siren):
    """The dossier the directory lists for ``siren`` (as a queryset of it): ``legal_units`` for one SIREN,
    cheaper than their subquery."""
    first = (Dossier.objects.filter(status=DossierStatus.ACTIVE, siren=siren).order_by("activated_at", "pk")
             .values("pk")[:1])
    return Dossier.objects.filter(pk__in=first)


def facilities():
    """The facilities of active dossiers (a SIRET is declared once, for one dossier)."""
    return Facility.objects.filter(dossier__status=DossierStatus.ACTIVE).exclude(dossier__siren="").select_related(
        "dossier")


def routing_codes():
    return RoutingCode.objects.filter(facility__dossier__status=DossierStatus.ACTIVE).exclude(
        facility__dossier__siren="").select_related("facility", "facility__dossier")


def _text(value):
    return Value(value, output_field=CharField())


def _no_id():
    """A typed NULL: PostgreSQL unites the kinds' columns only when their types agree."""
    return Cast(Value(None), output_field=BigIntegerField())


LINE_COLUMNS = ("addressing_identifier", "line_siren", "line_siret", "line_routing", "line_dossier", "line_facility",
                "line_code")


def directory_lines():
    """The three kinds of directory line (``SIREN``, ``SIREN_SIRET``, ``SIREN_SIRET_CodeRoutage``) as
    querysets with the same columns (``LINE_COLUMNS``), to filter each and then unite."""
    units = legal_units().annotate(
        addressing_identifier=F("siren"), line_siren=F("siren"), line_siret=_text(""), line_routing=_text(""),
        line_dossier=F("pk"), line_facility=_no_id(), line_code=_no_id(),
    )
    sites = facilities().annotate(
        addressing_identifier=Concat("dossier__siren", _text("_"), "siret", output_field=CharField()),
        line_siren=F("dossier__siren"), line_siret=F("siret"), line_routing=_text(""),
        line_dossier=F("dossier_id"), line_facility=F("pk"), line_code=_no_id(),
    )
    codes = routing_codes().annotate(
        addressing_identifier=Concat("facility__dossier__siren", _text("_"), "facility__siret", _text("_"),
                                     "identifier", output_field=CharField()),
        line_siren=F("facility__dossier__siren"), line_siret=F("facility__siret"), line_routing=F("identifier"),
        line_dossier=F("facility__dossier_id"), line_facility=F("facility_id"), line_code=F("pk"),
    )
    return [units, sites, codes]
