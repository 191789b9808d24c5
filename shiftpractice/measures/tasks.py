"""Background work for imports of large files: checking and writing run on the task worker.

Each task carries the lease token of the claim it works for: a task for a claim that has since been given
back, taken over or cancelled records nothing (``imports``)."""

import logging
import uuid

from django.contrib.auth import get_user_model
from django_tasks import task

from .models import DataImport

logger = logging.getLogger(__name__)


def _token(token: str | None) -> uuid.UUID | None:
    return uuid.UUID(token) if token else None


@task()
def check_import(*, import_id: int, token: str | None = None) -> str:
    from .imports import import_check

    data_import = DataImport.objects.select_related("measure").filter(pk=import_id).first()
    if data_import is None:
        return "gone"
    try:
        return import_check(data_import, token=_token(token)).status
    except Exception:  # a check that breaks is recovered when its lease runs out; the worker carries on
        logger.exception("checking import %s failed", data_import.public_id)
        return DataImport.objects.get(pk=import_id).status


@task()
def commit_import(*, import_id: int, actor_id: int | None, token: str | None = None) -> str:
    from django.core.exceptions import ValidationError

    from .imports import import_commit

    data_import = DataImport.objects.select_related("measure").filter(pk=import_id).first()
    if data_import is None:
        return "gone"
    data_import.lease_token = _token(token) or data_import.lease_token
    actor = get_user_model().objects.filter(pk=actor_id).first()
    try:
        import_commit(data_import=data_import, actor=actor, claimed=True)  # the page claimed it
    except ValidationError:
        logger.info("import %s refused at commit", data_import.public_id)
    except Exception:  # recorded on the import as failed; the task must not crash the worker
        logger.exception("import %s failed", data_import.public_id)
    return DataImport.objects.get(pk=import_id).status


@task()
def refresh_programme_summaries(*, programme_id: int) -> int:
    """The programme's chart settings changed: store every one of its measures' chart summaries again."""
    from .summaries import refresh_programme

    return refresh_programme(programme_id)
