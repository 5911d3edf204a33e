"""What the upload page says about each file received, in the reader's language.

The file's row keeps the outcome (a code) and the engine's technical text;
the sentence a person reads is made when the page is shown, so it follows
their language and the message catalogue (``einvoice.messages``), not the
language of whoever uploaded the file.
"""

from dataclasses import dataclass

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from einvoice.messages import explain
from facturier.invoices import findings
from facturier.invoices.models import IncomingFile

Outcome = IncomingFile.Outcome
# The engine rule behind each refusal (einvoice.errors).
REFUSAL_RULES = {Outcome.UNREADABLE: "unreadable", Outcome.UNSUPPORTED: "unsupported-format",
                 Outcome.TOO_LARGE: "too-large"}


@dataclass(frozen=True)
class FileResult:
    item: IncomingFile
    url: str  # the invoice's page, "" when there is none
    message: str
    findings: list

    @property
    def erased(self):
        """A file that was not an invoice, kept its short time and erased since (the row says what it was)."""
        item = self.item
        return item.held_id is None and item.archived_id is None and item.outcome in REFUSAL_RULES \
            and item.outcome != Outcome.TOO_LARGE


def file_result(item, url):
    """The sentence and the findings shown for one received file."""
    if item.outcome == Outcome.PENDING:
        message = _("Fichier reçu, lecture et validation en cours : cette page se met à jour d'elle-même.")
        return FileResult(item, url, message, [])
    if item.outcome == Outcome.ACCEPTED and item.invoice is not None:
        errors = (item.invoice.validation or {}).get("errors") or []
        if not errors:
            return FileResult(item, url, _("Facture valide."), [])
        message = ngettext("Facture reçue avec %(count)d erreur de validation.",
                           "Facture reçue avec %(count)d erreurs de validation.", len(errors)) % {"count": len(errors)}
        return FileResult(item, url, message, findings.grouped(errors))
    if item.outcome == Outcome.RECOGNITION:
        return FileResult(item, url, _("Facture sans données structurées : elle est lue automatiquement, "
                                       "puis vous vérifiez les champs lus avant de l'enregistrer."), [])
    if item.outcome == Outcome.DUPLICATE:
        message = _("Cette facture a déjà été reçue : elle n'est pas enregistrée une seconde fois.")
        return FileResult(item, url, "", [_refusal(item, "", message, "")])
    rule = REFUSAL_RULES.get(item.outcome, "error")
    plain, language = explain(rule, item.message), get_language() or "fr"
    return FileResult(item, url, "", [_refusal(item, rule, plain.text(language), plain.fix(language))])


def _refusal(item, rule, message, fix):
    """Why the file was not filed as an invoice; the row's own text kept behind "détails"."""
    return findings.Finding(rule=rule, message=message, fix=fix, blocking=True, count=1,
                            details=(findings.Detail(item.message, ""),))
