"""The review form: the fields read, as the person confirms or corrects them."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren

CURRENCIES = [("EUR", "EUR"), ("USD", "USD"), ("GBP", "GBP"), ("CHF", "CHF")]
CENT = Decimal("0.01")
VAT_COLUMNS = ("rate", "base", "amount")  # posted as vat_rate, vat_base, vat_amount, one of each per row
LINE_COLUMNS = ("description", "quantity", "unit_price", "vat_rate", "amount")  # posted as line_<column>


class ConfirmForm(forms.Form):
    seller_name = forms.CharField(label=gettext_lazy("Fournisseur"), max_length=200)
    seller_siren = forms.CharField(label=gettext_lazy("SIREN"), max_length=20, required=False)
    seller_vat = forms.CharField(label=gettext_lazy("N° de TVA"), max_length=20, required=False)
    number = forms.CharField(label=gettext_lazy("N° de facture"), max_length=100)
    issue_date = forms.DateField(label=gettext_lazy("Date de facture"))
    due_date = forms.DateField(label=gettext_lazy("Échéance"), required=False)
    currency = forms.ChoiceField(label=gettext_lazy("Devise"), choices=CURRENCIES)
    iban = forms.CharField(label=gettext_lazy("IBAN"), max_length=42, required=False)
    total_excl_vat = forms.DecimalField(label=gettext_lazy("Total HT"), max_digits=17, decimal_places=2)
    total_vat = forms.DecimalField(label=gettext_lazy("Total TVA"), max_digits=17, decimal_places=2)
    total_incl_vat = forms.DecimalField(label=gettext_lazy("Total TTC"), max_digits=17, decimal_places=2)

    def __init__(self, data=None, *args, vat=None, lines=None, **kwargs):
        """``vat`` and ``lines``: the VAT per rate and the lines as read, shown for editing.

        A submission without such rows keeps what was read; without posted rows nor what was read, they are
        left out of ``cleaned_data``.
        """
        super().__init__(data, *args, **kwargs)
        self.vat_given = vat is not None or (data is not None and "vat_rate" in data)
        self.lines_given = lines is not None or (data is not None and "line_amount" in data)
        self.vat_rows = table_rows(data, "vat", VAT_COLUMNS, vat)
        self.line_rows = table_rows(data, "line", LINE_COLUMNS, lines)
        self.lines_read = table_rows(None, "line", LINE_COLUMNS, lines)

    def clean_seller_siren(self):
        value = "".join(self.cleaned_data["seller_siren"].split())
        if value and not fr_siren.is_valid(value):
            raise forms.ValidationError(_("Ce SIREN n'est pas valide (9 chiffres dont une clé de contrôle)."))
        return value

    def clean_seller_vat(self):
        value = eu_vat.compact(self.cleaned_data["seller_vat"]) if self.cleaned_data["seller_vat"] else ""
        if value and not eu_vat.is_valid(value):
            raise forms.ValidationError(_("Ce numéro de TVA intracommunautaire n'est pas valide."))
        return value

    def clean_iban(self):
        value = stdnum_iban.compact(self.cleaned_data["iban"]) if self.cleaned_data["iban"] else ""
        if value and not stdnum_iban.is_valid(value):
            raise forms.ValidationError(_("Cet IBAN n'est pas valide."))
        return value

    def clean(self):
        data = super().clean()
        excl, vat, incl = (data.get(name) for name in ("total_excl_vat", "total_vat", "total_incl_vat"))
        if None not in (excl, vat, incl) and excl + vat != incl:
            self.add_error("total_incl_vat", _(
                "Le total TTC (%(incl)s) n'est pas la somme du total HT et de la TVA (%(sum)s).")
                % {"incl": incl, "sum": excl + vat})
        siren, vat_number = data.get("seller_siren"), data.get("seller_vat")
        if siren and vat_number and vat_number.startswith("FR") and vat_number[4:] != siren:
            self.add_error("seller_vat", _("Ce numéro de TVA n'est pas celui du SIREN indiqué."))
        if excl is not None and abs(excl) >= Decimal("1e15"):
            self.add_error("total_excl_vat", _("Montant hors limites."))
        if self.vat_given:
            data["vat"] = self.clean_vat_rows(excl, vat)
        if self.lines_given:
            data["lines"] = self.clean_line_rows(excl, data.get("vat"))
        return data

    def clean_line_rows(self, excl, vat):
        """The lines as confirmed. Lines left as read are kept as they are (the invoice then has one line per rate
        when they do not add up); lines a person changed must add up to the total excl. VAT at the VAT rates."""
        if comparable(self.line_rows, LINE_COLUMNS) == comparable(self.lines_read, LINE_COLUMNS):
            return self.lines_read  # as read, even a row without an amount: the invoice then has a line per rate
        rows, errors = [], []
        for number, posted in enumerate(self.line_rows, start=1):
            quantity, price, rate, amount = (decimal_or_none(posted.get(name, "")) for name in LINE_COLUMNS[1:])
            typed_wrong = any(posted.get(name, "").strip() and value is None for name, value in zip(
                LINE_COLUMNS[1:], (quantity, price, rate, amount), strict=True))
            if amount is None or typed_wrong or (rate is not None and not 0 <= rate <= 100):
                errors.append(_("Ligne %(number)d : indiquez son montant HT et, si vous les connaissez, la quantité, "
                                "le prix unitaire et le taux de TVA (nombres, point ou virgule décimale).")
                              % {"number": number})
                continue
            rows.append({"description": posted.get("description", "").strip()[:200], "quantity": quantity,
                         "unit_price": price, "vat_rate": rate, "amount": amount})
        cleaned = [{name: "" if row[name] is None else str(row[name]) for name in LINE_COLUMNS} for row in rows]
        if not errors and rows:
            total = sum(row["amount"] for row in rows)
            if excl is not None and total != excl:
                errors.append(_("La somme des lignes (%(sum)s) n'est pas le total HT (%(total)s).")
                              % {"sum": total, "total": excl})
            rates = {Decimal(row["rate"]) for row in vat or () if row.get("rate")}
            if any(row["vat_rate"] is None or (rates and row["vat_rate"] not in rates) for row in rows):
                errors.append(_("Chaque ligne doit avoir un des taux de TVA de la facture."))
        for error in errors:
            self.add_error(None, error)
        return cleaned

    def clean_vat_rows(self, excl, total_vat):
        """The VAT per rate as confirmed, checked: rate × base = VAT, the VAT of the rates = total VAT, the bases
        = total excl. VAT (when every base is given)."""
        rows, errors = [], []
        for number, posted in enumerate(self.vat_rows, start=1):
            rate, base, amount = (decimal_or_none(posted.get(name, "")) for name in VAT_COLUMNS)
            if rate is None or not 0 <= rate <= 100 or amount is None or (posted.get("base", "").strip() and
                                                                        base is None):
                errors.append(_("TVA par taux, ligne %(number)d : indiquez un taux entre 0 et 100, le montant de TVA "
                                "et, si vous la connaissez, la base (nombres, point ou virgule décimale).")
                              % {"number": number})
                continue
            if base is not None and (base * rate / 100).quantize(CENT, ROUND_HALF_UP) != amount:
                errors.append(_("TVA à %(rate)s %% : %(rate)s %% de %(base)s ne fait pas %(amount)s.")
                              % {"rate": rate.normalize(), "base": base, "amount": amount})
            rows.append({"rate": rate, "base": base, "amount": amount})
        if len({row["rate"] for row in rows}) < len(rows):
            errors.append(_("TVA par taux : chaque taux ne doit figurer qu'une fois."))
        if rows and not errors:
            vat_sum = sum(row["amount"] for row in rows)
            if total_vat is not None and vat_sum != total_vat:
                errors.append(_("La somme des TVA par taux (%(sum)s) n'est pas le total TVA (%(total)s).")
                              % {"sum": vat_sum, "total": total_vat})
            if excl is not None and all(row["base"] is not None for row in rows) and \
                    sum(row["base"] for row in rows) != excl:
                errors.append(_("La somme des bases (%(sum)s) n'est pas le total HT (%(total)s).")
                              % {"sum": sum(row["base"] for row in rows), "total": excl})
        for error in errors:
            self.add_error(None, error)
        return [{name: "" if value is None else str(value) for name, value in row.items()} for row in rows]


def table_rows(data, prefix, columns, read):
    """The rows of a table of the form as posted (``<prefix>_<column>`` lists), else as read; blank rows dropped."""
    if data is not None and f"{prefix}_{columns[-1]}" in data:
        lists = [data.getlist(f"{prefix}_{name}") for name in columns]
        rows = [dict(zip(columns, values, strict=False)) for values in zip(*lists, strict=False)]
    else:
        rows = [{name: str(row.get(name) or "") for name in columns} for row in read or ()]
    return [row for row in rows if any(value.strip() for value in row.values())]


def comparable(rows, columns):
    """Rows of text as numbers where they are numbers, to tell a row changed from one retyped alike."""
    return [tuple(decimal_or_none(row.get(name) or "") if name != "description" else (row.get(name) or "").strip()
                  for name in columns) for row in rows]


def decimal_or_none(text):
    """A number as people type it (``1 234,50``), None when it is none; bounded like the totals."""
    cleaned = "".join(text.split()).replace(",", ".")
    try:
        value = Decimal(cleaned) if cleaned else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() and abs(value) < Decimal("1e15") else None
