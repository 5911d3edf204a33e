"""A dossier's inbound mailbox, the messages it received and the files taken from them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Mailbox(models.Model):
    """The address ``<code>@<inbound domain>`` a dossier receives purchase invoices at.

    The code is random, so an address cannot be guessed from the dossier; a leaked
    one is replaced by a new code and stops working at once.
    """

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="mailbox")
    code = models.CharField(max_length=32, unique=True)
    # One address (compta@fournisseur.fr) or domain (fournisseur.fr) a line.
    allowed_senders = models.TextField(_("expéditeurs autorisés"), blank=True, help_text=_(
        "Une adresse ou un domaine par ligne. Vide : tout expéditeur est accepté, sauf ceux refusés."))
    denied_senders = models.TextField(_("expéditeurs refusés"), blank=True, help_text=_(
        "Une adresse ou un domaine par ligne : leurs messages sont refusés."))
    code_changed_at = models.DateTimeField(default=timezone.now)


class Refusal(models.TextChoices):
    """Why a file of a message was not handed to the intake."""

    EXECUTABLE = "executable", _("Programme exécutable : non conservé")
    UNSUPPORTED = "unsupported", _("Ni PDF, ni XML, ni image")
    TOO_LARGE = "too_large", _("Fichier trop volumineux")
    TOO_MANY_FILES = "too_many_files", _("Trop de fichiers")
    ZIP_BOMB = "zip_bomb", _("Archive ZIP anormale (décompressée, elle dépasse les limites)")
    NESTED_ARCHIVE = "nested_archive", _("Archive dans une archive : non ouverte")
    ENCRYPTED = "encrypted", _("Fichier chiffré")
    UNREADABLE_ARCHIVE = "unreadable_archive", _("Archive ZIP illisible")
    UNREADABLE = "unreadable", _("Pièce jointe illisible")
    TOO_DEEP = "too_deep", _("Message trop imbriqué")


class MailMessage(models.Model):
    """One message received for a dossier, kept even when nothing could be taken from it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("En attente de traitement")
        DONE = "done", _("Traité")

    class Outcome(models.TextChoices):
        FILES = "files", _("Pièces jointes transmises")
        NO_ATTACHMENT = "no_attachment", _("Aucune pièce jointe utilisable")
        SENDER_REFUSED = "sender_refused", _("Expéditeur refusé")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="mail_messages")
    # The same message handed twice (the MTA timed out and delivered again) has the same key.
    key = models.CharField(max_length=64)
    message_id = models.CharField(max_length=255, blank=True)
    envelope_sender = models.CharField(max_length=254, blank=True)
    sender = models.CharField(_("expéditeur"), max_length=300, blank=True)
    subject = models.CharField(_("objet"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    size = models.PositiveIntegerField()
    # The message as received, until the worker archived it and took its files.
    raw = models.BinaryField(blank=True, default=b"")
    archived = models.ForeignKey("archive.ArchiveRecord", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    malformed = models.BooleanField(default=False)
    queued_at = models.DateTimeField(default=timezone.now)
    runs = models.PositiveSmallIntegerField(default=1)  # times handed to the worker (see delivery.requeue_stuck)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["dossier", "key"], name="mail_message_once")]
        indexes = [models.Index(fields=["dossier", "-received_at"]), models.Index(fields=["state", "queued_at"])]


class MailAttachment(models.Model):
    """A file of a message: handed to the intake (``incoming``), or refused and not stored."""

    message = models.ForeignKey(MailMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    incoming = models.OneToOneField("invoices.IncomingFile", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="mail_attachment")
    refusal = models.CharField(max_length=20, choices=Refusal.choices, blank=True)

    class Meta:
        ordering = ["id"]
