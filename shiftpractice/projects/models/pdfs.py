"""The lease on a project's story PDF build: at most one build at a time per project, whatever the audience."""

from django.db import models

from .project import ChangeProject


class StoryPdfBuild(models.Model):
    """The project's story PDF build in progress, if any (``story_pdf.request_build``).

    A build is claimed with one conditional UPDATE that only succeeds when no lease is running
    (``lease_expires`` empty or past), so two requests, on any number of web processes, never start two
    builds of one project; the build gives the lease back when it ends, and a build whose worker died is
    claimed again once its lease has run out.
    """

    project = models.OneToOneField(
        ChangeProject, on_delete=models.CASCADE, primary_key=True, related_name="pdf_build"
    )
    audience = models.CharField(max_length=10, blank=True)
    version = models.CharField(max_length=40, blank=True, help_text="The version being drawn.")
    token = models.UUIDField(null=True, blank=True, help_text="The claim of the build in progress.")
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    lease_expires = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=12, blank=True, help_text="How the latest build ended.")

    class Meta:
        ordering = ["project"]

    def __str__(self) -> str:
        return f"Story PDF build of {self.project_id}"
