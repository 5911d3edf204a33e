"""Fixtures and helpers of the accounts and development provider tests."""

import functools
from html.parser import HTMLParser

from django.contrib.auth.hashers import make_password

from facturier.accounts.models import User
from facturier.dossiers.models import Dossier, DossierMembership, DossierStatus
from facturier.firms.models import Firm, FirmMembership, Role

CLIENT_PASSWORD = "Ornithorynque-42-bleu"


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("type") in ("hidden", None, "text") and "name" in attrs:
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")


def form_fields(html, index=-1):
    """The named inputs of a form of ``html`` (the last one by default)."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms[index]["fields"]


def make_firm(siren="552100554", name="Cabinet Test", *, open=True):
    from django.utils import timezone

    return Firm.objects.create(siren=siren, name=name, terms_accepted_at=timezone.now() if open else None)


def make_dossier(firm, name="Bioburo", *, status=DossierStatus.ACTIVE, **fields):
    values = {
        "fiscal_year_end_month": 12, "address": "1 rue de la Paix", "postal_code": "75002", "city": "Paris",
        "representative_name": "Pierre Conerardy", "representative_email": "pierre@bioburo.example",
        "status": status,
    }
    values.update(fields)
    return Dossier.objects.create(firm=firm, name=name, **values)


@functools.cache
def _password_hash(password):
    """Argon2 is slow by design: hash each test password once per run."""
    return make_password(password)


def make_client(email, *, dossier=None, password=CLIENT_PASSWORD, **rights):
    user = User.objects.create_user(email, full_name=email.split("@")[0].title())
    user.password = _password_hash(password)
    user.save(update_fields=["password"])
    if dossier is not None:
        DossierMembership.objects.create(dossier=dossier, user=user, **rights)
    return user


def make_staff(email, firm, *, subject=None, role=Role.STAFF, is_admin=False):
    user = User.objects.create_user(email, sso_subject=subject or f"sub-{email}", full_name=email.split("@")[0])
    FirmMembership.objects.create(firm=firm, user=user, role=role, has_delegation=True, is_admin=is_admin)
    return user
