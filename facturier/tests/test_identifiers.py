"""One reading of SIREN, SIRET, VAT numbers and electronic addresses for the whole platform."""

import pytest

from facturier import identifiers
from facturier.identifiers import InvalidIdentifier


@pytest.mark.parametrize("text, expected", [
    ("732829320", "732829320"),
    (" 732 829 320 ", "732829320"),
    ("356000000", "356000000"),  # La Poste
    ("732829321", ""),  # wrong key
    ("73282932", ""),  # eight digits
    ("73282932A", ""),
    ("", ""),
    (None, ""),
])
def test_siren(text, expected):
    assert identifiers.siren(text) == expected


def test_validate_siren_names_the_broken_rule():
    with pytest.raises(InvalidIdentifier) as short:
        identifiers.validate_siren("12345")
    with pytest.raises(InvalidIdentifier) as wrong_key:
        identifiers.validate_siren("732829321")
    assert (short.value.code, wrong_key.value.code) == ("siren_format", "siren_key")
    assert str(wrong_key.value.message) == "Ce SIREN n'est pas valide (clé de contrôle incorrecte)."


@pytest.mark.parametrize("text, siret, siren", [
    ("73282932000074", "73282932000074", "732829320"),
    ("732 829 320 00074", "73282932000074", "732829320"),
    ("73282932000075", "", ""),  # wrong key
    ("732829320", "", ""),  # a SIREN is not a SIRET
])
def test_siret(text, siret, siren):
    assert identifiers.siret(text) == siret
    assert identifiers.siren_of_siret(text) == siren


@pytest.mark.parametrize("text, expected", [
    ("FR40303265045", "FR40303265045"),
    ("fr 40 303.265-045", "FR40303265045"),
    ("FR41303265045", ""),  # the key does not match the SIREN
    ("BE0417497106", "BE0417497106"),
    ("BE0417497107", ""),  # Belgian check digits
    ("CHE123456789", "CHE123456789"),  # outside the EU: the country code is all we check
    ("123456789", ""),
    ("FR", ""),
])
def test_vat_number(text, expected):
    assert identifiers.vat_number(text) == expected


def test_french_vat_number_is_built_from_the_siren_and_read_back():
    assert identifiers.french_vat_number("303265045") == "FR40303265045"
    assert identifiers.siren_of_vat("FR40303265045") == "303265045"
    assert identifiers.siren_of_vat("BE0417497106") == ""
    assert identifiers.siren_of_vat("FR41303265045") == ""


def test_vat_number_of_another_siren_is_refused():
    with pytest.raises(InvalidIdentifier) as error:
        identifiers.validate_vat_number("FR40303265045", siren="732829320")
    assert error.value.code == "vat_siren_mismatch"


@pytest.mark.parametrize("address, scheme, siren", [
    ("732829320", "0225", "732829320"),
    ("732829320_73282932000074", "0225", "732829320"),
    ("732829320_73282932000074_SERVICE-ACHATS", "0225", "732829320"),
    ("732829320", "0002", "732829320"),
    ("732829321", "0225", ""),  # wrong key
    ("732829320", "0088", ""),  # a GLN says nothing of the SIREN
    ("", "0225", ""),
    ("732829320 73282932000074", "0225", ""),  # BR-FR-23: no spaces
    ("732829320_" + "A" * 120, "0225", ""),  # BR-FR-25: 125 characters at most
    ("732829320_73282932000074", "0002", ""),  # 0002 is the bare SIREN
])
def test_siren_of_address(address, scheme, siren):
    assert identifiers.siren_of_address(address, scheme) == siren
