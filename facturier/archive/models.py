"""The legal archive: every document a dossier receives, issues or generates, kept write-once.

Records of a dossier form a gapless, hash-chained sequence (see ``chain``). Rows
are never updated; a row may only be deleted once its ten-year term is over. The
model and queryset refuse it, and database triggers (migration 0002) refuse it
even to raw SQL. ``store.archive`` is the only way records are made.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facturier.archive import chain, storage
from facturier.archive.exceptions import RetentionError, WriteOnceError


class Kind(models.TextChoices):
    ORIGINAL_RECEIVED = "original_received", _("Original reçu")
    ORIGINAL_ISSUED = "original_issued", _("Original émis")
    GENERATED = "generated", _("Document généré")
    LIFECYCLE = "lifecycle", _("Message de cycle de vie")
    EXPORT = "export", _("Export")
    OTHER = "other", _("Autre")


class ArchiveRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise WriteOnceError("Archive records are write-once.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise WriteOnceError("Archive records are write-once.")

    def delete(self):
        if self.filter(retain_until__gt=timezone.now()).exists():
            raise RetentionError("Archive records are kept until their retention term.")
        return super().delete()

    def chain(self, dossier):
        """A dossier's records in chain order."""
        return self.filter(dossier=dossier).order_by("sequence")


class ArchiveRecord(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="archive_records")
    sequence = models.PositiveBigIntegerField(_("numéro d'ordre"))
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    filename = models.CharField(_("nom du fichier"), max_length=255)
    media_type = models.CharField(_("type de média"), max_length=127)
    size = models.PositiveBigIntegerField(_("taille"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    previous_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(_("empreinte de chaînage"), max_length=64)
    created_at = models.DateTimeField(_("archivé le"))
    retain_until = models.DateTimeField(_("conservé jusqu'au"))
    period = models.DateField(_("date du document"))
    # The archived object in the platform (e.g. an invoice), as plain strings so
    # the archive depends on no other app and survives their changes.
    reference_app = models.CharField(max_length=100, blank=True)
    reference_model = models.CharField(max_length=100, blank=True)
    reference_pk = models.CharField(max_length=64, blank=True)

    objects = ArchiveRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("fichier archivé")
        verbose_name_plural = _("fichiers archivés")
        ordering = ["dossier", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="archive_gapless_sequence_per_dossier"),
        ]
        indexes = [
            models.Index(fields=["dossier", "period"]),
            models.Index(fields=["reference_app", "reference_model", "reference_pk"]),
        ]

    def __str__(self):
        return f"{self.dossier_id}#{self.sequence} {self.filename}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise WriteOnceError("Archive records are write-once.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if timezone.now() < self.retain_until:
            raise RetentionError(f"Archive record {self} is kept until {self.retain_until:%Y-%m-%d}.")
        return super().delete(*args, **kwargs)

    @property
    def reference(self):
        return chain.reference_label(self.reference_app, self.reference_model, self.reference_pk)

    @property
    def storage_name(self):
        """Content-addressed: identical files share one stored object."""
        return storage.object_name(self.sha256)

    def compute_chain_hash(self):
        return chain.chain_hash(
            previous_hash=self.previous_hash,
            sequence=self.sequence,
            kind=self.kind,
            filename=self.filename,
            media_type=self.media_type,
            size=self.size,
            sha256=self.sha256,
            created_at=self.created_at,
            retain_until=self.retain_until,
            period=self.period,
            reference=self.reference,
        )

    def seal(self):
        self.chain_hash = self.compute_chain_hash()


class ArchiveChainHead(models.Model):
    """The end of a dossier's chain: the lock appends take, and the tail verify checks.

    Appending locks this row, not the dossier, so archiving never blocks other
    work on the dossier. Its last hash also reveals records removed from the end
    of a chain, which the chain alone cannot show.
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, primary_key=True, related_name="archive_head"
    )
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)


class HeldFile(models.Model):
    """A file kept for a short time only, outside the legal archive (see ``held``).

    What a person or a sender hands to the platform is held here until it is
    read: a structured invoice then moves into the archive for ten years; what
    is not one (a text file, an Order-X, a plain picture) stays here for
    ``FACTURIER_REJECTED_FILES_DAYS`` days, so its sender can see and fetch it,
    and is then erased. Unlike archive records these rows are deleted freely.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="held_files")
    token = models.CharField(max_length=32, unique=True)  # names the stored object: held/<token>
    filename = models.CharField(_("nom du fichier"), max_length=255)
    media_type = models.CharField(_("type de média"), max_length=127)
    size = models.PositiveBigIntegerField(_("taille"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    # None while the file waits to be read; set when it turns out not to be a document to archive.
    delete_after = models.DateTimeField(_("effacé après le"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("fichier conservé temporairement")
        verbose_name_plural = _("fichiers conservés temporairement")

    def __str__(self):
        return f"{self.dossier_id} {self.filename} (held)"
