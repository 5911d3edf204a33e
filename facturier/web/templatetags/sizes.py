"""``{{ bytes|file_size }}``: file sizes in Ko / Mo in French, KB / MB in English."""

from django import template

from facturier.formats import file_size as format_file_size

register = template.Library()


@register.filter
def file_size(size):
    return format_file_size(size)
