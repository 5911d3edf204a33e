"""One way to write amounts, one way to read typed numbers."""

from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from facturier.formats import LocalizedDecimalField, money, number, parse_decimal

NNBSP, NBSP = "\u202f", "\u00a0"


def render(amount, currency="EUR", language="fr"):
    with translation.override(language):
        return Template("{% load money %}{{ amount|money:currency }}").render(
            Context({"amount": amount, "currency": currency}))


def test_the_filter_writes_french_amounts():
    assert render(Decimal("1174.05")) == f"1{NNBSP}174,05{NBSP}€"
    assert render(Decimal("10000")) == f"10{NNBSP}000,00{NBSP}€"


def test_the_filter_writes_english_amounts():
    assert render(Decimal("1174.05"), language="en") == "€1,174.05"
    assert render(Decimal("1174.05"), "USD", language="en") == "$1,174.05"


def test_negative_amounts_keep_their_sign():
    assert render(Decimal("-1174.05")) == f"-1{NNBSP}174,05{NBSP}€"
    assert render(Decimal("-1174.05"), language="en") == "-€1,174.05"


def test_no_amount_writes_nothing():
    assert render(None) == ""
    assert money("") == ""


def test_other_currencies_and_whole_figures():
    assert render(Decimal("5"), "USD") == f"5,00{NBSP}$US"
    assert money(Decimal("1200.4"), language="fr", whole=True) == f"1{NNBSP}200{NBSP}€"
    assert money(1200, language="en", whole=True) == "€1,200"


class AmountForm(forms.Form):
    amount = LocalizedDecimalField(max_digits=12, decimal_places=2)


@pytest.mark.parametrize("language, typed", [
    ("fr", "1 174,05"), ("fr", f"1{NNBSP}174,05"), ("fr", f"1{NBSP}174,05"), ("fr", "1174.05"), ("fr", "1174,05"),
    ("en", "1,174.05"), ("en", "1174.05"),
])
def test_the_form_reads_what_people_type(language, typed):
    with translation.override(language):
        form = AmountForm({"amount": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("1174.05")


@pytest.mark.parametrize("language, typed", [("en", "5,5"), ("fr", "1.174,05"), ("fr", "douze")])
def test_the_form_refuses_what_it_cannot_read_for_sure(language, typed):
    with translation.override(language):
        form = AmountForm({"amount": typed})
        assert not form.is_valid()
        assert form.errors["amount"]


def test_the_field_shows_its_value_in_the_language():
    with translation.override("fr"):
        assert 'value="5,5"' in str(AmountForm(initial={"amount": Decimal("5.5")})["amount"])


def test_parse_decimal():
    with translation.override("fr"):
        assert parse_decimal(" 1 000,5 ") == Decimal("1000.5")
        with pytest.raises(ValueError, match="not a number"):
            parse_decimal("NaN")


def test_counts_are_grouped_the_same_way():
    assert number(100000, "fr") == f"100{NNBSP}000"
    assert number(100000, "en") == "100,000"


def test_file_sizes_in_octets_in_french_and_bytes_in_english():
    from facturier.formats import file_size

    assert [file_size(n, "fr") for n in (15, 2560, 20 * 1024 * 1024, 3 * 1024 ** 3)] == [
        "15 octets", "2,5 Ko", "20 Mo", "3 Go"]
    assert [file_size(n, "en") for n in (15, 2560, 20 * 1024 * 1024)] == ["15 bytes", "2.5 KB", "20 MB"]


def test_names_sort_as_french_readers_expect():
    from facturier.collation import collated

    names = ["Zambie", "Espagne", "Égypte", "États-Unis", "Estonie", "eau", "Œuvre", "Oman", "Ouganda", "Éthiopie"]
    assert collated(names) == ["eau", "Égypte", "Espagne", "Estonie", "États-Unis", "Éthiopie", "Œuvre", "Oman",
                               "Ouganda", "Zambie"]
