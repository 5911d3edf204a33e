from django import forms
from django.utils.translation import gettext_lazy

from facturier.apiclients.models import RIGHTS


class ApiClientForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nom du logiciel"), max_length=100,
                           help_text=gettext_lazy("Il nomme le client dans le journal d'audit."))
    can_issue_sales = forms.BooleanField(label=gettext_lazy("Émettre les factures de vente"), required=False)
    can_handle_purchases = forms.BooleanField(label=gettext_lazy("Lire les factures d'achat"), required=False)
    can_set_statuses = forms.BooleanField(label=gettext_lazy("Changer les statuts des factures"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(right) for right in RIGHTS):
            raise forms.ValidationError(gettext_lazy("Donnez au moins un droit au client."))
        return cleaned

    def rights(self):
        return {right: self.cleaned_data[right] for right in RIGHTS}
