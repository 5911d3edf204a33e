"""The issuing form: a header, lines, document allowances/charges and an inline new customer.

The forms only check what a person typed (numbers, dates, lists); whether the
invoice is complete and consistent is the engine's verdict, given when the
invoice is issued and shown next to these fields.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facturier.dossiers.validators import clean_siren, clean_vat_number
from facturier.formats import LocalizedDecimalField
from facturier.invoices import findings
from facturier.invoices.issuing.customers import customers_of
from facturier.invoices.issuing.terms import (
    BILLING_FRAMES,
    LEGAL_NOTES,
    PAYMENT_MEANS,
    UNITS,
    VAT_CHOICES,
)
from facturier.invoices.models import OutputFormat, ThirdParty

MAX_LINES = 500


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InvoiceForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Client"), queryset=ThirdParty.objects.none(), required=False,
                                      empty_label=_("— Nouveau client —"))
    issue_date = forms.DateField(label=_("Date de facture"), widget=_date_widget())
    due_date = forms.DateField(label=_("Date d'échéance"), widget=_date_widget(), required=False)
    payment_terms = forms.CharField(label=_("Conditions de paiement"), max_length=300, required=False)
    payment_means = forms.ChoiceField(label=_("Moyen de paiement"), choices=PAYMENT_MEANS, initial="58")
    billing_frame = forms.ChoiceField(label=_("Cadre de facturation"), choices=BILLING_FRAMES, initial="S1")
    vat_on_debits = forms.BooleanField(label=_("Option pour le paiement de la TVA d'après les débits"),
                                       required=False)
    buyer_reference = forms.CharField(label=_("Référence acheteur"), max_length=100, required=False)
    purchase_order_reference = forms.CharField(label=_("N° de commande"), max_length=100, required=False)
    note_pmt = forms.CharField(label=_("Indemnité forfaitaire de recouvrement (PMT)"), widget=forms.Textarea(
        attrs={"rows": 2}), max_length=1000)
    note_pmd = forms.CharField(label=_("Pénalités de retard (PMD)"), widget=forms.Textarea(attrs={"rows": 2}),
                               max_length=1000)
    note_aab = forms.CharField(label=_("Escompte (AAB)"), widget=forms.Textarea(attrs={"rows": 2}),
                               max_length=1000)
    delivery_name = forms.CharField(label=_("Livré à"), max_length=200, required=False)
    delivery_address = forms.CharField(label=_("Adresse de livraison"), max_length=300, required=False)
    delivery_postal_code = forms.CharField(label=_("Code postal"), max_length=16, required=False)
    delivery_city = forms.CharField(label=_("Ville"), max_length=100, required=False)
    delivery_country = forms.CharField(label=_("Pays"), max_length=2, required=False, initial="FR")
    delivery_date = forms.DateField(label=_("Date de livraison"), widget=_date_widget(), required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers_of(dossier)

    @classmethod
    def initial_for(cls, dossier, today=None):
        """A new invoice's header, from the company's own terms (its "Société" page)."""
        today = today or timezone.localdate()
        days = dossier.payment_days
        return {
            "issue_date": today.isoformat(),
            "due_date": (today + datetime.timedelta(days=days)).isoformat(),
            "payment_terms": dossier.payment_terms or (
                _("Paiement à %(days)d jours date de facture, par virement") % {"days": days}),
            "payment_means": "58", "billing_frame": "S1", "delivery_country": "FR",
            "note_pmt": str(LEGAL_NOTES["PMT"]), "note_pmd": str(LEGAL_NOTES["PMD"]),
            "note_aab": str(LEGAL_NOTES["AAB"]),
        }

    def clean(self):
        data = super().clean()
        issued, due = data.get("issue_date"), data.get("due_date")
        if issued and due and due < issued:
            self.add_error("due_date", _("L'échéance ne peut pas précéder la date de facture."))
        return data


class LineForm(forms.Form):
    description = forms.CharField(label=_("Désignation"), max_length=500)
    quantity = LocalizedDecimalField(label=_("Quantité"), max_digits=19, decimal_places=4, initial=Decimal("1"))
    unit = forms.ChoiceField(label=_("Unité"), choices=UNITS, initial="C62")
    unit_price = LocalizedDecimalField(label=_("Prix unitaire HT"), max_digits=19, decimal_places=4, min_value=0)
    vat = forms.ChoiceField(label=_("TVA"), choices=VAT_CHOICES, initial="S:20")
    exemption_reason = forms.CharField(label=_("Motif d'exonération"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("vat") or "").startswith("E:") and not data.get("exemption_reason"):
            self.add_error("exemption_reason", _("Indiquez le motif d'exonération (par exemple l'article du CGI)."))
        return data


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=[("allowance", _("Remise")), ("charge", _("Frais"))])
    reason = forms.CharField(label=_("Motif"), max_length=200)
    amount = LocalizedDecimalField(label=_("Montant HT"), max_digits=19, decimal_places=2, min_value=Decimal("0.01"))
    vat = forms.ChoiceField(label=_("TVA"), choices=VAT_CHOICES, initial="S:20")


LineFormSet = forms.formset_factory(LineForm, extra=0, min_num=1, validate_min=True, max_num=MAX_LINES,
                                    validate_max=True, can_delete=True)
AdjustmentFormSet = forms.formset_factory(AdjustmentForm, extra=0, max_num=50, validate_max=True,
                                          can_delete=True)


class CustomerForm(forms.ModelForm):
    """A new customer, typed in the issuing form; SIREN look-up fills it when SIRENE answers."""

    class Meta:
        model = ThirdParty
        fields = ["siren", "name", "vat_number", "address", "postal_code", "city", "country", "billing_email",
                  "output_format"]

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["output_format"].initial = dossier.default_output_format
        self.fields["output_format"].choices = OutputFormat.choices
        self.fields["name"].required = False  # required only when no existing customer is picked

    def clean_siren(self):
        value = self.cleaned_data.get("siren")
        return clean_siren(value) if value else ""

    def clean_vat_number(self):
        return clean_vat_number(self.cleaned_data.get("vat_number"), self.cleaned_data.get("siren") or "")

    @property
    def is_filled(self):
        return bool(self.data.get(self.add_prefix("name")) or self.data.get(self.add_prefix("siren")))


HEADER_FIELDS = list(InvoiceForm.base_fields)
LINE_FIELDS = list(LineForm.base_fields)
ADJUSTMENT_FIELDS = list(AdjustmentForm.base_fields)
CUSTOMER_PREFIX = "new"


class IssuingForms:
    """The four forms of the issuing page, bound to a POST or shown from a draft.

    A draft (``Invoice.draft``) is what the person typed, as strings: saving
    never refuses an incomplete invoice, issuing does.
    """

    def __init__(self, dossier, *, data=None, draft=None, customer_data=None):
        self.dossier = dossier
        if data is not None:
            self.header = InvoiceForm(data, dossier=dossier)
            self.lines = LineFormSet(data, prefix="lines")
            self.adjustments = AdjustmentFormSet(data, prefix="adjustments")
            self.customer = CustomerForm(data, prefix=CUSTOMER_PREFIX, dossier=dossier)
            return
        draft = draft or {}
        header = {**InvoiceForm.initial_for(dossier), **{k: v for k, v in draft.items() if k in HEADER_FIELDS}}
        self.header = InvoiceForm(initial=header, dossier=dossier)
        self.lines = LineFormSet(prefix="lines", initial=draft.get("lines") or [{"quantity": "1", "unit": "C62",
                                                                                 "vat": "S:20"}])
        self.adjustments = AdjustmentFormSet(prefix="adjustments", initial=draft.get("adjustments") or [])
        self.customer = CustomerForm(initial=customer_data or {}, prefix=CUSTOMER_PREFIX, dossier=dossier)

    @property
    def bound(self):
        return self.header.is_bound

    def is_valid(self):
        results = [self.header.is_valid(), self.lines.is_valid(), self.adjustments.is_valid()]
        if self.header.is_valid() and not self.header.cleaned_data.get("customer"):
            results.append(self._new_customer_is_valid())
        return all(results)

    def _new_customer_is_valid(self):
        if not self.customer.is_valid():
            return False
        if not self.customer.cleaned_data.get("name"):
            self.customer.add_error("name", _("Choisissez un client ou saisissez le nom du nouveau client."))
            return False
        return True

    def add_engine_errors(self, placed):
        """Show the engine's findings (``issuing_errors.place_errors``) next to their fields."""
        for key, found in placed.items():
            for finding in found:
                self._add(key, findings.render_one(finding))

    def _add(self, key, message):
        prefix, _sep, rest = key.partition("-")
        if prefix in ("lines", "adjustments") and rest:
            index, _sep, field = rest.partition("-")
            formset = self.lines if prefix == "lines" else self.adjustments
            if index.isdigit() and int(index) < len(formset.forms):
                formset.forms[int(index)].add_error(field, message)
                return
        if key in HEADER_FIELDS:
            self.header.add_error(key, message)
        else:
            self.header.add_error(None, message)


def draft_from_data(data):
    """The draft a submitted form describes: raw strings, deleted rows left out."""
    draft = {name: data.get(name, "") for name in HEADER_FIELDS if name != "vat_on_debits"}
    draft["vat_on_debits"] = bool(data.get("vat_on_debits"))
    draft["lines"] = _rows(data, "lines", LINE_FIELDS)
    draft["adjustments"] = _rows(data, "adjustments", ADJUSTMENT_FIELDS)
    return draft


def customer_data(data):
    return {name: data.get(f"{CUSTOMER_PREFIX}-{name}", "") for name in CustomerForm.Meta.fields}


def _rows(data, prefix, fields):
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_LINES)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        if data.get(f"{prefix}-{index}-DELETE"):
            continue
        row = {name: data.get(f"{prefix}-{index}-{name}", "") for name in fields}
        if any(value for name, value in row.items() if name not in ("unit", "vat", "kind", "quantity")):
            rows.append(row)
    return rows
