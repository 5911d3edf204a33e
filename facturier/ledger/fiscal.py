"""Fiscal years of a dossier: fiscal year YYYY ends on the last day of the closing month in YYYY."""

import calendar
import datetime


def closing_date(dossier, year):
    month = dossier.fiscal_year_end_month
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def bounds(dossier, year):
    """The first and last day of fiscal year ``year``."""
    return closing_date(dossier, year - 1) + datetime.timedelta(days=1), closing_date(dossier, year)


def fiscal_year_of(dossier, day):
    return day.year if day.month <= dossier.fiscal_year_end_month else day.year + 1


def fec_filename(dossier, year):
    """``<SIREN>FEC<AAAAMMJJ>.txt``, named by the closing date (a foreign dossier: its VAT number)."""
    identifier = dossier.siren or dossier.vat_number or str(dossier.pk)
    return f"{identifier}FEC{closing_date(dossier, year):%Y%m%d}.txt"
