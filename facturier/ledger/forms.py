from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from facturier.ledger.chart import format_rate
from facturier.ledger.models import VAT_RATES, LedgerSettings

account_number = RegexValidator(r"^[0-9][0-9A-Z]{2,19}$", _("Un numéro de compte commence par un chiffre "
                                                            "(3 à 20 caractères, chiffres ou majuscules)."))
journal_code = RegexValidator(r"^[0-9A-Z]{1,6}$", _("Un code journal compte 1 à 6 chiffres ou majuscules."))
prefix = RegexValidator(r"^[0-9]{2,6}$", _("Un préfixe compte 2 à 6 chiffres."))

# Each account field and the class of the French chart it must belong to.
ACCOUNT_CLASSES = {
    "default_purchase_account": ("6", _("Le compte d'achat doit être un compte de charge (classe 6).")),
    "default_sales_account": ("7", _("Le compte de vente doit être un compte de produit (classe 7).")),
    "supplier_account": ("40", _("Le compte fournisseurs doit commencer par 40.")),
    "customer_account": ("41", _("Le compte clients doit commencer par 41.")),
    "deductible_vat_account": ("4456", _("Le compte de TVA déductible doit commencer par 4456.")),
    "collected_vat_account": ("4457", _("Le compte de TVA collectée doit commencer par 4457.")),
}


class LedgerSettingsForm(forms.ModelForm):
    """The accounting settings of a dossier, with one VAT sub-account per French rate and side."""

    class Meta:
        model = LedgerSettings
        fields = [
            "purchase_journal", "purchase_journal_label", "sales_journal", "sales_journal_label",
            "default_purchase_account", "default_sales_account", "supplier_account", "customer_account",
            "deductible_vat_account", "collected_vat_account", "auxiliary_rule",
            "auxiliary_prefix_supplier", "auxiliary_prefix_customer",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ACCOUNT_CLASSES:
            self.fields[name].validators.append(account_number)
        for name in ("purchase_journal", "sales_journal"):
            self.fields[name].validators.append(journal_code)
        for name in ("auxiliary_prefix_supplier", "auxiliary_prefix_customer"):
            self.fields[name].validators.append(prefix)
        sides = (("deductible", _("TVA déductible %(rate)s %%")), ("collected", _("TVA collectée %(rate)s %%")))
        for side, label in sides:
            current = getattr(self.instance, f"{side}_vat_by_rate") or {}
            for rate in VAT_RATES:
                self.fields[self.rate_field(side, rate)] = forms.CharField(
                    label=label % {"rate": format_rate(Decimal(rate))}, required=False, initial=current.get(rate, ""),
                    validators=[account_number],
                    help_text=_("Vide : le compte de TVA de base."),
                )

    @staticmethod
    def rate_field(side, rate):
        return f"{side}_vat_{rate.replace('.', '_')}"

    @property
    def deductible_rate_fields(self):
        return [self[self.rate_field("deductible", rate)] for rate in VAT_RATES]

    @property
    def collected_rate_fields(self):
        return [self[self.rate_field("collected", rate)] for rate in VAT_RATES]

    def clean(self):
        data = super().clean()
        for name, (start, message) in ACCOUNT_CLASSES.items():
            if data.get(name) and not data[name].startswith(start):
                self.add_error(name, message)
        for side, start in (("deductible", "4456"), ("collected", "4457")):
            for rate in VAT_RATES:
                field = self.rate_field(side, rate)
                if data.get(field) and not data[field].startswith(start):
                    self.add_error(field, _("Ce compte de TVA doit commencer par %(start)s.") % {"start": start})
        return data

    def save(self, commit=True):
        for side in ("deductible", "collected"):
            setattr(self.instance, f"{side}_vat_by_rate", {
                rate: self.cleaned_data[self.rate_field(side, rate)]
                for rate in VAT_RATES if self.cleaned_data.get(self.rate_field(side, rate))
            })
        return super().save(commit)
