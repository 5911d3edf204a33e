"""``{{ amount|money:currency }}``: every amount of the platform written one way."""

from django import template

from facturier.formats import DEFAULT_CURRENCY
from facturier.formats import money as format_money

register = template.Library()


@register.filter
def money(amount, currency=DEFAULT_CURRENCY):
    return format_money(amount, currency)
