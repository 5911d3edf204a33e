"""The review form: the fields read, as the person confirms or corrects them."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren

CURRENCIES = [("EUR", "EUR"), ("USD", "USD"), ("GBP", "GBP"), ("CHF", "CHF")]


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
        return data
