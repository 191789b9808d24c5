"""The change project: a participant's system-change goal, its team and its lens answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Cohort, Membership
from shiftpractice.cohorts.roles import known_roles
from shiftpractice.core.models import PublicIdModel, TimeStampedModel
from shiftpractice.programmes.models import Programme

from ..choices import ProjectStatus, TeamRole, Visibility

# What the owner and team edit on the project's own form, in the order the form shows them.
EDITABLE_FIELDS = (
    "title",
    "status",
    "visibility",
    "aim_what",
    "aim_for_whom",
    "aim_how_much",
    "aim_by_when",
    "mfi_accomplish",
    "mfi_know",
    "mfi_change",
    "background",
    "story_self",
    "story_us",
    "story_now",
    "value_outcomes",
)


# Words that already join a part of the aim to the sentence, so none is added before them.
_HOW_MUCH_STARTS = frozenset(
    [
        "by",
        "from",
        "to",
        "up",
        "down",
        "at",
        "under",
        "over",
        "below",
        "above",
        "less",
        "more",
        "fewer",
        "within",
        "no",
        "halve",
        "halving",
        "double",
        "doubling",
        "zero",
        "reach",
        "reaching",
        "increase",
        "increasing",
        "reduce",
        "reducing",
        "cut",
        "cutting",
        "raise",
        "raising",
        "lower",
        "lowering",
    ]
)
_FOR_WHOM_STARTS = frozenset(["for", "in", "on", "at", "among", "across", "within", "amongst", "with"])


def _clause(text: str) -> str:
    """A part of the aim with its spaces folded and no closing full stop."""
    return " ".join((text or "").split()).rstrip(" .;,")


def _joined(word: str, text: str, starts: frozenset[str]) -> str:
    text = _clause(text)
    if not text:
        return ""
    first = text.split()[0].lower()
    return text if first in starts else f"{word} {text}"


class ChangeProjectQuerySet(models.QuerySet):
    def visible_to(self, user, *, include_public: bool = True):
        """Projects a person may read, following each project's visibility setting.

        Whatever the setting, the programme's overseers (its leads, and the critical friends of any of its
        cohorts) read every project in it: the sharing terms everyone accepts on joining (``SHARING_TERMS`` in
        ``cohorts.choices``), so the people who oversee and evaluate a programme can see its work. Read-only:
        editing stays with the owner and the team (``permissions.can_edit_project``).

        Team only: the owner, the team and the coaches of the project's cohort. Cohort: the cohort's
        participants and facilitators too (not its observers, who see what is shared with the programme).
        Programme: everyone in any cohort of the programme. Public, once a lead approved it: anyone, signed in
        or not. Superusers get no exception: they have the admin.
        ``include_public=False`` leaves out what the person sees only because it is public.

        Within a request that has already read the person's memberships and led programmes (``cohorts.roles``:
        every page reads them for its navigation, and the views that list projects read them first), the rule is
        built over those lists (``_sources_from_roles``); anywhere else, over subqueries that start from the person.
        ``projects/tests/test_sharing_rule_forms.py`` holds the two to granting the same projects to everyone.
        """
        approved_public = Q(visibility=Visibility.PUBLIC, public_approved_at__isnull=False)
        if not include_public:
            approved_public = Q(pk__in=[])
        if not user.is_authenticated:
            return self.filter(approved_public)
        roles = known_roles(user)
        if roles is not None:
            return self.filter(_rule(user, approved_public, **_sources_from_roles(roles)))
        # Each condition is "the project's cohort is one of these", the cohorts read by a subquery that does not
        # depend on the project: the database works each list out once, not once per project (which made the
        # project list of a 10,000-project programme 8-11 times a trivial page).
        member_of = Membership.objects.filter(user=user)
        sources = {
            "coached": member_of.filter(role=Role.COACH).values("cohort_id"),
            "in_cohort": member_of.filter(role__in=[Role.PARTICIPANT, Role.FACILITATOR]).values("cohort_id"),
            "overseen": [
                Programme.leads.through.objects.filter(user_id=user.pk).values("programme_id"),
                member_of.filter(role=Role.CRITICAL_FRIEND).values("cohort__programme_id"),
            ],
            "member_of": [member_of.values("cohort__programme_id")],
        }
        return self.filter(_rule(user, approved_public, **sources))


def _sources_from_roles(roles) -> dict:
    """``_rule``'s sources as lists, from the memberships and led programmes this request has already read
    (``cohorts.roles``): no subquery for what is known, and no condition that can match nothing."""
    coached, in_cohort, member_of, overseen = set(), set(), set(), set(roles.led_programme_ids)
    for m in roles.memberships:
        member_of.add(m.cohort.programme_id)
        if m.role == Role.COACH:
            coached.add(m.cohort_id)
        elif m.role in (Role.PARTICIPANT, Role.FACILITATOR):
            in_cohort.add(m.cohort_id)
        elif m.role == Role.CRITICAL_FRIEND:
            overseen.add(m.cohort.programme_id)
    return {
        "coached": sorted(coached),
        "in_cohort": sorted(in_cohort),
        "overseen": [sorted(overseen)] if overseen else [],
        "member_of": [sorted(member_of - overseen)] if member_of - overseen else [],
    }


def grants_whole_cohorts(user, cohort_ids) -> bool:
    """Whether the rule grants this person every project of these cohorts as their coach, as far as this request
    knows (``cohorts.roles``: False when it has not read their roles). A reader that keeps to such cohorts need
    not ask the rule: read from ``_rule``'s own list of coached cohorts, so the two cannot drift apart."""
    roles = known_roles(user)
    if roles is None:
        return False
    return set(cohort_ids) <= set(_sources_from_roles(roles)["coached"])


def _rule(user, approved_public: Q, *, coached, in_cohort, overseen: list, member_of: list) -> Q:
    """``visible_to``'s conditions, declared once, over cohort ids (``coached``, ``in_cohort``) and lists of
    programme ids (``overseen``, ``member_of``), each either a subquery or a list (an empty list is left out)."""

    def cohorts_of(programmes) -> Q:
        return Q(cohort_id__in=Cohort.objects.filter(programme_id__in=programmes).values("pk"))

    def known_empty(ids) -> bool:
        return isinstance(ids, list) and not ids

    wide = [Visibility.PROGRAMME, Visibility.PUBLIC]
    rule = (
        Q(owner=user)
        | Q(pk__in=ProjectMember.objects.filter(user=user).values("project_id"))
        | approved_public
    )
    if not known_empty(coached):
        rule |= Q(cohort_id__in=coached)
    for programmes in overseen:
        rule |= cohorts_of(programmes)
    if not known_empty(in_cohort):
        rule |= Q(visibility__in=[Visibility.COHORT, *wide], cohort_id__in=in_cohort)
    for programmes in member_of:
        rule |= Q(visibility__in=wide) & cohorts_of(programmes)
    return rule


class ChangeProject(PublicIdModel, TimeStampedModel):
    """A participant's system-change goal, tested in PDSA cycles and told as one QI story."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_projects"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.TEAM)
    public_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public_approved_at = models.DateTimeField(null=True, blank=True)

    # The SMART aim, in parts, so the app can tell when it is complete.
    aim_what = models.CharField("what will change", max_length=300, blank=True)
    aim_for_whom = models.CharField("for whom", max_length=300, blank=True)
    aim_how_much = models.CharField("by how much", max_length=200, blank=True)
    aim_by_when = models.DateField("by when", null=True, blank=True)

    # The Model for Improvement's three questions.
    mfi_accomplish = models.TextField("what are we trying to accomplish?", blank=True)
    mfi_know = models.TextField("how will we know that a change is an improvement?", blank=True)
    mfi_change = models.TextField("what change can we make that will result in improvement?", blank=True)

    background = models.TextField(blank=True)
    story_self = models.TextField("story of self", blank=True)
    story_us = models.TextField("story of us", blank=True)
    story_now = models.TextField("story of now", blank=True)
    value_outcomes = models.TextField("outcomes for patients and populations", blank=True)

    objects = ChangeProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "id"]
        # Lists sorted by last change walk this index and stop at a page, instead of sorting every project.
        indexes = [models.Index(fields=["updated_at", "id"], name="project_updated_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(public_approved_at__isnull=True) | Q(visibility=Visibility.PUBLIC),
                name="project_public_approval_only_when_public",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.public_id])

    @property
    def aim_statement(self) -> str:
        """The aim as one sentence, from whichever parts are filled in, reading well whatever was typed:
        "by" or "for" is added only where the person's words do not already start with a joining word
        ("30%" reads "by 30%", "from about 20% to 50%" stays as typed)."""
        parts = [
            _clause(self.aim_what),
            _joined("for", self.aim_for_whom, _FOR_WHOM_STARTS),
            _joined("by", self.aim_how_much, _HOW_MUCH_STARTS),
            f"by {self.aim_by_when:%-d %B %Y}" if self.aim_by_when else "",
        ]
        return " ".join(p for p in parts if p)

    @property
    def aim_is_smart(self) -> bool:
        return all([self.aim_what, self.aim_for_whom, self.aim_how_much, self.aim_by_when])

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC and self.public_approved_at is not None


class ProjectMember(models.Model):
    """A person on the project's team (participants, and a coach when the owner adds one)."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    role = models.CharField(max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)

    class Meta:
        ordering = ["project", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="project_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} on {self.project}"


class LensAnswer(TimeStampedModel):
    """A participant's answers to one lens, recording exactly which content version they answered."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="lens_answers")
    lens_ref = models.CharField(max_length=120, help_text="The lens answered, as slug@version.")
    lens_slug = models.SlugField(max_length=100)
    answers = models.JSONField(default=dict, blank=True, help_text="Prompt (question) text to answer.")
    tags = models.JSONField(default=list, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["project", "lens_slug"]
        constraints = [
            models.UniqueConstraint(fields=["project", "lens_slug"], name="lens_answer_once_per_lens")
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.lens_ref}"
