"""The software allowed to use a dossier through the standard platform API (XP Z12-013).

An API client holds the same rights as a person in the dossier (``dossiers.DossierMembership``):
issuing sales invoices, handling purchase invoices, plus setting lifecycle statuses, which a
person does with the right of the invoice's side and a client must also be given. It is created
for one dossier; a firm's integration may be allowed on several dossiers of the firm, and then
names the one it acts for in each request (``Organization-Id``).

Its secret is shown once and only its Argon2 hash is kept, like a password.
"""

import functools
import math
import secrets
import time

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facturier.dossiers.models import DossierStatus

RIGHTS = ("can_issue_sales", "can_handle_purchases", "can_set_statuses")


@functools.cache
def _stand_in_hash():
    """Checked against when the client id is unknown, so an unknown id costs the time of a bad secret."""
    return make_password(secrets.token_urlsafe(32))


class ApiClientQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    name = models.CharField(_("nom"), max_length=100)
    dossiers = models.ManyToManyField("dossiers.Dossier", related_name="api_clients")
    can_issue_sales = models.BooleanField(_("émettre les factures de vente"), default=False)
    can_handle_purchases = models.BooleanField(_("traiter les factures d'achat"), default=False)
    can_set_statuses = models.BooleanField(_("changer les statuts des factures"), default=False)
    client_id = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=256)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The rate limit's fixed window (its number since the epoch) and the requests counted in it.
    rate_window = models.BigIntegerField(default=0)
    rate_count = models.PositiveIntegerField(default=0)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client de l'API")
        verbose_name_plural = _("clients de l'API")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    @classmethod
    def issue(cls, *, name, dossiers, created_by=None, **rights):
        """Create a client allowed on ``dossiers``; return it with its clear secret (shown once)."""
        unknown = set(rights) - set(RIGHTS)
        if unknown:
            raise ValueError(f"unknown rights: {sorted(unknown)}")
        secret = secrets.token_urlsafe(32)
        secret_hash = make_password(secret)
        # The public id in hex: it never starts with "-", which a command line would take for an option.
        with transaction.atomic():
            client = cls.objects.create(name=name, client_id=secrets.token_hex(16), secret_hash=secret_hash,
                                        created_by=created_by, **rights)
            client.dossiers.set(dossiers)
        return client, secret

    @classmethod
    def authenticate(cls, client_id, secret):
        """The usable client with this id and secret, or None (in about the same time either way)."""
        client = cls.objects.usable().filter(client_id=client_id).first() if client_id else None
        if client is None:
            check_password(secret or "", _stand_in_hash())
            return None
        return client if check_password(secret or "", client.secret_hash) else None

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def rights(self):
        """The names of the rights held, in the order of ``RIGHTS``."""
        return [right for right in RIGHTS if getattr(self, right)]

    def revoke(self):
        """Revoke the client; False when another request revoked it first."""
        now = timezone.now()
        if not ApiClient.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=now):
            return False
        self.revoked_at = now
        return True

    def active_dossiers(self):
        """The dossiers the client acts for: nobody, a client included, enters a dossier before it is active."""
        return self.dossiers.filter(status=DossierStatus.ACTIVE).select_related("firm")

    def take_request(self):
        """Count one request against the rate limit and note the use.

        Returns None when the request may go on, else the seconds until the window ends. The
        count lives in the client's row and changes only by conditional UPDATEs, so servers in
        several processes share it: one counts in the current window, one opens a new window
        (its loser, raced by another server opening the same window, counts in it instead).
        """
        window_seconds = settings.API_RATE_WINDOW_SECONDS
        now = time.time()
        window = int(now // window_seconds)
        this_client = ApiClient.objects.filter(pk=self.pk)
        used = {"last_used_at": timezone.now()}
        for _attempt in range(2):
            if this_client.filter(rate_window=window, rate_count__lt=settings.API_RATE_LIMIT).update(
                    rate_count=F("rate_count") + 1, **used):
                return None
            if this_client.exclude(rate_window=window).update(rate_window=window, rate_count=1, **used):
                return None
        return max(1, math.ceil((window + 1) * window_seconds - now))
