"""The client form (seed page 10): one company, its identifiers and its legal representative."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facturier.accounts.models import Language
from facturier.dossiers import validators
from facturier.dossiers.countries import country_choices
from facturier.dossiers.models import Dossier, DossierMembership
from facturier.firms.models import Firm

FIRM_SIREN_REFUSED = gettext_lazy(
    "Ce SIREN est celui d'un cabinet inscrit sur Facturier : un cabinet ne peut pas être le client "
    "d'un autre cabinet, un cabinet crée son compte via ComptExpert."
)


class DossierForm(forms.ModelForm):
    """Creates or edits a client dossier of ``firm``.

    A French company is known by its SIREN; a foreign company without SIREN is
    known by its VAT number, so one of the two is always present.
    """

    # Wider than the stored values: people type spaces, the clean methods compact them.
    siren = forms.CharField(label=gettext_lazy("SIREN"), max_length=20, required=False)
    iban = forms.CharField(label=gettext_lazy("IBAN"), max_length=50, required=False)
    bic = forms.CharField(label=gettext_lazy("BIC"), max_length=20, required=False)
    vat_number = forms.CharField(label=gettext_lazy("TVA"), max_length=30, required=False)

    class Meta:
        model = Dossier
        fields = [
            "siren", "name", "country", "language", "fiscal_year_end_month", "vat_regime", "vat_number", "iban", "bic",
            "address", "postal_code", "city",
            "representative_name", "representative_language", "representative_email",
        ]
        labels = {
            "siren": gettext_lazy("SIREN"),
            "name": gettext_lazy("Nom client"),
            "country": gettext_lazy("Pays"),
            "language": gettext_lazy("Langue"),
            "fiscal_year_end_month": gettext_lazy("Mois de clôture"),
            "vat_regime": gettext_lazy("Régime de TVA"),
            "vat_number": gettext_lazy("TVA"),
            "iban": gettext_lazy("IBAN"),
            "bic": gettext_lazy("BIC"),
            "address": gettext_lazy("Adresse"),
            "postal_code": gettext_lazy("Code postal"),
            "city": gettext_lazy("Ville"),
            "representative_name": gettext_lazy("Nom du contact"),
            "representative_language": gettext_lazy("Langue contact"),
            "representative_email": gettext_lazy("E-mail du contact"),
        }

    def __init__(self, *args, firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.fields["country"] = forms.ChoiceField(
            label=self.fields["country"].label, choices=country_choices(), initial=self.instance.country
        )
        self.fields["siren"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "data-siren-lookup": ""}
        )
        self.fields["siren"].help_text = _("Obligatoire pour une entreprise française.")
        self.fields["vat_number"].help_text = _("Obligatoire pour une entreprise étrangère sans SIREN.")
        self.fields["iban"].help_text = _("Facultatif.")
        self.fields["vat_regime"].help_text = _("Il fixe le calendrier de l'e-reporting du dossier.")
        if self.instance.pk is None:
            self.fields["fiscal_year_end_month"].initial = 12

    def clean_siren(self):
        value = self.cleaned_data.get("siren", "")
        if not value.strip():
            return ""
        siren = validators.clean_siren(value)
        if Firm.objects.filter(siren=siren).exclude(pk=self.firm.pk if self.instance.is_firm_own else None).exists():
            raise ValidationError(FIRM_SIREN_REFUSED, code="firm_siren")
        same = Dossier.objects.filter(firm=self.firm, siren=siren).exclude(pk=self.instance.pk)
        if same.exists():
            raise ValidationError(
                _("Le client %(name)s de ce cabinet a déjà ce SIREN.") % {"name": same.first().name},
                code="duplicate_siren",
            )
        return siren

    def clean_iban(self):
        return validators.clean_iban(self.cleaned_data.get("iban"))

    def clean_bic(self):
        return validators.clean_bic(self.cleaned_data.get("bic"))

    def clean(self):
        cleaned = super().clean()
        siren = cleaned.get("siren", "")
        country = cleaned.get("country")
        if "vat_number" in cleaned:
            try:
                cleaned["vat_number"] = validators.clean_vat_number(cleaned["vat_number"], siren)
            except ValidationError as error:
                self.add_error("vat_number", error)
        if country == "FR" and not siren and "siren" not in self.errors:
            self.add_error("siren", _("Le SIREN est obligatoire pour une entreprise française."))
        if (country and country != "FR" and not siren and not cleaned.get("vat_number")
                and "vat_number" not in self.errors):
            self.add_error("vat_number", _("Sans SIREN, le numéro de TVA est obligatoire."))
        self._refuse_duplicate_vat(cleaned, siren)
        return cleaned

    def _refuse_duplicate_vat(self, cleaned, siren):
        vat = cleaned.get("vat_number")
        if siren or not vat:
            return
        same = Dossier.objects.filter(firm=self.firm, vat_number=vat).exclude(pk=self.instance.pk).first()
        if same is not None:
            self.add_error(
                "vat_number", _("Le client %(name)s de ce cabinet a déjà ce numéro de TVA.") % {"name": same.name}
            )


class RightsForm(forms.Form):
    can_manage_users = forms.BooleanField(label=gettext_lazy("Gérer les utilisateurs"), required=False)
    can_issue_sales = forms.BooleanField(label=gettext_lazy("Émettre les factures de vente"), required=False)
    can_handle_purchases = forms.BooleanField(label=gettext_lazy("Traiter les factures d'achat"), required=False)

    help_text = gettext_lazy("Aucune case cochée : lecture seule.")


class InviteForm(RightsForm):
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    name = forms.CharField(label=gettext_lazy("Nom"), max_length=200, required=False)
    language = forms.ChoiceField(label=gettext_lazy("Langue"), choices=Language.choices)

    field_order = ["email", "name", "language", "can_manage_users", "can_issue_sales", "can_handle_purchases"]

    def __init__(self, *args, dossier, **kwargs):
        self.dossier = dossier
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if DossierMembership.objects.filter(dossier=self.dossier, user__email__iexact=email).exists():
            raise forms.ValidationError(gettext_lazy("Cette personne est déjà utilisatrice du dossier."),
                                        code="already_member")
        return email

    def rights(self):
        return {name: self.cleaned_data[name] for name in RightsForm.base_fields}
