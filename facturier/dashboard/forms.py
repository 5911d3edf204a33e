from django import forms

from facturier.dossiers.models import Dossier


class DossierSettingsForm(forms.ModelForm):
    """The dossier's own settings behind the gear of its home page."""

    class Meta:
        model = Dossier
        fields = ["auto_approve", "default_output_format"]
