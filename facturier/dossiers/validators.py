"""Checks on the identifiers of a company, shared by the client form and the import.

Each validator takes the raw text and returns it normalised, or raises a
ValidationError whose message the user reads.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import tva as stdnum_tva


def clean_siren(value):
    """Nine digits with a valid Luhn key (La Poste's SIREN follows its own rule)."""
    number = stdnum_siren.compact(value or "")
    if not number.isdigit() or len(number) != 9:
        raise ValidationError(_("Le SIREN doit comporter 9 chiffres."), code="siren_format")
    if not stdnum_siren.is_valid(number):
        raise ValidationError(_("Ce SIREN n'est pas valide (clé de contrôle incorrecte)."), code="siren_key")
    return number


def clean_vat_number(value, siren=""):
    """A French VAT number must carry the key computed from the company's SIREN."""
    number = "".join((value or "").split()).replace(".", "").upper()
    if not number:
        return ""
    if number.startswith("FR"):
        number = "FR" + stdnum_tva.compact(number)  # also drops the hyphens people type
        if not stdnum_tva.is_valid(number):
            raise ValidationError(_("Ce numéro de TVA n'est pas valide."), code="vat_invalid")
        if siren and number[4:] != siren:
            raise ValidationError(_("Ce numéro de TVA ne correspond pas au SIREN %(siren)s.") % {"siren": siren},
                                  code="vat_siren_mismatch")
    elif len(number) < 4 or not number[:2].isalpha():
        raise ValidationError(_("Un numéro de TVA commence par le code du pays (FR, BE, …)."), code="vat_format")
    return number


def clean_iban(value):
    """IBAN with its ISO check digits and, where the country has one, its national check."""
    text = (value or "").replace(" ", "").upper()
    if not text:
        return ""
    try:
        return str(IBAN(text, validate_bban=True))
    except SchwiftyException:
        raise ValidationError(_("Cet IBAN n'est pas valide."), code="iban_invalid") from None


def clean_bic(value):
    text = (value or "").replace(" ", "").upper()
    if not text:
        return ""
    try:
        return str(BIC(text))
    except SchwiftyException:
        raise ValidationError(_("Ce BIC n'est pas valide."), code="bic_invalid") from None
