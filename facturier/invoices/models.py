"""Invoices of a dossier, the files they came from, and what happened to them.

An invoice row holds the terms the platform searches, sorts and counts on;
the full document is the original archived unchanged (``original``), read
again through the engine whenever it is shown. Drafts keep their form data
until they are issued.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from facturier.collation import french


class Direction(models.TextChoices):
    SALES = "sales", _("Vente")
    PURCHASE = "purchase", _("Achat")


class OutputFormat(models.TextChoices):
    FACTURX = "facturx", "Factur-X"
    CII = "cii", "CII"
    UBL = "ubl", "UBL"


# Customers in these countries get their invoices' e-mail and readable view in French.
FRENCH_SPEAKING = frozenset({"FR", "BE", "LU", "MC", "CH", "GP", "MQ", "GF", "RE", "YT", "PM", "NC", "PF"})


def customer_language(customer):
    """The language of an invoice's e-mail and readable view: French for French-speaking countries."""
    country = (customer.country if customer else "FR") or "FR"
    return "fr" if country.upper() in FRENCH_SPEAKING else "en"


class ThirdParty(models.Model):
    """A customer or supplier of a dossier."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="third_parties")
    is_customer = models.BooleanField(default=False)
    is_supplier = models.BooleanField(default=False)
    name = models.CharField(_("nom"), max_length=200)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    vat_number = models.CharField(_("TVA"), max_length=20, blank=True)
    electronic_address = models.CharField(_("adresse électronique"), max_length=200, blank=True)
    electronic_address_scheme = models.CharField(max_length=8, blank=True, default="0225")
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=16, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    country = models.CharField(_("pays"), max_length=2, default="FR")
    billing_email = models.EmailField(_("e-mail de facturation"), blank=True)
    output_format = models.CharField(
        _("format d'envoi"), max_length=8, choices=OutputFormat.choices, default=OutputFormat.FACTURX
    )
    # Accounting: auxiliary account (401xxx / 411xxx) and default expense/revenue account.
    auxiliary_account = models.CharField(_("compte auxiliaire"), max_length=20, blank=True)
    default_account = models.CharField(_("compte de charge ou de produit"), max_length=20, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    # A supplier SIRENE does not know yet (being created), confirmed by a person from its documents:
    # its next invoices are not held for it again.
    creation_confirmed_at = models.DateTimeField(null=True, blank=True)
    creation_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["dossier", "siren"]), models.Index(fields=["dossier", "name"])]

    def __str__(self):
        return self.name


class InvoiceState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    ISSUED = "issued", _("Émise")
    RECEIVED = "received", _("Reçue")


class DeliveryState(models.TextChoices):
    NOT_APPLICABLE = "", _("—")
    PENDING = "pending", _("À envoyer")
    DELIVERED = "delivered", _("Délivrée")
    FAILED = "failed", _("Échec d'envoi")


class Invoice(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="invoices")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    state = models.CharField(max_length=8, choices=InvoiceState.choices)
    third_party = models.ForeignKey(
        ThirdParty, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")

    # Business terms the platform filters, sorts, counts and books on.
    number = models.CharField(_("numéro"), max_length=100, blank=True)  # BT-1 (empty while a draft)
    issue_date = models.DateField(_("date"), null=True, blank=True)  # BT-2
    issue_year = models.PositiveSmallIntegerField(null=True, blank=True)  # for the duplicate rule
    due_date = models.DateField(_("échéance"), null=True, blank=True)  # BT-9
    type_code = models.CharField(max_length=3, default="380")  # BT-3
    is_credit_note = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, default="EUR")  # BT-5
    billing_frame = models.CharField(_("cadre de facturation"), max_length=50, blank=True)  # BT-23
    seller_name = models.CharField(max_length=200, blank=True)
    seller_siren = models.CharField(max_length=9, blank=True)
    seller_vat = models.CharField(max_length=20, blank=True)
    buyer_name = models.CharField(max_length=200, blank=True)
    buyer_siren = models.CharField(max_length=9, blank=True)
    buyer_vat = models.CharField(max_length=20, blank=True)
    total_excl_vat = models.DecimalField(max_digits=19, decimal_places=2, default=0)  # BT-109
    total_vat = models.DecimalField(max_digits=19, decimal_places=2, default=0)  # BT-110
    total_incl_vat = models.DecimalField(max_digits=19, decimal_places=2, default=0)  # BT-112
    amount_due = models.DecimalField(max_digits=19, decimal_places=2, default=0)  # BT-115
    amount_paid = models.DecimalField(max_digits=19, decimal_places=2, default=0)
    preceding_invoice = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    # The document itself.
    syntax = models.CharField(max_length=10, blank=True)  # CII, UBL, Factur-X
    profile = models.CharField(max_length=20, blank=True)
    original = models.ForeignKey(
        "archive.ArchiveRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    validation = models.JSONField(default=dict, blank=True)  # the engine's report
    is_valid = models.BooleanField(default=False)
    draft = models.JSONField(default=dict, blank=True)  # form data of a draft

    # Where it stands.
    lifecycle_status = models.PositiveSmallIntegerField(null=True, blank=True)  # latest CDAR status code
    delivery_state = models.CharField(max_length=10, choices=DeliveryState.choices, blank=True, default="")
    needs_decision = models.BooleanField(default=False)  # an open anomaly waits for a person
    approved_at = models.DateTimeField(null=True, blank=True)
    integrated_at = models.DateTimeField(null=True, blank=True)  # exported to accounting
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issue_date", "-id"]
        constraints = [
            # The duplicate rule: one invoice per seller, number and year in a dossier.
            models.UniqueConstraint(
                fields=["dossier", "direction", "seller_siren", "seller_vat", "number", "issue_year"],
                condition=~models.Q(number=""),
                name="one_invoice_per_seller_number_year",
            ),
        ]
        indexes = [
            models.Index(fields=["dossier", "direction", "-issue_date", "-id"]),
            # One per sortable column of the invoice lists: one dossier's page is a short walk of the index
            # however many invoices the platform holds (bench/invoice_list.py).
            *(models.Index(fields=["dossier", "direction", column, "id"], name=f"inv_list_{key}")
              for key, column in [("number", "number"), ("excl", "total_excl_vat"), ("incl", "total_incl_vat")]),
            # The counterparty sorts in French order: its index holds the collated name, as the list's ORDER BY.
            *(models.Index("dossier", "direction", french(column), "id", name=f"inv_list_{key}_fr")
              for key, column in [("buyer", "buyer_name"), ("seller", "seller_name")]),
            models.Index(fields=["dossier", "direction", "lifecycle_status"]),
            models.Index(fields=["dossier", "direction", "delivery_state"]),
            # The few invoices still waiting for their delivery, across dossiers (the exchange's sweep).
            models.Index(fields=["id"], condition=models.Q(delivery_state="pending"), name="invoice_delivery_pending"),
            models.Index(fields=["dossier", "needs_decision"]),
            models.Index(fields=["dossier", "integrated_at", "approved_at"]),
            models.Index(fields=["dossier", "direction", "due_date"]),
            # Covering indexes of the dossier home (monthly activity, aging schedules).
            models.Index(
                fields=["dossier", "direction", "issue_date", "state", "lifecycle_status", "is_credit_note",
                        "total_excl_vat", "third_party"],
                name="invoice_activity_idx",
            ),
            models.Index(
                fields=["dossier", "direction", "due_date", "state", "lifecycle_status", "is_credit_note",
                        "amount_due", "amount_paid"],
                name="invoice_open_due_idx",
                condition=models.Q(amount_due__gt=models.F("amount_paid")),
            ),
        ]

    def __str__(self):
        return self.number or _("Brouillon")

    def save(self, *args, **kwargs):
        self.issue_year = self.issue_date.year if self.issue_date else None
        super().save(*args, **kwargs)


class IncomingFile(models.Model):
    """A file someone uploaded or another dossier delivered, and what became of it.

    Kept even when refused (duplicate, unreadable, unsupported), so the person
    sees why. An invoice file's original is in the legal archive (``archived``);
    a file that is not one stays ``held`` a short time only (see intake). An
    uploaded file is "pending" from its storing until the worker has read it.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("En cours d'analyse")  # stored, waiting for the worker to read it
        ACCEPTED = "accepted", _("Acceptée")
        DUPLICATE = "duplicate", _("DOUBLON")
        UNREADABLE = "unreadable", _("Illisible")
        UNSUPPORTED = "unsupported", _("Format non pris en charge")
        TOO_LARGE = "too_large", _("Fichier trop volumineux")
        RECOGNITION = "recognition", _("Reconnaissance")  # no invoice data: read by the recognition app

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="incoming_files")
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    archived = models.ForeignKey("archive.ArchiveRecord", null=True, on_delete=models.PROTECT, related_name="+")
    # Until it is read, and afterwards when it is not an invoice: the file kept a short time (see intake).
    held = models.ForeignKey("archive.HeldFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    message = models.TextField(blank=True)
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="files")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=10, default="upload")  # upload, platform (a dossier), email, accredited
    received_at = models.DateTimeField(default=timezone.now)
    # A pending file's reading: when it was last queued, and how many times (see intake.requeue_stuck_files).
    analysis_queued_at = models.DateTimeField(null=True, blank=True)
    analysis_runs = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["dossier", "-received_at"])]


class LifecycleEvent(models.Model):
    """One status change of an invoice, as both parties see it on the timeline."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="events")
    class Party(models.TextChoices):
        SELLER = "seller", _("Vendeur")
        BUYER = "buyer", _("Acheteur")
        PLATFORM = "platform", _("Plateforme")

    status = models.PositiveSmallIntegerField()  # CDAR status code (einvoice.lifecycle.LifecycleStatus: 200…601)
    # Who set the status, and how it reached this side ("" = set here; else the channel it came by).
    party = models.CharField(max_length=8, choices=Party.choices, blank=True)
    source = models.CharField(max_length=16, blank=True)
    reason_code = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=19, decimal_places=2, null=True, blank=True)  # 206 approved, 211/212 paid
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.ForeignKey(
        "archive.ArchiveRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        # The recent statuses set here, the ones the exchange carries to the other party (its sweep).
        indexes = [models.Index(fields=["at"], condition=models.Q(source=""), name="event_set_here_at")]


class Anomaly(models.Model):
    """A problem found on an invoice (seed annex 2) that a person must look at."""

    class Kind(models.TextChoices):
        INCOMPLETE = "incomplete", _("Facture incomplète")
        NOT_FOR_THIS_DOSSIER = "wrong_buyer", _("Facture non destinée à ce dossier")
        UNIDENTIFIED_SUPPLIER = "unidentified_supplier", _("Fournisseur non identifié")
        NOT_IN_SIRENE = "not_in_sirene", _("Entreprise absente de la base SIRENE")
        CLOSED = "closed", _("Entreprise fermée")
        INSOLVENCY = "insolvency", _("Entreprise en procédure collective")
        BEING_CREATED = "being_created", _("Entreprise en création : confirmation nécessaire")
        REGISTRY_PENDING = "registry_pending", _("Contrôle en attente (registre indisponible)")
        DELIVERY_FAILED = "delivery_failed", _("Échec d'envoi")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="anomalies")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    detail = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    blocking = models.BooleanField(default=True)  # needs an explicit decision before approval
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["invoice", "resolved_at"])]

    @property
    def text(self):
        """The detail in the reader's language when it was stored as wording and values (``anomalies.described``)."""
        described = (self.data or {}).get("detail")
        if not described:
            return self.detail
        text = gettext(described["text"]) % described.get("params", {})
        after_decision = self.data.get("after_decision")
        if after_decision:
            note = gettext("Constaté après la décision du %(date)s, qui reste inchangée : ")
            text = note % {"date": after_decision} + text
        return text


class Task(models.Model):
    """Something a person has to do ("Mes tâches"), usually about an anomaly."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="tasks")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    anomaly = models.ForeignKey(Anomaly, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    # Who must act: the dossier's assigned staff, its client users, or one person.
    for_firm = models.BooleanField(default=False)
    for_client = models.BooleanField(default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dossier", "done_at"])]

    @property
    def label(self):
        """What to do, in the reader's language: a task about an anomaly is named from the anomaly's kind
        when shown (``title`` keeps the wording of the day it was opened)."""
        if self.anomaly_id is None:
            return self.title
        number, seller = (self.invoice.number, self.invoice.seller_name) if self.invoice else ("", "")
        return f"{Anomaly.Kind(self.anomaly.kind).label} : {number or '?'} ({seller or '?'})"


class NumberSequence(models.Model):
    """The next sales invoice number of a dossier, per year, handed out under a row lock."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    prefix = models.CharField(max_length=20, default="F")
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "year"], name="one_sequence_per_dossier_year")]
