"""Finding the dossier's customer or supplier an invoice file names, or adding it."""

from facturier.invoices.models import ThirdParty

ROLES = {"supplier": "is_supplier", "customer": "is_customer"}


def match_party(dossier, party, *, siren, vat, name, role, account=("", "")):
    """The dossier's third party for ``party`` (an engine party): by SIREN, then VAT number, else created.

    ``role`` ("supplier" or "customer") is set on the match; None when the file
    gives neither SIREN nor VAT number to know the party by. ``account`` (IBAN,
    BIC) is learnt from the party's invoices until someone sets one.
    """
    flag = ROLES[role]
    if not (siren or vat):
        return None
    known = ThirdParty.objects.filter(dossier=dossier)
    match = (siren and known.filter(siren=siren).order_by("pk").first()) or (
        vat and known.filter(vat_number=vat).order_by("pk").first())
    if match:
        changed = []
        if not getattr(match, flag):
            setattr(match, flag, True)
            changed.append(flag)
        if account[0] and not match.iban:
            match.iban, match.bic = account
            changed += ["iban", "bic"]
        if changed:
            match.save(update_fields=changed)
        return match
    address = party.address if party else None
    electronic = party.electronic_address if party else None
    return ThirdParty.objects.create(
        dossier=dossier, **{flag: True}, name=(name or siren or vat)[:200], siren=siren,
        vat_number=vat[:20], country=((address and address.country_code) or "FR")[:2],
        electronic_address=((electronic and electronic.value) or "")[:200],
        electronic_address_scheme=((electronic and electronic.scheme) or "0225")[:8],
        address=((address and address.line1) or "")[:300], postal_code=((address and address.postcode) or "")[:16],
        city=((address and address.city) or "")[:100], output_format=dossier.default_output_format,
        iban=account[0], bic=account[1],
    )
