"""Background work for projects: the story PDF is drawn on the task worker, never in a request.

The task carries the project's id and the audience only; it draws whatever the project's current version is
(``story_pdf.build``)."""

from django_tasks import task

from . import story_pdf


@task()
def build_story_pdf(*, project_id: int, audience: str, claimed: str = "") -> str:
    return story_pdf.build(project_id, audience, claimed)
