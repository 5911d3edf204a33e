"""Sign-in costs: password sign-in (argon2 on purpose), ID token verification, onboarding submit.

Run: .venv/bin/python bench/bench_accounts.py   (prints one line per figure; SQLite in a temporary directory)
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import support

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DATA = tempfile.mkdtemp(prefix="facturier-accounts-bench-")
os.environ.update(DJANGO_SETTINGS_MODULE="facturier.settings", FACTURIER_DATA_DIR=DATA, FACTURIER_DEV_IDP="1",
                  FACTURIER_TASKS="immediate", DATABASE_URL=f"sqlite:///{DATA}/bench.sqlite3")
os.environ.setdefault("FACTURIER_LOG_LEVEL", "WARNING")
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collected static files here

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from facturier.accounts import oidc  # noqa: E402
from facturier.accounts.models import User  # noqa: E402
from facturier.devidp import keys, provider  # noqa: E402
from facturier.dossiers.models import Dossier, DossierStatus, Invitation  # noqa: E402
from facturier.firms.models import Firm  # noqa: E402

ONBOARDINGS = support.size(5, 2)


def timed(label, function, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    print(f"{label}: median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms over {runs} runs")


def main():
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    password = "Tournesol-Bleu-77"
    User.objects.create_user("bench@client.example", password=password)
    client = Client()

    def password_sign_in():
        response = client.post("/comptes/connexion/", {"email": "bench@client.example", "password": password})
        assert response.status_code == 302, response.status_code
        client.logout()

    timed("password sign-in (POST, argon2 verify)", password_sign_in, support.size(10, 2))

    # ID token verification with the provider's metadata and keys already cached, as after the first sign-in.
    cache.set(f"oidc:metadata:{oidc.issuer()}", provider.metadata())
    cache.set(f"oidc:jwks:{provider.metadata()['jwks_uri']}", keys.public_key_set())
    token = provider.id_token("ce-claire-martin", audience=settings.OIDC_CLIENT_ID, nonce="n")
    timed("ID token verification (RS256, cached JWKS)", lambda: oidc.verify_id_token(token, nonce="n"),
          support.size(200, 5))

    firm = Firm.objects.create(siren="552100554", name="Bench")
    dossiers = [Dossier.objects.create(firm=firm, name=f"D{i}", fiscal_year_end_month=12, address="a", postal_code="1",
                                       city="c", representative_name="r", representative_email=f"r{i}@x.example",
                                       status=DossierStatus.INVITED) for i in range(ONBOARDINGS)]
    tokens = iter([Invitation.issue(email=f"owner{i}@x.example", dossier=d, invited_by=None,
                                    rights={"is_owner": True})[1] for i, d in enumerate(dossiers)])

    def onboard():
        response = Client().post(f"/dossiers/invitation/{next(tokens)}/", {
            "full_name": "Owner", "mobile": "0612345678", "language": "fr", "password1": password,
            "password2": password, "consent": "on"})
        assert response.status_code == 302, response.status_code

    timed("onboarding submit (validators, argon2 hash, 6 writes)", onboard, ONBOARDINGS)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(DATA, ignore_errors=True)
