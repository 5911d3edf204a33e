import ipaddress
import socket
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from facturier.accredited.models import Connection, DossierConnection

URL_FIELDS = ("flow_url", "directory_url", "token_url")


def platform_url_field(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def check_platform_url(url):
    """An https URL of a public host: the platform calls it with the firm's secret, and must not be aimed at
    its own network. ``PLATFORM_ALLOW_PRIVATE_URLS`` lifts both rules (tests, a platform on a private network)."""
    parts = urlsplit(url)
    if settings.PLATFORM_ALLOW_PRIVATE_URLS:
        return url
    if parts.scheme != "https":
        raise forms.ValidationError(gettext_lazy("Une adresse https:// est attendue."))
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, None, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        raise forms.ValidationError(gettext_lazy("Ce nom de serveur est inconnu.")) from None
    if any(not ipaddress.ip_address(address.split("%", 1)[0]).is_global for address in addresses):
        raise forms.ValidationError(gettext_lazy("Cette adresse mène à un réseau privé, où la plateforme "
                                                 "n'envoie pas les secrets du cabinet."))
    return url


class ConnectionForm(forms.ModelForm):
    """A connection as the firm administrator declares it; the secret is typed, never shown back."""

    secret = forms.CharField(label=gettext_lazy("secret client"), required=False, max_length=500, strip=False,
                             widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}))

    class Meta:
        model = Connection
        fields = ["name", "flow_url", "directory_url", "token_url", "client_id", "secret", "organization_id_scheme",
                  "is_default"]
        formfield_callback = platform_url_field

    def __init__(self, *args, firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.instance.firm = firm
        if self.instance.pk:
            self.fields["secret"].help_text = gettext_lazy("Laissez vide pour garder le secret enregistré.")

    def clean(self):
        cleaned = super().clean()
        for name in URL_FIELDS:
            if cleaned.get(name):
                try:
                    cleaned[name] = check_platform_url(cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Connection.objects.filter(firm=self.firm, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(gettext_lazy("Une connexion du cabinet porte déjà ce nom."))
        return name

    def clean_secret(self):
        secret = self.cleaned_data["secret"]
        if not secret and not self.instance.has_secret:
            raise forms.ValidationError(gettext_lazy("Saisissez le secret que la plateforme vous a donné."))
        return secret

    def save(self, commit=True):
        if self.cleaned_data["secret"]:
            self.instance.secret = self.cleaned_data["secret"]
        return super().save(commit)


class DossierConnectionForm(forms.Form):
    connection = forms.ModelChoiceField(label=gettext_lazy("Plateforme agréée"), queryset=Connection.objects.none(),
                                        empty_label=None)
    organization_id = forms.CharField(
        label=DossierConnection._meta.get_field("organization_id").verbose_name, required=False, max_length=64,
        help_text=gettext_lazy("Laissez vide pour l'identifiant que la connexion donne au dossier (son SIREN ou "
                               "son numéro de TVA), s'il y en a un."))

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.fields["connection"].queryset = Connection.objects.filter(firm_id=dossier.firm_id)

    def clean_organization_id(self):
        value = self.cleaned_data["organization_id"].strip()
        if value and not value.isalnum():
            raise forms.ValidationError(gettext_lazy("Lettres et chiffres seulement (un SIREN, un numéro de TVA…)."))
        return value

    def chosen_organization_id(self):
        return self.cleaned_data["organization_id"] or self.cleaned_data["connection"].organization_id_for(self.dossier)
