"""Checks on the identifiers of a company, shared by the client form and the import.

SIREN and VAT rules live in ``facturier.identifiers``; these wrap them for forms.

Each validator takes the raw text and returns it normalised, or raises a
ValidationError whose message the user reads.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from facturier import identifiers


def clean_siren(value):
    try:
        return identifiers.validate_siren(value)
    except identifiers.InvalidIdentifier as error:
        raise ValidationError(error.message, code=error.code) from None


def clean_vat_number(value, siren=""):
    if not "".join((value or "").split()):
        return ""
    try:
        return identifiers.validate_vat_number(value, siren)
    except identifiers.InvalidIdentifier as error:
        raise ValidationError(error.message, code=error.code) from None


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
