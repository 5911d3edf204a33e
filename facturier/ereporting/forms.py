"""The forms of e-reporting: the dossier's VAT profile, a day of B2C sales, a daily-totals file and its columns."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from facturier.dossiers.models import Dossier
from facturier.ereporting.models import B2CCategory, B2CDay

RATES = ("20", "10", "8.5", "5.5", "2.1", "0.9", "0")


class VatProfileForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = ["vat_regime", "services_vat_basis", "sells_to_individuals", "trades_abroad"]
        labels = {
            "vat_regime": _("Régime de TVA"),
            "services_vat_basis": _("TVA sur les prestations de services"),
            "sells_to_individuals": _("Vend à des particuliers (ventes B2C)"),
            "trades_abroad": _("Vend à ou achète auprès d'entreprises établies hors de France"),
        }
        widgets = {"services_vat_basis": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vat_regime"].required = True


class B2CLineForm(forms.Form):
    """One category and rate of a day's sales to private persons."""

    category = forms.ChoiceField(label=_("Catégorie"), choices=B2CCategory.choices, initial=B2CCategory.GOODS)
    rate = forms.TypedChoiceField(label=_("Taux de TVA"), coerce=Decimal, choices=[(r, f"{r} %") for r in RATES],
                                   initial="20")
    amount_excl_vat = forms.DecimalField(label=_("Montant HT"), max_digits=17, decimal_places=2)
    vat_amount = forms.DecimalField(label=_("TVA"), max_digits=17, decimal_places=2, required=False,
                                    help_text=_("Calculée depuis le taux si vous la laissez vide."))
    count = forms.IntegerField(label=_("Nombre de ventes"), min_value=0, required=False)
    received = forms.DecimalField(label=_("Encaissé TTC"), max_digits=17, decimal_places=2, min_value=0,
                                  required=False)

    def has_changed(self):
        """A row counts once an amount is typed: the menus of an empty row always hold a choice."""
        return bool((self.data.get(self.add_prefix("amount_excl_vat")) or "").strip())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("vat_amount") is None and cleaned.get("amount_excl_vat") is not None and "rate" in cleaned:
            cleaned["vat_amount"] = (cleaned["amount_excl_vat"] * cleaned["rate"] / 100).quantize(Decimal("0.01"))
        cleaned["received"] = cleaned.get("received") or Decimal(0)
        return cleaned


B2CLineFormSet = forms.formset_factory(B2CLineForm, extra=3, max_num=20, validate_max=True)


class B2CDayForm(forms.Form):
    date = forms.DateField(label=_("Jour"), widget=forms.DateInput(attrs={"type": "date"}))


class B2CUploadForm(forms.Form):
    file = forms.FileField(label=_("Fichier des totaux journaliers (CSV, XLSX ou XLS)"))


class B2CMappingForm(forms.Form):
    """Which column of the file holds each value of a daily total."""

    def __init__(self, *args, headers, targets, suggested, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— Aucune —"))] + [(str(i), header) for i, header in enumerate(headers)]
        for target in targets:
            self.fields[target.key] = forms.ChoiceField(
                label=target.label, choices=choices, required=target.required,
                initial="" if suggested.get(target.key) is None else str(suggested[target.key]))

    def mapping(self):
        return {key: int(value) if value != "" else None for key, value in self.cleaned_data.items()}


def save_day(dossier, date, lines, actor, source="form"):
    """Store a day's totals: each (category, rate) typed replaces the one kept before."""
    for line in lines:
        B2CDay.objects.update_or_create(
            dossier=dossier, date=date, category=line["category"], rate=line["rate"],
            defaults={"amount_excl_vat": line["amount_excl_vat"], "vat_amount": line["vat_amount"],
                      "count": line.get("count"), "received": line.get("received") or Decimal(0),
                      "source": source, "updated_by": actor},
        )
