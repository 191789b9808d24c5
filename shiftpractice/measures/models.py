"""Measures of a change project, their data points, phases, the history of every change, and imports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shiftpractice.core.models import PublicIdModel, TimeStampedModel
from shiftpractice.programmes.models import Programme
from shiftpractice.projects.models import ChangeProject

from .choices import Chart, DataKind, Direction, Frequency, ImportStatus, MeasureType, RuleSetName


class ProgrammeChartSettings(models.Model):
    """How a programme reads its charts by default: the rule set, and whether values get the NHS XmR view."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="chart_settings")
    rule_set = models.CharField(
        max_length=10,
        choices=RuleSetName.choices,
        blank=True,
        help_text="Blank: each chart's usual rules (Anhøj for run and Shewhart charts, NHS for XmR charts).",
    )
    prefer_xmr = models.BooleanField(
        "draw continuous values on the NHS XmR chart",
        default=True,
        help_text="Otherwise they go on a qicharts2-style I chart.",
    )

    class Meta:
        ordering = ["programme"]
        verbose_name_plural = "programme chart settings"

    def __str__(self) -> str:
        return f"Chart settings of {self.programme}"


class Measure(PublicIdModel, TimeStampedModel):
    """One measure in a project's family of measures, with its definition and how its chart is read."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200)
    measure_type = models.CharField("type", max_length=16, choices=MeasureType.choices)
    definition = models.TextField(
        "operational definition", blank=True, help_text="Exactly what is counted or measured, and how."
    )
    collected_by = models.CharField("who collects the data", max_length=200, blank=True)
    collection_method = models.TextField("how the data are collected", blank=True)
    collection_schedule = models.CharField("how often the data are collected", max_length=200, blank=True)
    sampling = models.TextField("sampling", blank=True)
    unit = models.CharField(
        max_length=60, blank=True, help_text="For example: referrals, %, minutes, kg CO2e."
    )
    data_kind = models.CharField("kind of data", max_length=16, choices=DataKind.choices)
    rate_per = models.PositiveIntegerField(
        "rate per",
        default=1000,
        help_text="For rates: the rate is given per this many (for example, per 1,000 bed days).",
    )
    direction = models.CharField(
        "improvement direction", max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    target = models.FloatField(null=True, blank=True)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.MONTH)
    chart = models.CharField(
        "chart", max_length=4, choices=Chart.choices, blank=True, help_text="Blank: chosen automatically."
    )
    rule_set = models.CharField(
        max_length=10, choices=RuleSetName.choices, blank=True, help_text="Blank: the programme's default."
    )
    freeze_at = models.PositiveIntegerField(
        "baseline frozen after point",
        null=True,
        blank=True,
        help_text="The centre line and limits are calculated from the first this-many points only.",
    )
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The PDSA cycles that test a change this measure is meant to show. A cycle tied to any measure is
    # marked only on those measures' charts; a cycle tied to none is marked on all. The relation lives here
    # because measures sits above projects in the layering.
    tested_by_cycles = models.ManyToManyField(
        "projects.Cycle",
        blank=True,
        related_name="tested_measures",
        verbose_name="PDSA cycles that test it",
    )

    class Meta:
        ordering = ["project", "position", "id"]
        # A project's latest data change. (The portfolio read it for last activity until that became the
        # project's own ``updated_at``, migration 0008; the index is left in place.)
        indexes = [models.Index(fields=["project", "updated_at"], name="measure_project_updated")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="measure_name_unique_in_project",
                violation_error_message="This project already has a measure with this name.",
            ),
            models.CheckConstraint(
                condition=Q(freeze_at__isnull=True) | Q(freeze_at__gte=1), name="measure_freeze_positive"
            ),
            models.CheckConstraint(condition=Q(rate_per__gte=1), name="measure_rate_per_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", args=[self.public_id])

    @property
    def has_denominator(self) -> bool:
        return self.data_kind in DataKind.with_denominator()


class Phase(models.Model):
    """A new phase of the process from a date (e.g. "new pathway started"): limits are recalculated from it."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="phases")
    start = models.DateField(help_text="The first period of the new phase.")
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["measure", "start"]
        constraints = [models.UniqueConstraint(fields=["measure", "start"], name="phase_start_unique")]

    def __str__(self) -> str:
        return f"{self.measure}: from {self.start} ({self.reason})"


class DataPoint(models.Model):
    """One period's value of a measure (or its numerator and denominator), with an optional note.

    Whether a numerator may exceed its denominator depends on the measure's kind of data (a proportion
    cannot, a rate can), so services check it; the database holds what does not depend on the measure.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="points")
    period = models.DateField()
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    excluded = models.BooleanField(default=False)
    exclusion_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="datapoint_one_per_period"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="datapoint_denominator_positive",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="datapoint_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(numerator__isnull=False, denominator__isnull=False),
                name="datapoint_has_a_value",
            ),
            models.CheckConstraint(
                condition=Q(excluded=False) | ~Q(exclusion_reason=""), name="datapoint_exclusion_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.period}"

    def as_record(self) -> dict:
        """The values kept in the change history."""
        return {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "note": self.note,
            "excluded": self.excluded,
            "exclusion_reason": self.exclusion_reason,
        }


class DataPointChange(models.Model):
    """Every change to a measure's data: who, when, which period, from what to what (kept after a delete)."""

    class Action(models.TextChoices):
        CREATED = "created", "Added"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="changes")
    period = models.DateField()
    action = models.CharField(max_length=8, choices=Action.choices)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    source = models.ForeignKey(
        "DataImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )

    class Meta:
        ordering = ["measure", "-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.measure} {self.period}: {self.action}"


def _import_path(instance: "DataImport", filename: str) -> str:
    return f"measure-imports/{instance.public_id}"


class DataImport(PublicIdModel):
    """An uploaded CSV or XLSX file: checked first, previewed, then imported all at once or not at all."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=_import_path, blank=True)
    original_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=4)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True, help_text="Our field name -> the file's column.")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_changed = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="The first problems: row, column, problem.")
    preview = models.JSONField(default=list, blank=True, help_text="The first rows as they will be imported.")
    notices = models.JSONField(default=list, blank=True)
    # The lease on the work in progress (checking or writing): only the holder of the token may record its
    # result; a lease that runs out (a dead worker) is picked up again or given back (imports.recover).
    lease_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_expires = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Tries of the step in progress.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import of {self.original_name} into {self.measure}"

    def get_absolute_url(self) -> str:
        return reverse("measures:import", args=[self.public_id])

    @property
    def in_progress(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)


class ChartSummary(models.Model):
    """What dashboards need of a measure's computed chart, stored when its data, phases or settings change.

    The coach's dashboard, the portfolio and the progress evidence read this row instead of running the
    chart engine (``summaries``). ``version`` says which data and settings it was computed from (the
    measure's ``updated_at``, the programme's chart settings and the code's version): a row whose version
    is not the measure's current one is computed again before it is used, so it never says what the
    engine would not.
    """

    measure = models.OneToOneField(
        Measure, on_delete=models.CASCADE, primary_key=True, related_name="chart_summary"
    )
    version = models.CharField(max_length=40)
    computed_at = models.DateTimeField()
    chart = models.CharField(max_length=4, blank=True)
    rule_set = models.CharField(max_length=10, blank=True)
    n_points = models.PositiveIntegerField(default=0)
    last_period = models.DateField(null=True, blank=True)
    last_value = models.FloatField(null=True, blank=True, help_text="The latest point's plotted value.")
    signal_count = models.PositiveIntegerField(default=0, help_text="Every signal on the chart.")
    improving_in_latest_phase = models.PositiveIntegerField(default=0)
    step = models.CharField(
        max_length=12, blank=True, help_text="The nature of the step into the latest phase, if any."
    )
    latest_phase_settled = models.BooleanField(default=True)
    signals = models.JSONField(
        default=list, blank=True, help_text="The latest signals (at most summaries.MAX_SIGNALS)."
    )
    icons = models.JSONField(default=list, blank=True, help_text="Making Data Count icons: label, nature.")
    recent = models.JSONField(default=list, blank=True, help_text="The last points: period, value.")
    # The project page's small multiple of the measure, drawn with the summary (the same for every reader),
    # and the fingerprint of the PDSA cycles it marks: used while the project's cycles are those.
    small_html = models.TextField(blank=True)
    small_cycles = models.CharField(max_length=32, blank=True)
    # A long series' measure page at its default window (the latest points), drawn with the summary and used
    # under the same conditions: its engine run over every point is then paid when the data change, not by
    # the first reader after a restart. Empty for short series, which are quick to draw on a miss.
    page = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["measure"]
        verbose_name_plural = "chart summaries"

    def __str__(self) -> str:
        return f"Chart summary of {self.measure_id}"
