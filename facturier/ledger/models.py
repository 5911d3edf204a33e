"""Accounting entries of a dossier, its accounting settings and its exports.

An ``Entry`` is one invoice booked per the French chart of accounts (PCG): a
journal, a date, a piece reference and balanced ``EntryLine`` rows. Entry
numbers (EcritureNum) are not stored: each export numbers the entries it holds
continuously, in chronological order per journal, which a stored number could
not guarantee once an invoice dated earlier is booked later.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The French VAT rates a dossier maps to sub-accounts (metropolitan and overseas).
VAT_RATES = ("20", "10", "8.5", "5.5", "2.1")


def default_vat_accounts(base):
    """The per-rate sub-accounts of a VAT account: a sixth digit per rate (documented
    convention: 2 for 20 %, 1 for 10 %, 3 for 5.5 %, 4 for 2.1 %, 5 for 8.5 %), e.g. 445662."""
    digits = {"20": "2", "10": "1", "5.5": "3", "2.1": "4", "8.5": "5"}
    return {rate: base + digits[rate] for rate in VAT_RATES}


class AuxiliaryRule(models.TextChoices):
    NAME = "name", _("Préfixe + nom normalisé (ex. 401BIOBURO)")
    SIREN = "siren", _("Préfixe + SIREN (ex. 401443061841)")


class LedgerSettings(models.Model):
    """How a dossier's invoices become entries (the "paramètres comptables")."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="ledger_settings")
    purchase_journal = models.CharField(_("code journal des achats"), max_length=6, default="AC")
    purchase_journal_label = models.CharField(_("libellé du journal des achats"), max_length=60, default="Achats")
    sales_journal = models.CharField(_("code journal des ventes"), max_length=6, default="VT")
    sales_journal_label = models.CharField(_("libellé du journal des ventes"), max_length=60, default="Ventes")
    default_purchase_account = models.CharField(_("compte d'achat par défaut"), max_length=20, default="607000")
    default_sales_account = models.CharField(_("compte de vente par défaut"), max_length=20, default="706000")
    supplier_account = models.CharField(_("compte collectif fournisseurs"), max_length=20, default="401000")
    customer_account = models.CharField(_("compte collectif clients"), max_length=20, default="411000")
    deductible_vat_account = models.CharField(_("compte de TVA déductible"), max_length=20, default="44566")
    collected_vat_account = models.CharField(_("compte de TVA collectée"), max_length=20, default="44571")
    # {"20": "445662", ...}: a rate without a sub-account is booked on the base account.
    deductible_vat_by_rate = models.JSONField(default=dict, blank=True)
    collected_vat_by_rate = models.JSONField(default=dict, blank=True)
    auxiliary_rule = models.CharField(
        _("règle des comptes auxiliaires"), max_length=8, choices=AuxiliaryRule.choices, default=AuxiliaryRule.NAME
    )
    auxiliary_prefix_supplier = models.CharField(_("préfixe auxiliaire fournisseurs"), max_length=6, default="401")
    auxiliary_prefix_customer = models.CharField(_("préfixe auxiliaire clients"), max_length=6, default="411")

    class Meta:
        verbose_name = _("paramètres comptables")

    @classmethod
    def for_dossier(cls, dossier):
        found = cls.objects.filter(dossier=dossier).first()
        if found is not None:
            return found
        return cls.objects.get_or_create(
            dossier=dossier,
            defaults={
                "deductible_vat_by_rate": default_vat_accounts("44566"),
                "collected_vat_by_rate": default_vat_accounts("44571"),
            },
        )[0]


class LineAccount(models.Model):
    """The account one invoice line is booked on, overriding the third party's default."""

    invoice = models.ForeignKey("invoices.Invoice", on_delete=models.CASCADE, related_name="line_accounts")
    line_id = models.CharField(max_length=100)  # BT-126
    account = models.CharField(_("compte"), max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invoice", "line_id"], name="one_account_per_invoice_line")]


class Entry(models.Model):
    """One booked invoice (une écriture)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="entries")
    # An invoice is never deleted once booked; if it were, its entry would go with it
    # (the files already exported stay in the archive).
    invoice = models.OneToOneField("invoices.Invoice", on_delete=models.CASCADE, related_name="entry")
    journal = models.CharField(max_length=6)
    journal_label = models.CharField(max_length=60)
    date = models.DateField()  # EcritureDate: the invoice's issue date (BT-2)
    piece_ref = models.CharField(max_length=100)  # PieceRef: the invoice number (BT-1)
    piece_date = models.DateField()
    label = models.CharField(max_length=200)  # EcritureLib
    currency = models.CharField(max_length=3, default="EUR")
    booked_at = models.DateTimeField(default=timezone.now)  # ValidDate

    class Meta:
        ordering = ["journal", "date", "id"]
        indexes = [models.Index(fields=["dossier", "journal", "date", "id"], name="ledger_entry_export_order")]

    def __str__(self):
        return f"{self.journal} {self.date} {self.piece_ref}"


class EntryLine(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    account = models.CharField(max_length=20)  # CompteNum
    account_label = models.CharField(max_length=100)  # CompteLib
    auxiliary = models.CharField(max_length=20, blank=True)  # CompAuxNum
    auxiliary_label = models.CharField(max_length=200, blank=True)  # CompAuxLib
    label = models.CharField(max_length=200)  # EcritureLib of the line
    debit = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0"))
    credit = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0"))
    currency_amount = models.DecimalField(max_digits=19, decimal_places=2, null=True, blank=True)  # Montantdevise

    class Meta:
        ordering = ["entry", "position"]
        constraints = [models.UniqueConstraint(fields=["entry", "position"], name="one_line_per_entry_position")]


class ExportScope(models.TextChoices):
    PENDING = "pending", _("Factures en attente d'intégration")
    FISCAL_YEAR = "fiscal_year", _("Exercice complet")


class Export(models.Model):
    """One export of entries to the firm's accounting: who, when, what, and the archived file."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="ledger_exports")
    scope = models.CharField(max_length=12, choices=ExportScope.choices)
    fiscal_year = models.PositiveSmallIntegerField(null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    filename = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField(default=0)
    entry_count = models.PositiveIntegerField(default=0)
    archived = models.ForeignKey("archive.ArchiveRecord", null=True, on_delete=models.PROTECT, related_name="+")
    # The invoices this export moved to "Intégrée" (an undo moves exactly these back).
    invoices = models.ManyToManyField("invoices.Invoice", related_name="ledger_exports", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dossier", "-created_at"])]
