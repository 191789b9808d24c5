"""The evaluation plan, surveys, survey windows and responses.

Individual answers live only in ``Response.answers`` and ``Response.scores``; nothing else (admin, audit,
notifications, results pages) reads them except the participant's own pages and the aggregate selectors.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from shiftpractice.cohorts.models import Cohort
from shiftpractice.content.models import ModelVersion
from shiftpractice.core.models import PublicIdModel, TimeStampedModel
from shiftpractice.programmes.models import Milestone, Programme

from .choices import (
    DEFAULT_MINIMUM_GROUP,
    IndicatorKind,
    IndicatorState,
    ItemKind,
    PlatformCount,
    QuestionKind,
    ResponseStatus,
    WindowLabel,
)


class EvaluationPlan(TimeStampedModel):
    """A programme's evaluation plan: its questions, indicators and the evaluation's own settings."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="evaluation_plan")
    minimum_group = models.PositiveSmallIntegerField(
        "minimum number of people",
        default=DEFAULT_MINIMUM_GROUP,
        validators=[MinValueValidator(2)],
        help_text="Results are shown only when at least this many people answered.",
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme"]
        constraints = [
            models.CheckConstraint(condition=Q(minimum_group__gte=2), name="evaluation_plan_minimum_group")
        ]

    def __str__(self) -> str:
        return f"Evaluation plan of {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:plan", args=[self.programme.slug])

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class EvaluationQuestion(PublicIdModel, TimeStampedModel):
    """A question the evaluation sets out to answer, in plain words."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()

    class Meta:
        ordering = ["plan", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(PublicIdModel, TimeStampedModel):
    """What will be observed to answer a question, how, when, and what would count as success."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="indicators")
    question = models.ForeignKey(
        EvaluationQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    name = models.CharField(max_length=200)
    definition = models.TextField()
    kind = models.CharField(max_length=20, choices=IndicatorKind.choices)
    platform_count = models.CharField(max_length=30, choices=PlatformCount.choices, blank=True)
    content_ref = models.CharField(
        "model indicator", max_length=120, blank=True, help_text="slug@version of the model's indicator."
    )
    source = models.CharField(max_length=300)
    collected_when = models.CharField("when it is collected", max_length=200)
    success_criterion = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=IndicatorState.choices, default=IndicatorState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="platform_count") | Q(platform_count=""),
                name="indicator_count_only_for_counts",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("evaluation:indicator", args=[self.public_id])


class IndicatorComment(TimeStampedModel):
    """A critical friend's or lead's comment on an indicator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["indicator", "created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.indicator}"


class IndicatorAgreement(TimeStampedModel):
    """One person's recorded agreement with an indicator as it stands."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="agreements")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["indicator", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "person"], name="indicator_agreement_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} agrees {self.indicator}"


class PlanChange(TimeStampedModel):
    """A change made to a locked plan, with the reason given: the plan's history."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="changes")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=300)
    reason = models.TextField()
    before = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["plan", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.summary


class PlanItem(PublicIdModel, TimeStampedModel):
    """A survey question the programme wrote itself (not from a published instrument)."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=60, help_text="A short name for results, for example 'confidence'.")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    options = models.JSONField(
        default=list, blank=True, help_text="The choices, for single and multiple choice."
    )

    class Meta:
        ordering = ["plan", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="plan_item_key_unique")]

    def __str__(self) -> str:
        return self.text


class Survey(PublicIdModel, TimeStampedModel):
    """A fixed set of questions, built from a model version's instruments and the plan's own items.

    Once anyone has answered it, it never changes: a lead makes a new survey instead.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="surveys")
    name = models.CharField(max_length=200)
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="survey_name_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("evaluation:survey", args=[self.public_id])


class SurveyQuestion(models.Model):
    """One question of a survey. ``key`` is what answers and scores are stored under."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=120)
    section = models.CharField(max_length=200)
    instrument_ref = models.CharField(max_length=120, blank=True)
    text = models.CharField(max_length=400)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    # [[value, label], ...]; for scales, labels of the ends only (the rest are the numbers).
    options = models.JSONField(default=list, blank=True)
    lower_is_better = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="survey_question_key_unique"),
            models.CheckConstraint(
                condition=~Q(kind="scale") | Q(scale_max__gt=F("scale_min")),
                name="survey_question_scale_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.text[:60]}"

    @property
    def instrument_slug(self) -> str:
        return self.instrument_ref.split("@", 1)[0]


class WindowQuerySet(models.QuerySet):
    def open_at(self, when=None):
        when = when or timezone.now()
        return self.filter(opens_at__lte=when, closes_at__gt=when)


class SurveyWindow(PublicIdModel, TimeStampedModel):
    """When a cohort answers a survey: baseline, end or follow-up."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="survey_windows")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="windows")
    label = models.CharField(max_length=10, choices=WindowLabel.choices)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()

    objects = WindowQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="survey_window_closes_after_opening",
                violation_error_message="The window must close after it opens.",
            ),
            models.UniqueConstraint(fields=["cohort", "label"], name="survey_window_label_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort}: {self.get_label_display()}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:window", args=[self.public_id])

    def is_open(self, when=None) -> bool:
        when = when or timezone.now()
        return self.opens_at <= when < self.closes_at

    def is_closed(self, when=None) -> bool:
        return (when or timezone.now()) >= self.closes_at


class Response(PublicIdModel, TimeStampedModel):
    """One person's answers in one window, kept as a draft until submitted, editable until the window closes.

    ``answers`` maps question keys to values; ``scores`` holds each instrument's scores as scored when saved.
    """

    window = models.ForeignKey(SurveyWindow, on_delete=models.PROTECT, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    status = models.CharField(max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    consented_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["window", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["window", "respondent"], name="response_once_per_window"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="response_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["window", "status"], name="response_window_status_idx")]

    def __str__(self) -> str:
        # Never the answers: this shows in logs and admin lists.
        return f"Response {self.public_id} ({self.get_status_display()})"
