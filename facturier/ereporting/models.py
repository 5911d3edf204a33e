"""E-reporting of a dossier: its reports per period and kind, and the B2C daily totals they draw on.

A ``Report`` is built when its period closes (or on demand), from what the
platform holds; its XML is checked against the flux 10 schemas and rules
before it may leave. Reports are never edited once sent: when data change
after sending, a rectifying report (``TypeCode`` RE, ``revision`` + 1)
replaces the sent one, which stays as it was sent.
"""

import gzip

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facturier.ereporting.calendar import Family


class ReportKind(models.TextChoices):
    """The five reports of flux 10, each its own XP Z12-013 flow type (``flowSyntax`` FRR)."""

    SALES = "10.1-sales", _("10.1 · Ventes à des entreprises étrangères")
    PURCHASES = "10.1-purchases", _("10.1 · Achats à des entreprises étrangères")
    PAYMENTS = "10.2", _("10.2 · Encaissements des ventes internationales")
    B2C = "10.3", _("10.3 · Ventes aux particuliers (totaux par jour)")
    B2C_PAYMENTS = "10.4", _("10.4 · Encaissements des ventes aux particuliers")


FLOW_TYPES = {
    ReportKind.SALES: "UnitaryCustomerTransactionReport",
    ReportKind.PURCHASES: "UnitarySupplierTransactionReport",
    ReportKind.PAYMENTS: "UnitaryCustomerPaymentReport",
    ReportKind.B2C: "AggregatedCustomerTransactionReport",
    ReportKind.B2C_PAYMENTS: "AggregatedCustomerPaymentReport",
}
FAMILIES = {
    ReportKind.SALES: Family.TRANSACTIONS,
    ReportKind.PURCHASES: Family.TRANSACTIONS,
    ReportKind.B2C: Family.TRANSACTIONS,
    ReportKind.PAYMENTS: Family.PAYMENTS,
    ReportKind.B2C_PAYMENTS: Family.PAYMENTS,
}


class ReportStatus(models.TextChoices):
    INVALID = "invalid", _("À corriger")
    READY = "ready", _("Prêt à transmettre")
    SENT = "sent", _("Transmis")
    ACKNOWLEDGED = "acknowledged", _("Accepté")
    REJECTED = "rejected", _("Refusé")
    REPLACED = "replaced", _("Remplacé par un rectificatif")


# Once a report has left, its row records what was sent: it is never rebuilt in place.
LEFT = frozenset({ReportStatus.SENT, ReportStatus.ACKNOWLEDGED, ReportStatus.REJECTED, ReportStatus.REPLACED})


class Report(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="ereports")
    kind = models.CharField(_("type"), max_length=16, choices=ReportKind.choices)
    period_start = models.DateField(_("début de période"))
    period_end = models.DateField(_("fin de période"))
    due_date = models.DateField(_("échéance"))
    revision = models.PositiveSmallIntegerField(default=0)  # 0 the initial report, 1… its rectifications
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by")
    status = models.CharField(max_length=12, choices=ReportStatus.choices)
    xml_gzip = models.BinaryField(default=b"")  # the XML, gzip-compressed: a tenth of its size or less
    content_hash = models.CharField(max_length=64, blank=True)  # of the reported data, not of the header
    summary = models.JSONField(default=dict, blank=True)  # totals and rows as the pages show them
    errors = models.JSONField(default=list, blank=True)  # [{rule, message, subject, row}]
    built_at = models.DateTimeField(default=timezone.now)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    # Filled by ``sending`` once the accredited platform has taken the report.
    sent_at = models.DateTimeField(null=True, blank=True)
    flow_id = models.CharField(max_length=100, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    status_detail = models.TextField(blank=True)
    # A send the platform could not take now (unavailable): the worker tries again from then on.
    next_send_at = models.DateTimeField(null=True, blank=True)
    send_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period_start", "kind", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind", "period_start", "revision"],
                                    name="one_report_per_kind_period_revision"),
        ]
        indexes = [models.Index(fields=["dossier", "period_start", "kind"]),
                   models.Index(fields=["dossier", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start:%d/%m/%Y}-{self.period_end:%d/%m/%Y}"

    @property
    def xml(self):
        """The report's XML (bytes), as it was checked and as it leaves."""
        return gzip.decompress(bytes(self.xml_gzip)) if self.xml_gzip else b""

    @property
    def type_code(self):
        """IN for an initial report (also one built again after a refusal), RE for one that rectifies."""
        return "RE" if self.replaces_id else "IN"

    @property
    def flow_type(self):
        return FLOW_TYPES[ReportKind(self.kind)]

    @property
    def has_left(self):
        return self.status in LEFT

    @property
    def filename(self):
        siren = self.dossier.siren or self.dossier.vat_number
        return f"ereporting-{siren}-{self.kind}-{self.period_start:%Y%m%d}-{self.type_code}{self.revision or ''}.xml"


class B2CCategory(models.TextChoices):
    """TT-81: the categories of daily B2C totals."""

    GOODS = "TLB1", _("Livraisons de biens")
    SERVICES = "TPS1", _("Prestations de services")
    NOT_TAXABLE = "TNT1", _("Opérations non taxables en France")
    MARGIN = "TMA1", _("Opérations sous le régime de la marge")


class B2CDay(models.Model):
    """The sales to private persons of one day, one category and one VAT rate, and what was received.

    Typed in a form or imported from a till's daily export; ``received`` (VAT
    included) feeds 10.4 when the dossier pays VAT on services on receipts.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="b2c_days")
    date = models.DateField(_("date"))
    category = models.CharField(_("catégorie"), max_length=4, choices=B2CCategory.choices,
                                default=B2CCategory.GOODS)
    rate = models.DecimalField(_("taux de TVA"), max_digits=5, decimal_places=2)
    amount_excl_vat = models.DecimalField(_("montant HT"), max_digits=19, decimal_places=2)
    vat_amount = models.DecimalField(_("montant de TVA"), max_digits=19, decimal_places=2)
    count = models.PositiveIntegerField(_("nombre d'opérations"), null=True, blank=True)
    received = models.DecimalField(_("encaissé TTC"), max_digits=19, decimal_places=2, default=0)
    source = models.CharField(max_length=8, default="form")  # form or import
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "category", "-rate"]
        constraints = [models.UniqueConstraint(fields=["dossier", "date", "category", "rate"],
                                               name="one_b2c_total_per_day_category_rate")]


class InvoiceFacts(models.Model):
    """What 10.1 and 10.2 need of an invoice and its row does not hold: its VAT breakdown and parties.

    Read once from the archived original (``gathering.facts_of``) and kept, so
    building a report of thousands of invoices reads no document.
    """

    invoice = models.OneToOneField("invoices.Invoice", on_delete=models.CASCADE, primary_key=True,
                                   related_name="ereporting_facts")
    vat = models.JSONField(default=list)  # [{category, rate, taxable, tax, reason, reason_code}]
    seller_country = models.CharField(max_length=2, blank=True)
    buyer_country = models.CharField(max_length=2, blank=True)
    seller_id = models.CharField(max_length=40, blank=True)  # an identifier other than a SIREN, for foreigners
    buyer_id = models.CharField(max_length=40, blank=True)
    preceding = models.JSONField(default=list)  # [[number, "YYYY-MM-DD" or null]]
    vat_total_eur = models.DecimalField(max_digits=19, decimal_places=2, null=True, blank=True)  # BT-111


class ScheduledBuild(models.Model):
    """A closed period's report the worker builds by itself, claimed by one worker at a time.

    The row is the claim: the worker that creates it builds the report; another
    finds it taken. A claim older than ``CLAIM_EXPIRES`` and not built (its
    worker died) is taken over by a conditional update, which one worker wins.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    period_start = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "kind", "period_start"],
                                               name="one_scheduled_build_per_report")]
