"""Background work for case studies: a published version's PDF is drawn on the task worker, never in a request."""

from django_tasks import task

from . import pdf


@task()
def build_case_study_pdf(*, version_id: int) -> str:
    return pdf.build(version_id)
