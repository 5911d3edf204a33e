from django import forms
from django.utils.translation import gettext_lazy as _

from facturier.archive.models import Kind
from facturier.dossiers.models import Month


class PeriodFilterForm(forms.Form):
    """Which part of a dossier's archive to show or download (all fields optional)."""

    annee = forms.IntegerField(label=_("Année"), required=False, min_value=1900, max_value=9999)
    mois = forms.TypedChoiceField(
        label=_("Mois"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Tous les mois")), *Month.choices],
    )
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Tous les types")), *Kind.choices])

    def clean(self):
        data = super().clean()
        if data.get("mois") and not data.get("annee"):
            self.add_error("annee", _("Choisissez l'année du mois demandé."))
        return data

    def filter(self, records):
        data = self.cleaned_data
        if data.get("annee"):
            records = records.filter(period__year=data["annee"])
        if data.get("mois"):
            records = records.filter(period__month=data["mois"])
        if data.get("type"):
            records = records.filter(kind=data["type"])
        return records
