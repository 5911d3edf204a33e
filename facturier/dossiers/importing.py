"""Creating the dossiers of a checked client list, then completing them from SIRENE.

The import is one transaction: the valid rows all become dossiers, or, if the
database refuses one (another import created the same SIREN meanwhile), none
does. Registry enrichment runs afterwards as a background task and never
fails the import.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from facturier.audit.models import AuditAction, AuditEvent, record, record_many
from facturier.dossiers.models import Assignment, Dossier, DossierStatus
from facturier.registry.exceptions import RegistryUnavailable
from facturier.registry.service import lookup_company

logger = logging.getLogger(__name__)
BATCH_SIZE = 500
RETRY_DELAY = timedelta(minutes=10)  # times the attempt number
MAX_ATTEMPTS = 5


class ImportConflict(Exception):
    """The database refused the import; nothing was created."""


def import_dossiers(firm, actor, validation, *, source=""):
    """Create one not-activated dossier per valid row, with its assignments; answer the dossiers."""
    try:
        with transaction.atomic():
            dossiers = create_dossiers(firm, actor, validation.drafts)
            record(actor, AuditAction.DOSSIERS_IMPORTED, firm=firm, target=source, created=len(dossiers),
                   invalid_rows=len(validation.invalid_rows), rows=validation.rows)
    except IntegrityError as error:
        raise ImportConflict(str(error)) from error
    pending = [[dossier.pk, list(draft.from_registry)]
               for dossier, draft in zip(dossiers, validation.drafts, strict=True) if draft.from_registry]
    if pending:
        transaction.on_commit(lambda: enrich_imported_dossiers.enqueue(pending))
    return dossiers


def create_dossiers(firm, actor, drafts):
    dossiers = Dossier.objects.bulk_create(
        [Dossier(firm=firm, status=DossierStatus.NOT_ACTIVATED, **draft.values) for draft in drafts],
        batch_size=BATCH_SIZE,
    )
    Assignment.objects.bulk_create(
        [Assignment(dossier=dossier, user_id=user_id)
         for dossier, draft in zip(dossiers, drafts, strict=True) for user_id in draft.assignee_ids],
        batch_size=BATCH_SIZE,
    )
    record_many(
        [AuditEvent(actor=actor, action="dossier_created", firm=firm, dossier=dossier, target=dossier.name,
                    detail={"source": "import", "assigned": draft.assignee_ids})
         for dossier, draft in zip(dossiers, drafts, strict=True)],
        batch_size=BATCH_SIZE,
    )
    return dossiers


@task()
def enrich_imported_dossiers(pending, attempt=1):
    """Fill the fields the sheet left empty from SIRENE; what the sheet or a person wrote stays.

    ``pending`` lists ``[dossier id, [field, ...]]``. When the registry is down
    (or rate-limits us) the rest is tried again later, a few times; meanwhile
    the dossiers keep what the sheet gave and can be completed by hand.
    """
    completed = 0
    for index, (dossier_id, fields) in enumerate(pending):
        dossier = Dossier.objects.filter(pk=dossier_id).first()
        if dossier is None:
            continue
        try:
            company = lookup_company(dossier.siren)
        except RegistryUnavailable as error:
            retry_later(pending[index:], attempt, error)
            break
        if company is not None and complete(dossier, company, fields):
            completed += 1
    return completed


def retry_later(pending, attempt, error):
    backend = enrich_imported_dossiers.get_backend()
    if attempt >= MAX_ATTEMPTS or not backend.supports_defer:
        logger.warning("Registry enrichment of %s dossiers abandoned: %s", len(pending), error)
        return
    run_after = timezone.now() + RETRY_DELAY * attempt
    enrich_imported_dossiers.using(run_after=run_after).enqueue(pending, attempt + 1)


def complete(dossier, company, fields):
    changed = []
    for name in fields:
        placeholder = dossier.siren if name == "name" else ""
        value = getattr(company, name)
        if value and getattr(dossier, name) == placeholder:
            setattr(dossier, name, value[: Dossier._meta.get_field(name).max_length])
            changed.append(name)
    if changed:
        dossier.save(update_fields=changed)
        record(None, AuditAction.DOSSIER_COMPLETED_FROM_REGISTRY, dossier=dossier, fields=changed)
    return bool(changed)
