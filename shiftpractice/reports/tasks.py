"""Background work for reports: a published version's PDF is drawn on the task worker, never in a request."""

from django_tasks import task

from .pdf import PDF


@task()
def build_report_pdf(*, pk: int) -> str:
    return PDF.build(pk)
