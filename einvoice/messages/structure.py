"""Messages for the rules about the file's structure rather than the invoice's content.

The CEN syntax bindings add hundreds of rules of a few kinds: an element the
norm does not use (``CII-SR-…``, ``UBL-CR-…``: a warning, the value is ignored),
an element given more than once, an attribute or data type the norm does not
allow (``CII-DT-…``, ``UBL-DT-…``). The Factur-X stylesheets number their
structural checks ``FX-SCH-A-…``. None of these is something a person fixes by
hand: the software that produced the file must; the messages say so.
"""

_NOT_USED = (("Le fichier contient une information que la norme européenne ne prévoit pas à cet endroit ; elle est "
             "ignorée. Rien à faire, sauf si cette information compte : demandez alors à l'émetteur de la faire "
             "figurer ailleurs."), ("The file contains information the European standard does not provide for "
             "here; it is ignored. Nothing to do unless that information matters: then ask the sender to give it "
             "elsewhere."))
_ONCE = (("Une information qui ne doit figurer qu'une fois apparaît plusieurs fois dans le fichier : le logiciel qui "
         "l'a produit doit être corrigé."), ("Information allowed once appears several times in the file: the "
         "software that produced it must be corrected."))
_SYNTAX = (("Le fichier utilise un élément ou une valeur que la norme n'autorise pas à cet endroit : le logiciel qui "
           "l'a produit doit être corrigé."), ("The file uses an element or value the standard does not allow here: "
           "the software that produced it must be corrected."))

# The Factur-X structural checks (FX-SCH-A-…) told apart by their technical text, first match wins.
REFINEMENTS = {
    "FX-SCH-A": [(r"^Value of .* is not allowed", "FX-SCH-A.code"), (r"is marked as not used", "FX-SCH-A.not-used")],
}

MESSAGES = {
    "CII-SR": _NOT_USED, "UBL-CR": _NOT_USED, "CII-EXT-DT": _NOT_USED, "CII-FREXT-CR": _NOT_USED,
    "CII-FREXT-DT": _NOT_USED, "CII-FREXTDT": _NOT_USED, "CII-FREXT-SR": _NOT_USED, "UBL-FREXT-CR": _NOT_USED,
    "CII-DT": _SYNTAX, "UBL-DT": _SYNTAX,
    "UBL-SR": _ONCE, "UBL-FREXT-SR": _ONCE,
    "CII-SR-009": ("Le fichier n'indique pas une fois, et une seule, la norme qu'il suit.",
                   "The file does not state, exactly once, the standard it follows."),
    "CII-SR-010": ("Le numéro de la facture doit figurer une fois, et une seule.",
                   "The invoice number must appear exactly once."),
    "CII-SR-014": ("Le type de document doit figurer une fois, et une seule.",
                   "The document type must appear exactly once."),
    "CII-SR-046": ("Un identifiant d'entreprise est donné sans son type (SIREN, SIRET, GLN…).",
                   "A company identifier is given without its scheme (SIREN, SIRET, GLN…)."),
    "CII-SR-455": _ONCE, "CII-SR-456": _ONCE, "CII-SR-461": _ONCE, "CII-SR-462": _ONCE,
    "CII-SR-463": ("Une remise ou des frais ne disent pas s'il s'agit d'une remise ou de frais.",
                   "An allowance or charge does not say which it is."),
    "CII-SR-464": ("Plusieurs références de paiement sont données : une seule est admise.",
                   "Several payment references are given: only one is allowed."),
    "CII-SR-465": ("Plusieurs identifiants de livraison sont donnés : un seul est admis.",
                   "Several delivery identifiers are given: only one is allowed."),
    "CII-SR-466": ("Plusieurs identifiants de commande sont donnés : un seul est admis.",
                   "Several order identifiers are given: only one is allowed."),
    "CII-SR-467": ("Les moyens de paiement indiqués ne sont pas tous du même type.",
                   "The payment means given are not all of the same type."),
    "CII-SR-468": ("Les libellés des moyens de paiement ne sont pas identiques.",
                   "The payment means texts differ."),
    "CII-SR-470": ("Le compte bancaire à créditer n'est pas indiqué correctement : il faut l'IBAN du vendeur.",
                   "The account to credit is not given properly: the seller's IBAN is needed.",
                   "Renseignez l'IBAN de l'entreprise dans Paramètres › Société.",
                   "Enter the company's IBAN in Settings › Company."),
    "CII-SR-471": ("Une remise ou des frais n'ont pas de catégorie de TVA.",
                   "An allowance or charge has no VAT category.",
                   "Choisissez la TVA de la remise ou des frais dans le formulaire de facture.",
                   "Choose the allowance's or charge's VAT on the invoice form."),
    "CII-SR-472": ("Une remise ou des frais n'ont pas de taux de TVA.", "An allowance or charge has no VAT rate.",
                   "Choisissez la TVA de la remise ou des frais dans le formulaire de facture.",
                   "Choose the allowance's or charge's VAT on the invoice form."),
    "CII-DT-097": ("Une date n'est pas écrite au format AAAAMMJJ.", "A date is not written as YYYYMMDD."),
    "UBL-DT-01": ("Un montant a plus de deux décimales : il doit être arrondi au centime.",
                  "An amount has more than two decimals: it must be rounded to the cent."),
    "UBL-DT-06": ("Une pièce jointe n'indique pas son type de fichier.", ("An attachment does not give its file "
                  "type.")),
    "UBL-DT-07": ("Une pièce jointe n'a pas de nom de fichier.", "An attachment has no file name."),
    "UBL-SR-07": ("Une référence à une facture antérieure n'a pas de numéro.",
                  "A reference to a preceding invoice has no number."),
    "UBL-SR-48": ("Une ligne doit avoir exactement une catégorie de TVA.", ("A line must have exactly one VAT "
                  "category.")),
    "UBL-SR-53": ("Le régime de TVA est indiqué sans numéro de TVA.", ("The VAT scheme is given without a VAT "
                  "number.")),
    "PEPPOL-EN16931-R008": ("Le fichier contient des éléments vides ; ils sont ignorés.",
                            "The file contains empty elements; they are ignored."),
    "FX-SCH-A": (("Le fichier ne respecte pas la structure du profil Factur-X qu'il annonce (élément manquant, en "
                 "trop ou valeur non prévue) : le logiciel qui l'a produit doit être corrigé."),
                 ("The file does not follow the structure of the Factur-X profile it claims (an element missing, "
                 "repeated or with an unexpected value): the software that produced it must be corrected.")),
    "FX-SCH-A.code": (("Un code du fichier n'appartient pas à la liste officielle prévue pour ce champ (unité, pays, "
                      "devise, moyen de paiement…) : le logiciel qui l'a produit doit être corrigé."),
                      ("A code in the file is not in the official list for its field (unit, country, currency, "
                      "payment means…): the software that produced it must be corrected.")),
    "FX-SCH-A.not-used": _NOT_USED,
    # An assertion the official artefact left without an id.
    "schematron": _SYNTAX,
    # The XML Schema of the syntax (one rule for every XSD error).
    "xsd": (("Le fichier ne respecte pas le schéma XML de son format (élément manquant, mal placé ou mal écrit) : "
            "le logiciel qui l'a produit doit être corrigé."), ("The file does not follow its format's XML schema "
            "(an element missing, misplaced or badly written): the software that produced it must be corrected.")),
}
