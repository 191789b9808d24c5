"""Background work for imports of large files: checking and writing run on the task worker."""

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from .models import DataImport

logger = logging.getLogger(__name__)


@task()
def check_import(*, import_id: int) -> str:
    from .imports import import_check

    data_import = DataImport.objects.select_related("measure").get(pk=import_id)
    return import_check(data_import).status


@task()
def commit_import(*, import_id: int, actor_id: int | None) -> str:
    from django.core.exceptions import ValidationError

    from .imports import import_commit

    data_import = DataImport.objects.select_related("measure").get(pk=import_id)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    try:
        import_commit(data_import=data_import, actor=actor, claimed=True)  # the page claimed it
    except ValidationError:
        logger.info("import %s refused at commit", data_import.public_id)
    except Exception:  # recorded on the import as failed; the task must not crash the worker
        logger.exception("import %s failed", data_import.public_id)
    return DataImport.objects.get(pk=import_id).status
