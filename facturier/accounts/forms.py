import re
import uuid

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from facturier.accounts.lockout import Locked, password_sign_in
from facturier.accounts.models import Language, User

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MOBILE_PATTERN = re.compile(r"^\+?\d{8,15}$")


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"),
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(label=_("Mot de passe"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        email, password = self.cleaned_data.get("email"), self.cleaned_data.get("password")
        if email and password:
            try:
                self.user = password_sign_in(self.request, email, password)
            except Locked as locked:
                until = formats.time_format(timezone.localtime(locked.until), "H:i")
                raise forms.ValidationError(
                    _("Trop de tentatives échouées : ce compte est verrouillé jusqu'à %(until)s. "
                      "Réessayez plus tard ou réinitialisez votre mot de passe."),
                    code="locked", params={"until": until},
                ) from None
            if self.user is None:
                raise forms.ValidationError(
                    _("E-mail ou mot de passe incorrect. Les collaborateurs des cabinets se connectent "
                      "avec ComptExpert."),
                    code="invalid_login",
                )
        return self.cleaned_data


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, its field named as everywhere else on the platform ("E-mail", not "Email")."""

    email = forms.EmailField(label=_("E-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))


class CodeForm(forms.Form):
    """A code of the authenticator app (6 digits), or a recovery code."""

    code = forms.CharField(label=_("Code"), max_length=20, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True, "size": 12}))


class PhotoField(forms.ImageField):
    """An image (checked by Pillow) of at most 2 MB, stored under a name of our own."""

    def to_python(self, data):
        if getattr(data, "size", 0) > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("La photo ne doit pas dépasser 2 Mo."), code="photo_too_large")
        photo = super().to_python(data)
        if photo is None:
            return None
        extension = PHOTO_FORMATS.get(photo.image.format)
        if extension is None:
            raise forms.ValidationError(_("Formats de photo acceptés : JPEG, PNG, GIF, WebP."), code="photo_format")
        photo.name = f"{uuid.uuid4().hex}.{extension}"
        return photo


class OnboardingForm(forms.Form):
    """The newcomer's own details (seed page 16): who they are, and their password."""

    full_name = forms.CharField(label=_("Nom"), max_length=200)
    mobile = forms.CharField(label=_("Numéro mobile"), max_length=32,
                             widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    language = forms.ChoiceField(label=_("Langue"), choices=Language.choices)
    photo = PhotoField(label=_("Photo"), required=False,
                       widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}))
    password1 = forms.CharField(label=_("Mot de passe"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Confirmez votre mot de passe"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = forms.BooleanField(
        label=_("Conformément au RGPD, j'accepte les termes et conditions de l'application."),
        error_messages={"required": _("Vous devez accepter les conditions générales pour continuer.")},
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_mobile(self):
        number = re.sub(r"[\s.\-()]", "", self.cleaned_data["mobile"])
        if not MOBILE_PATTERN.match(number):
            raise forms.ValidationError(_("Saisissez un numéro de mobile valide, par exemple 06 12 34 56 78."),
                                        code="mobile")
        return number

    def clean(self):
        password1, password2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", forms.ValidationError(
                    _("Les deux mots de passe ne sont pas identiques."), code="password_mismatch"))
            else:
                candidate = User(email=self.email, full_name=self.cleaned_data.get("full_name", ""))
                try:
                    password_validation.validate_password(password1, candidate)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return self.cleaned_data

    def account(self):
        """The keyword arguments of dossiers.invitations.onboard."""
        data = self.cleaned_data
        return {"full_name": data["full_name"], "mobile": data["mobile"], "language": data["language"],
                "password": data["password1"], "photo": data.get("photo")}
