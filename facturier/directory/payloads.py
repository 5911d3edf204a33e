"""The Directory Service's resources as the document's schemas shape them.

What the platform does not know is left out rather than guessed (the prospecting
instruction, the B2G data of public bodies); what it knows of every dossier it lists is
constant: an active company (``A``) that receives through this accredited platform
(``WK``, line ``Enabled``).
"""

LEGAL_UNIT_FIELDS = ("siren", "businessName", "entityType", "administrativeStatus", "instructions")
FACILITY_FIELDS = ("siret", "siren", "name", "facilityType", "administrativeStatus", "siretInstructions", "address",
                   "pmStatus", "pmOnly", "managesPaymentStatus", "managesLegalCommitment",
                   "managesLegalCommitmentOrService", "serviceCodeStatus")
ROUTING_CODE_FIELDS = ("siret", "routingIdentifierType", "routingCodeName", "routingIdentifier",
                       "managesLegalCommitmentCode", "administrativeStatus", "address")
DIRECTORY_LINE_FIELDS = ("addressingIdentifier", "siren", "siret", "routingIdentifier", "addressingSuffix")
ACTIVE = "A"
PLATFORM_TYPE = "WK"  # UNCL 3035: value added network provider, i.e. an accredited platform (PA)
LINE_ENABLED = "Enabled"


def entity_type(siren):
    """SIRENs starting with 1 or 2 are those INSEE gives to public-law bodies (the State, local authorities)."""
    return "Public" if siren[:1] in ("1", "2") else "PrivateVatRegistered"


def projected(payload, fields, always=()):
    """Only the members ``fields`` names (all when empty), plus the included relations ``always``."""
    if not fields:
        return payload
    return {key: value for key, value in payload.items() if key in fields or key in always}


def address(dossier):
    postal_code = dossier.postal_code.replace(" ", "")
    payload = {"addressLine1": dossier.address[:255]}
    if postal_code.isdigit() and len(postal_code) <= 5:
        payload["postalCode"] = postal_code
    payload["locality"] = dossier.city[:100]
    payload["countryCode"] = dossier.country[:2]
    return payload


def legal_unit(dossier, fields=()):
    return projected({
        "siren": dossier.siren,
        "businessName": dossier.name[:150],
        "entityType": entity_type(dossier.siren),
        "administrativeStatus": ACTIVE,
    }, fields)


def facility(site, fields=(), include=()):
    dossier = site.dossier
    payload = {
        "siret": site.siret,
        "siren": dossier.siren,
        "name": (site.name or dossier.name)[:100],
        "facilityType": "P" if site.is_main else "S",
        "administrativeStatus": ACTIVE,
        "address": address(dossier),
    }
    if "siren" in include:
        payload["legalUnit"] = legal_unit(dossier)
    return projected(payload, fields, always=("legalUnit",))


def routing_code(code, fields=(), include=()):
    site = code.facility
    payload = {"routingIdentifier": code.identifier, "siret": site.siret}
    if code.identifier_type:
        payload["routingIdentifierType"] = code.identifier_type
    payload |= {"routingCodeName": code.name, "administrativeStatus": ACTIVE, "address": address(site.dossier)}
    if "siren" in include:
        payload["legalUnit"] = legal_unit(site.dossier)
    if "siret" in include:
        payload["facility"] = facility(site)
    return projected(payload, fields, always=("legalUnit", "facility"))


def directory_line(dossier, site=None, code=None, fields=(), include=()):
    """The line at which ``dossier`` receives: its SIREN, one of its facilities, or a routing code of one."""
    parts = [dossier.siren] + ([site.siret] if site else []) + ([code.identifier] if code else [])
    payload = {"addressingIdentifier": "_".join(parts), "platformType": PLATFORM_TYPE,
               "directoryLineStatus": LINE_ENABLED, "siren": dossier.siren}
    if site:
        payload["siret"] = site.siret
    if code:
        payload["routingIdentifier"] = code.identifier
    if code and "routingCode" in include:
        nested = {"routingIdentifier": code.identifier}
        if code.identifier_type:
            nested["routingIdentifierType"] = code.identifier_type
        payload["routingCode"] = nested | {"routingCodeName": code.name, "administrativeStatus": ACTIVE,
                                           "address": address(dossier)}
    if "siren" in include:
        payload["legalUnit"] = legal_unit(dossier)
    if site and "siret" in include:
        payload["facility"] = facility(site)
    return projected(payload, fields, always=("platformType", "directoryLineStatus", "routingCode", "legalUnit",
                                              "facility"))
