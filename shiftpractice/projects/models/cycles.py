"""PDSA cycles: numbered per project, testing a change idea, moving Plan -> Do -> Study -> Act."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from shiftpractice.core.models import PublicIdModel, TimeStampedModel

from ..choices import ActDecision, CycleStatus, LearningLoop
from .drivers import DriverNode
from .project import ChangeProject


class Cycle(PublicIdModel, TimeStampedModel):
    """One Plan-Do-Study-Act cycle. Locked once complete; later corrections are recorded, not overwritten."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    change_idea = models.ForeignKey(
        DriverNode, null=True, blank=True, on_delete=models.SET_NULL, related_name="cycles"
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_cycles",
        help_text="The cycle this one builds on, making a ramp of linked tests.",
    )
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default=CycleStatus.PLANNING)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # Every write bumps it; a form carries the revision it was opened at, and the edits since then (kept in
    # CycleEdit) tell which fields someone else changed, so edits merge field by field.
    revision = models.PositiveIntegerField(default=1)

    # Plan
    objective = models.TextField(blank=True)
    questions = models.TextField("questions this test answers", blank=True)
    prediction = models.TextField(blank=True)
    tasks = models.TextField("tasks: who, what, when, where", blank=True)
    data_plan = models.TextField("data collection plan", blank=True)
    # Do
    carried_out_as_planned = models.BooleanField(null=True, blank=True)
    what_happened = models.TextField(blank=True)
    observations = models.TextField(blank=True)
    problems = models.TextField("problems and surprises", blank=True)
    # Study
    results = models.TextField("results against the prediction", blank=True)
    learning = models.TextField("what we learned", blank=True)
    learning_loop = models.CharField(max_length=8, choices=LearningLoop.choices, blank=True)
    # Act
    decision = models.CharField(max_length=8, choices=ActDecision.choices, blank=True)
    next_step = models.TextField(blank=True)

    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "number"]
        # A project's latest cycle change. (The portfolio read it for last activity until that became the
        # project's own ``updated_at``, measures migration 0008; the index is left in place.)
        indexes = [models.Index(fields=["project", "updated_at"], name="cycle_project_updated")]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="cycle_number_unique_in_project"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="cycle_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
        ]

    def __str__(self) -> str:
        return f"PDSA {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:cycle", args=[self.project.public_id, self.number])

    @property
    def is_locked(self) -> bool:
        return self.status == CycleStatus.COMPLETE


class CycleCorrection(models.Model):
    """A change made to a completed cycle: who, when, which field, from what to what, and why."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    reason = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "made_at", "id"]

    def __str__(self) -> str:
        return f"Correction to {self.cycle}: {self.field}"


class CycleEdit(models.Model):
    """One change to one field of a cycle: who, when, from what to what (as text), and the revision it made.

    Every edit is kept, not only corrections, so a form opened at an older revision can be merged with what
    others saved since (the value a field held at any revision can be read back from here).
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="edits")
    revision = models.PositiveIntegerField(
        help_text="The cycle's revision this change produced; 0 for corrections made before edits were kept."
    )
    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    correction = models.OneToOneField(
        CycleCorrection, on_delete=models.CASCADE, null=True, blank=True, related_name="edit"
    )

    class Meta:
        ordering = ["cycle", "revision", "id"]
        indexes = [models.Index(fields=["cycle", "field", "revision"], name="cycle_edit_field_revision")]

    def __str__(self) -> str:
        return f"Edit {self.revision} of {self.cycle}: {self.field}"
