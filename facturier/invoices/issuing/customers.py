"""The customers of a dossier (ThirdParty rows with ``is_customer``).

A customer is created from the issuing form, its identity filled from SIRENE
when the registry answers; when it does not, the person completes it by hand
and nothing waits on the registry.
"""

from django.utils.translation import gettext as _

from facturier.audit.models import AuditAction
from facturier.audit.models import record as audit
from facturier.collation import french
from facturier.identifiers import french_vat_number
from facturier.invoices.models import ThirdParty
from facturier.registry.exceptions import InvalidSiren, RegistryUnavailable
from facturier.registry.service import lookup_company


# Countries whose companies read the invoice e-mail in French; others get English.
def customers_of(dossier):
    return ThirdParty.objects.filter(dossier=dossier, is_customer=True).order_by(french("name"), "pk")


def registry_prefill(siren):
    """(fields, warning): what SIRENE says of ``siren``, or why the person must type it."""
    try:
        record = lookup_company(siren)
    except InvalidSiren as error:
        return {}, str(error)
    except RegistryUnavailable:
        return {}, _("La base SIRENE ne répond pas pour le moment : complétez la fiche à la main.")
    if record is None:
        return {}, _("Ce SIREN est introuvable dans la base SIRENE.")
    fields = {
        "siren": record.siren, "name": record.name, "address": record.address, "postal_code": record.postal_code,
        "city": record.city, "country": record.country or "FR",
        "vat_number": record.vat_number or french_vat_number(record.siren),
    }
    warning = _("Cette entreprise est fermée.") if record.is_closed else ""
    return fields, warning


def create_customer(dossier, fields, *, by=None):
    """A new customer of ``dossier``; an existing one with the same SIREN is reused and completed."""
    siren = fields.get("siren") or ""
    existing = customers_of(dossier).filter(siren=siren).first() if siren else None
    if existing is None and siren:
        existing = ThirdParty.objects.filter(dossier=dossier, siren=siren).first()
    customer = existing or ThirdParty(dossier=dossier, output_format=dossier.default_output_format)
    for name, value in fields.items():
        if value not in (None, "") or existing is None:
            setattr(customer, name, value)
    customer.is_customer = True
    if not customer.electronic_address and siren:
        customer.electronic_address, customer.electronic_address_scheme = siren, "0225"
    customer.save()
    audit(by, AuditAction.CUSTOMER_CREATED if existing is None else AuditAction.CUSTOMER_UPDATED, dossier=dossier,
          target=customer.name, customer=customer.pk)
    return customer
