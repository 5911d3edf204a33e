"""Flows of the standard platform API (AFNOR XP Z12-013): what a dossier's software sent and received.

A flow is one file crossing the API: an invoice (CII, UBL, Factur-X), a
lifecycle status (CDAR) or an e-reporting report (FRR), ``Out`` when the dossier's software sends it to the
platform, ``In`` when the platform hands it to that software (a purchase
invoice received, a status the other party set). The flow points at what it
became on the platform (the invoice, the lifecycle event) and at its archived
original; its acknowledgement says whether the platform took it in.

``sequence`` numbers a dossier's flows in the order their transactions
committed (see ``recording``): cursors are positions in it, so a client
walking the pages never skips a flow committed late nor sees one twice.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FlowDirection(models.TextChoices):
    IN = "In", "In"
    OUT = "Out", "Out"


class FlowSyntax(models.TextChoices):
    CII = "CII", "CII"
    UBL = "UBL", "UBL"
    FACTURX = "Factur-X", "Factur-X"
    CDAR = "CDAR", "CDAR"
    FRR = "FRR", "FRR"


class FlowProfile(models.TextChoices):
    BASIC = "Basic", "Basic"
    CIUS = "CIUS", "CIUS"
    EXTENDED_CTC_FR = "Extended-CTC-FR", "Extended-CTC-FR"
    UNDEFINED = "Undefined", "Undefined"


class FlowType(models.TextChoices):
    """The flow types of the specification this platform produces or takes in (the others are State flows)."""

    CUSTOMER_INVOICE = "CustomerInvoice", "CustomerInvoice"
    SUPPLIER_INVOICE = "SupplierInvoice", "SupplierInvoice"
    CUSTOMER_INVOICE_LC = "CustomerInvoiceLC", "CustomerInvoiceLC"
    SUPPLIER_INVOICE_LC = "SupplierInvoiceLC", "SupplierInvoiceLC"
    UNITARY_CUSTOMER_TRANSACTION_REPORT = "UnitaryCustomerTransactionReport", "UnitaryCustomerTransactionReport"
    UNITARY_SUPPLIER_TRANSACTION_REPORT = "UnitarySupplierTransactionReport", "UnitarySupplierTransactionReport"
    UNITARY_CUSTOMER_PAYMENT_REPORT = "UnitaryCustomerPaymentReport", "UnitaryCustomerPaymentReport"
    AGGREGATED_CUSTOMER_TRANSACTION_REPORT = ("AggregatedCustomerTransactionReport",
                                              "AggregatedCustomerTransactionReport")
    AGGREGATED_CUSTOMER_PAYMENT_REPORT = "AggregatedCustomerPaymentReport", "AggregatedCustomerPaymentReport"
    MULTI_FLOW_REPORT = "MultiFlowReport", "MultiFlowReport"
    UNDEFINED = "Undefined", "Undefined"


class ProcessingRule(models.TextChoices):
    B2B = "B2B", "B2B"
    B2B_INT = "B2BInt", "B2BInt"
    B2C = "B2C", "B2C"
    B2G = "B2G", "B2G"
    B2G_INT = "B2GInt", "B2GInt"
    OUT_OF_SCOPE = "OutOfScope", "OutOfScope"
    B2G_OUT_OF_SCOPE = "B2GOutOfScope", "B2GOutOfScope"
    ARCHIVE_ONLY = "ArchiveOnly", "ArchiveOnly"
    NOT_APPLICABLE = "NotApplicable", "NotApplicable"
    UNDEFINED = "Undefined", "Undefined"


class AckStatus(models.TextChoices):
    PENDING = "Pending", "Pending"
    OK = "Ok", "Ok"
    ERROR = "Error", "Error"


class FlowSequence(models.Model):
    """The last ``Flow.sequence`` given in a dossier, locked by each new flow until its transaction commits."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    last_value = models.PositiveBigIntegerField(default=0)


class Flow(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the API's flowId
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="flows")
    sequence = models.PositiveBigIntegerField()  # per dossier, in commit order: the cursor's position
    direction = models.CharField(max_length=3, choices=FlowDirection.choices)
    syntax = models.CharField(max_length=10, choices=FlowSyntax.choices)
    profile = models.CharField(max_length=16, choices=FlowProfile.choices, default=FlowProfile.UNDEFINED)
    flow_type = models.CharField(max_length=40, choices=FlowType.choices, default=FlowType.UNDEFINED)
    processing_rule = models.CharField(max_length=16, choices=ProcessingRule.choices,
                                       default=ProcessingRule.UNDEFINED)
    processing_rule_given = models.BooleanField(default=False)  # "Input" rather than "Computed"
    name = models.CharField(_("nom du fichier"), max_length=255)
    # Who sent it through the API (the API client's id; "" for flows the platform made) and their own reference.
    sender = models.CharField(max_length=64, blank=True)
    tracking_id = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    ack_status = models.CharField(max_length=8, choices=AckStatus.choices, default=AckStatus.PENDING)
    ack_details = models.JSONField(default=list, blank=True)  # [{level, item, reasonCode, reasonMessage}]
    original = models.ForeignKey("archive.ArchiveRecord", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    invoice = models.ForeignKey("invoices.Invoice", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="flows")
    event = models.ForeignKey("invoices.LifecycleEvent", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="flows")
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dossier", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="flow_sequence_per_dossier"),
            # A sender retrying with the same trackingId gets the flow it created, never a second one.
            models.UniqueConstraint(fields=["dossier", "sender", "tracking_id"], condition=~models.Q(tracking_id=""),
                                    name="one_flow_per_sender_tracking_id"),
        ]
        indexes = [
            models.Index(fields=["dossier", "tracking_id"]),
            models.Index(fields=["dossier", "ack_status", "sequence"]),
            models.Index(fields=["dossier", "direction", "flow_type", "sequence"]),
            models.Index(fields=["dossier", "updated_at"]),
        ]

    def __str__(self):
        return f"{self.direction} {self.syntax} {self.uid}"
