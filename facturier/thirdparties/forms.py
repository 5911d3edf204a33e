from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facturier.dossiers import validators
from facturier.invoices.models import ThirdParty
from facturier.ledger.forms import account_number


class ThirdPartyForm(forms.ModelForm):
    """What the dossier's people keep on a customer or supplier: how to pay or reach it, and the
    account its invoices are booked to (``ledger.booking`` uses it when it fits the direction)."""

    iban = forms.CharField(label=gettext_lazy("IBAN"), max_length=50, required=False)
    bic = forms.CharField(label=gettext_lazy("BIC"), max_length=20, required=False)

    class Meta:
        model = ThirdParty
        fields = ["contact_name", "contact_phone", "billing_email", "electronic_address", "iban", "bic",
                  "default_account"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_account"].validators.append(account_number)
        self.fields["default_account"].help_text = _(
            "Classe 6 pour un fournisseur, 7 pour un client ; vide : le compte par défaut du dossier.")

    def clean_iban(self):
        return validators.clean_iban(self.cleaned_data.get("iban"))

    def clean_bic(self):
        return validators.clean_bic(self.cleaned_data.get("bic"))

    def clean_default_account(self):
        account = "".join(self.cleaned_data["default_account"].split()).upper()
        allowed = ([("6",)] if self.instance.is_supplier else []) + ([("7",)] if self.instance.is_customer else [])
        if account and not any(account.startswith(start) for (start,) in allowed):
            raise forms.ValidationError(_("Le compte d'un fournisseur est de classe 6, celui d'un client de classe 7."))
        return account
