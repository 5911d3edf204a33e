"""The company of a dossier as its own people set it (the "Société" settings page): bank details,
legal mentions, numbering, payment terms, billing contact and logo, which its sales invoices carry.

The client's administrators (owner, users who manage users) and the firm staff who open the dossier's
settings change them: before this page only the firm could, from its client form.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facturier.dossiers import validators
from facturier.dossiers.models import CompanyLogo, Dossier

LOGO_MAX_BYTES = 200 * 1024
# The image formats a logo may have, known by their first bytes (never by the name or type the browser sends).
LOGO_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
PREFIX = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,9}$")
# French law caps agreed payment terms at 60 days from the invoice date (Code de commerce L441-10).
MAX_PAYMENT_DAYS = 60


class CompanyForm(forms.ModelForm):
    iban = forms.CharField(label=gettext_lazy("IBAN"), max_length=50, required=False)
    bic = forms.CharField(label=gettext_lazy("BIC"), max_length=20, required=False)
    logo = forms.FileField(label=gettext_lazy("Logo (PNG ou JPEG, 200 Ko au plus)"), required=False)
    remove_logo = forms.BooleanField(label=gettext_lazy("Retirer le logo"), required=False)

    class Meta:
        model = Dossier
        fields = ["iban", "bic", "legal_mentions", "invoice_prefix", "payment_days", "payment_terms",
                  "contact_name", "contact_phone", "contact_email"]
        widgets = {"legal_mentions": forms.Textarea(attrs={"rows": 3})}

    def clean_iban(self):
        return validators.clean_iban(self.cleaned_data.get("iban"))

    def clean_bic(self):
        return validators.clean_bic(self.cleaned_data.get("bic"))

    def clean_invoice_prefix(self):
        prefix = "".join(self.cleaned_data["invoice_prefix"].split()).upper()
        if not PREFIX.match(prefix):
            raise ValidationError(_("De 1 à 10 lettres, chiffres ou tirets, sans accent (par exemple F ou FAC-)."))
        return prefix

    def clean_payment_days(self):
        days = self.cleaned_data["payment_days"]
        if days > MAX_PAYMENT_DAYS:
            raise ValidationError(_("Le délai de paiement convenu ne peut dépasser 60 jours (article L441-10 du "
                                    "Code de commerce)."))
        return days

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise ValidationError(_("Ce logo pèse plus de 200 Ko : réduisez-le puis déposez-le à nouveau."))
        content = upload.read()
        media_type = next((kind for magic, kind in LOGO_SIGNATURES.items() if content.startswith(magic)), None)
        if media_type is None:
            raise ValidationError(_("Le logo doit être une image PNG ou JPEG."))
        return content, media_type

    def save_logo(self):
        """Store, replace or remove the logo as the form says; True when it changed."""
        if self.cleaned_data.get("logo"):
            content, media_type = self.cleaned_data["logo"]
            CompanyLogo.objects.update_or_create(dossier=self.instance,
                                                 defaults={"content": content, "media_type": media_type})
            return True
        if self.cleaned_data.get("remove_logo"):
            return CompanyLogo.objects.filter(dossier=self.instance).delete()[0] > 0
        return False


def company_logo(dossier):
    """The logo its invoices show, as ``(content, media_type)``, or None."""
    stored = CompanyLogo.objects.filter(dossier=dossier).values_list("content", "media_type").first()
    return (bytes(stored[0]), stored[1]) if stored else None


def missing_for_issuing(dossier):
    """What the dossier's company lacks for a sales invoice paid by transfer: labels to show next to
    a link to the "Société" page, rather than the engine's rule (CII-SR-470, BR-61) after the fact."""
    missing = []
    if not dossier.iban:
        missing.append(_("l'IBAN (pour être payé par virement)"))
    return missing
