"""Where the dossiers receive their invoices, as the reform's directory (annuaire) lists it.

Every active dossier with a SIREN receives at its SIREN (addressing identifier ``SIREN``). A
dossier may also receive at some of its facilities (``SIREN_SIRET``) and, inside a facility,
at routing codes (``SIREN_SIRET_CodeRoutage``: a service code, a GLN, an internal code):
those are the rows below. The directory lines are derived from them, never stored apart.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Facility(models.Model):
    """An establishment (SIRET) of a dossier's company at which it receives invoices."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="facilities")
    siret = models.CharField(_("SIRET"), max_length=14, unique=True)
    name = models.CharField(_("nom"), max_length=100, blank=True)
    is_main = models.BooleanField(_("siège"), default=False)

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["siret"]

    def __str__(self):
        return self.siret


class RoutingCode(models.Model):
    """A routing code inside a facility: a finer address (a department, a service)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="routing_codes")
    identifier = models.CharField(_("code de routage"), max_length=100)
    name = models.CharField(_("nom"), max_length=100)
    # The scheme of the identifier when it has one (0224 GLN, 0088 ODETTE…); blank for an internal code.
    identifier_type = models.CharField(max_length=4, blank=True)

    class Meta:
        verbose_name = _("code de routage")
        verbose_name_plural = _("codes de routage")
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "identifier"], name="one_routing_code_per_facility"),
        ]

    def __str__(self):
        return self.identifier
