"""Messages for what the engine itself reports: files it cannot read or does not handle.

Engine exceptions carry a broad rule (``unreadable``, ``unsupported-format``,
``too-large``…) and a technical text. The commonest cases get a message of
their own, told apart by that text (``error_rule``): a file that is not XML at
all deserves another answer than a corrupt PDF or an Order-X.
"""

import re

from einvoice.errors import EInvoiceError

_ASK_SENDER = ("Demandez à l'émetteur de vous la renvoyer au format Factur-X, UBL ou CII.",
               "Ask the sender to send it again as Factur-X, UBL or CII.")

MESSAGES = {
    "unreadable": ("Ce fichier n'a pas pu être lu : il est abîmé ou ce n'est pas une facture électronique.",
                   "This file could not be read: it is damaged or is not an electronic invoice.", *_ASK_SENDER),
    "unreadable.not-xml": ("Ce fichier n'est pas une facture électronique (ni XML ni PDF Factur-X).",
                           "This file is not an electronic invoice (neither XML nor Factur-X PDF).", *_ASK_SENDER),
    "unreadable.malformed-xml": ("Ce fichier XML est incomplet ou abîmé.", "This XML file is incomplete or damaged.",
                                 *_ASK_SENDER),
    "unreadable.hostile": ("Ce fichier XML contient des déclarations refusées par sécurité (DOCTYPE, entités).",
                           "This XML file contains declarations refused for security (DOCTYPE, entities).",
                           *_ASK_SENDER),
    "unreadable.corrupt-pdf": ("Ce PDF est abîmé et n'a pas pu être ouvert.", ("This PDF is damaged and could not be "
                               "opened."), *_ASK_SENDER),
    "unreadable.encrypted-pdf": (("Ce PDF est protégé par un mot de passe : la facture qu'il contient ne peut pas "
                                 "être lue."), "This PDF is password-protected: the invoice inside cannot be read.",
                                 *_ASK_SENDER),
    "unreadable.value": ("Une valeur de la facture est illisible (montant, date ou pièce jointe mal écrits).",
                         "A value in the invoice is unreadable (an amount, date or attachment badly written).",
                         *_ASK_SENDER),
    "unsupported-format": (("Ce format de fichier n'est pas pris en charge : seules les factures Factur-X, UBL et "
                           "CII le sont."), ("This file format is not supported: only Factur-X, UBL and CII invoices "
                           "are."), *_ASK_SENDER),
    "unsupported-format.pdf-without-invoice": (
        "Ce PDF ne contient pas de facture électronique : c'est une simple image de facture.",
        "This PDF carries no electronic invoice: it is only a picture of an invoice.", *_ASK_SENDER),
    "unsupported-format.order-x": ("C'est une commande (Order-X), pas une facture.",
                                   "This is an order (Order-X), not an invoice.",
                                   "Seules les factures sont déposées ici.", "Only invoices are filed here."),
    "unsupported-format.lifecycle-message": (
        "C'est un message de statut de facture (CDAR), pas une facture.",
        "This is an invoice status message (CDAR), not an invoice.",
        "Les statuts arrivent d'eux-mêmes sur la page de la facture.", ("Statuses reach the invoice's page by "
        "themselves.")),
    "unsupported-format.older-standard": (
        "Cette facture suit un ancien standard (ZUGFeRD 1.0) qui n'est plus admis.",
        "This invoice follows an old standard (ZUGFeRD 1.0) that is no longer accepted.", *_ASK_SENDER),
    "unsupported-format.foreign": ("Cette facture suit un format national étranger (FatturaPA…) non admis en France.",
                                   ("This invoice follows a foreign national format (FatturaPA…) not accepted in "
                                   "France."), *_ASK_SENDER),
    "too-large": ("Ce fichier est trop volumineux pour être traité.", "This file is too large to be processed.",
                  "Demandez une facture sans pièces jointes superflues.",
                  "Ask for an invoice without unnecessary attachments."),
    "write-error": ("La facture n'a pas pu être produite dans ce format.", ("The invoice could not be produced in "
                    "this format."), "Choisissez un autre format d'envoi dans la fiche du client.",
                    "Choose another output format in the customer's record."),
    "invalid-lifecycle-message": ("Ce statut ne respecte pas les règles françaises des statuts de facture.",
                                  "This status breaks the French rules on invoice statuses."),
    "schematron-failure": (("Une valeur de la facture empêche de finir les contrôles (une date ou un nombre mal "
                           "écrit, le plus souvent)."), ("A value in the invoice stops the checks from finishing "
                           "(usually a badly written date or number)."), *_ASK_SENDER),
    "error": ("La facture n'a pas pu être traitée.", "The invoice could not be processed."),
}

# (pattern in the technical text, refined rule) for each broad rule, first match wins.
_DETAILS = {
    "unreadable": [
        (r"not an XML", "unreadable.not-xml"),
        (r"malformed XML", "unreadable.malformed-xml"),
        (r"DOCTYPE|entit", "unreadable.hostile"),
        (r"encrypted PDF", "unreadable.encrypted-pdf"),
        (r"corrupt PDF", "unreadable.corrupt-pdf"),
        (r"not a decimal|not a valid date|not a boolean|base64|charge indicator", "unreadable.value"),
    ],
    "unsupported-format": [
        (r"Order-X", "unsupported-format.order-x"),
        (r"ZUGFeRD", "unsupported-format.older-standard"),
        (r"CDAR", "unsupported-format.lifecycle-message"),
        (r"FatturaPA", "unsupported-format.foreign"),
        (r"no structured invoice", "unsupported-format.pdf-without-invoice"),
    ],
}


def error_rule(error):
    """The catalogue key of an engine exception: its rule, refined by its text where a message of its own exists."""
    rule = refined_rule(error.rule if isinstance(error, EInvoiceError) else "error", str(error))
    return rule if rule in MESSAGES else "error"


def refined_rule(rule, text):
    """``unreadable`` + "not an XML document" → ``unreadable.not-xml``; the rule itself when nothing finer fits."""
    for pattern, refined in _DETAILS.get(rule, ()):
        if re.search(pattern, text or ""):
            return refined
    return rule
