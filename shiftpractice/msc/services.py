"""Writes of most significant change: domains, stories, rounds, choices, closing a round.

Each public function runs in one transaction and records an audit event against the programme. A decision that
depends on a row's state (is the round still open? is the story still the author's to change?) is taken on the
row locked and read again (``core.models.lock_and_refresh``), never on a copy another request may have changed since.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.core.audit import audit
from shiftpractice.core.models import lock_and_refresh
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import notify_each_once
from shiftpractice.programmes.permissions import is_programme_lead

from . import selectors
from .models import MAX_REASONS, Choice, Domain, Round, Story
from .signals import story_withdrawn

MAX_DOMAINS = 12
# The closest kind the notifications app declares: "A case study you write, review or are named in needs
# you, or is approved or published". A story is the storyteller's own account, and these are its results.
RESULTS_KIND = Kind.CASE_STUDY


def _audit(obj, actor, verb: str, summary: str, *, programme_id: int, **data) -> None:
    audit(actor=actor, verb=verb, obj=obj, summary=summary, programme_id=programme_id, **data)


def _require_lead(actor, programme, what: str) -> None:
    if not is_programme_lead(actor, programme):
        raise ValidationError(f"Only the programme's leads {what}.")


# ---- domains --------------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Give the domain a name."})
    return name


@transaction.atomic
def domain_create(*, programme, name: str, description: str = "", order: int = 0, actor) -> Domain:
    _require_lead(actor, programme, "define the domains")
    name = _clean_name(name)
    if Domain.objects.filter(programme=programme).count() >= MAX_DOMAINS:
        raise ValidationError(f"A programme can have at most {MAX_DOMAINS} domains.")
    if Domain.objects.filter(programme=programme, name__iexact=name).exists():
        raise ValidationError({"name": "The programme already has a domain with this name."})
    domain = Domain.objects.create(
        programme=programme, name=name, description=description.strip(), order=order
    )
    _audit(domain, actor, "msc.domain_create", f"Added the domain “{name}”", programme_id=programme.pk)
    return domain


@transaction.atomic
def domain_update(*, domain: Domain, name: str, description: str = "", order: int = 0, actor) -> Domain:
    """Rename, describe or reorder a domain: allowed even once stories are written in it."""
    lock_and_refresh(domain)
    _require_lead(actor, domain.programme, "change the domains")
    name = _clean_name(name)
    if (
        Domain.objects.filter(programme_id=domain.programme_id, name__iexact=name)
        .exclude(pk=domain.pk)
        .exists()
    ):
        raise ValidationError({"name": "The programme already has a domain with this name."})
    before = domain.name
    domain.name, domain.description, domain.order = name, description.strip(), order
    domain.save()
    _audit(
        domain,
        actor,
        "msc.domain_update",
        f"Changed the domain “{name}”",
        programme_id=domain.programme_id,
        before=before,
    )
    return domain


@transaction.atomic
def domain_delete(*, domain: Domain, actor) -> None:
    """Remove a domain nobody has written in yet; one with stories stays (rename it instead)."""
    lock_and_refresh(domain)
    _require_lead(actor, domain.programme, "remove domains")
    written = Story.objects.filter(domain=domain).count()
    if written:
        raise ValidationError(
            "“%(name)s” cannot be removed: %(n)s written in it. Stories are their authors' and stay; you can "
            "still rename the domain.",
            params={
                "name": domain.name,
                "n": f"{written} story is" if written == 1 else f"{written} stories are",
            },
        )
    programme_id, name, pk = domain.programme_id, domain.name, domain.pk
    _audit(domain, actor, "msc.domain_delete", f"Removed the domain “{name}”", programme_id=programme_id)
    domain.delete()
    domain.pk = pk


# ---- stories --------------------------------------------------------------------------------------------


def _cohort_of(author, programme):
    membership = (
        Membership.objects.filter(user=author, cohort__programme=programme, role=Role.PARTICIPANT)
        .select_related("cohort")
        .order_by("-cohort__start_date", "-id")
        .first()
    )
    if membership is None:
        raise ValidationError("Only the programme's participants write most significant change stories.")
    return membership.cohort


def _check_text(title: str, story: str, why: str) -> tuple[str, str, str]:
    title, story, why = (title or "").strip(), (story or "").strip(), (why or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Give your story a title."
    if not story:
        errors["story"] = "Tell the story of the change."
    if not why:
        errors["why"] = "Say why this change is significant to you."
    if errors:
        raise ValidationError(errors)
    return title, story, why


@transaction.atomic
def story_write(
    *, domain: Domain, title: str, story: str, why: str, show_name: bool = False, consent: bool, actor
) -> Story:
    """The author's first story in a domain (one per person and domain), with their consent to its use in the
    programme's evaluation reports: without it nothing is saved."""
    programme = domain.programme
    cohort = _cohort_of(actor, programme)
    title, story, why = _check_text(title, story, why)
    if not consent:
        raise ValidationError(
            {
                "consent": "Tick the box to agree to your story being read by the panel and used in the reports."
            }
        )
    if Story.objects.filter(domain=domain, author=actor).exists():
        raise ValidationError("You have already written a story in this domain: change that one instead.")
    try:
        with transaction.atomic():
            written = Story.objects.create(
                programme=programme,
                cohort=cohort,
                domain=domain,
                author=actor,
                title=title,
                story=story,
                why=why,
                show_name=show_name,
                consent_at=timezone.now(),
            )
    except IntegrityError as exc:  # written at the same moment in another tab
        raise ValidationError(
            "You have already written a story in this domain: change that one instead."
        ) from exc
    _audit(
        written,
        actor,
        "msc.story_write",
        f"Wrote a story in “{domain.name}”",
        programme_id=programme.pk,
    )
    return written


@transaction.atomic
def story_update(*, story: Story, title: str, text: str, why: str, show_name: bool, actor) -> Story:
    """The author changes their story until a round that read it closes; never once consent is withdrawn."""
    lock_and_refresh(story)
    if story.author_id != actor.pk:
        raise ValidationError("Only the story's author changes it.")
    if story.withdrawn_at is not None:
        raise ValidationError("You withdrew this story: it can no longer be changed.")
    if selectors.is_locked(story):
        raise ValidationError(
            "A selection round that read this story has closed, so it stays as the panel read it."
        )
    title, text, why = _check_text(title, text, why)
    changed = [
        name
        for name, value in (("title", title), ("story", text), ("why", why), ("show_name", show_name))
        if getattr(story, name) != value
    ]
    if changed:
        story.title, story.story, story.why, story.show_name = title, text, why, show_name
        story.save()
        _audit(
            story,
            actor,
            "msc.story_update",
            "Changed a story",
            programme_id=story.programme_id,
            fields=changed,
        )
    return story


@transaction.atomic
def story_withdraw(*, story: Story, actor) -> Story:
    """Withdraw consent, at any time: the story leaves every open round (a choice of it there is undone, so the
    panel chooses again) and every unpublished report; closed rounds' results, and published reports that quoted
    it (told through ``signals.story_withdrawn``), say it was withdrawn."""
    lock_and_refresh(story)
    if story.author_id != actor.pk:
        raise ValidationError("Only the story's author withdraws it.")
    if story.withdrawn_at is not None:
        return story
    story.withdrawn_at = timezone.now()
    story.save(update_fields=["withdrawn_at", "updated_at"])
    undone = Choice.objects.filter(story=story, round__closed_at__isnull=True).delete()[0]
    _audit(
        story,
        actor,
        "msc.story_withdraw",
        "Withdrew consent for a story",
        programme_id=story.programme_id,
        choices_undone=undone,
    )
    story_withdrawn.send(sender=Story, story_id=story.pk)
    return story


# ---- rounds ---------------------------------------------------------------------------------------------


@transaction.atomic
def round_create(*, programme, title: str, panel, cohort=None, stacked=(), actor) -> Round:
    """Open a selection round: for a cohort, or for the programme stacked on closed cohort rounds."""
    _require_lead(actor, programme, "open selection rounds")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "Give the round a title."})
    panel = list(panel)
    if not panel:
        raise ValidationError({"panel": "Choose at least one person for the panel."})
    allowed = set(
        selectors.panel_candidates(programme)
        .filter(pk__in=[p.pk for p in panel])
        .values_list("pk", flat=True)
    )
    if any(p.pk not in allowed for p in panel):
        raise ValidationError(
            {"panel": "The panel is chosen from the programme's leads, critical friends and coaches."}
        )
    stacked = list(stacked)
    if cohort is not None:
        if cohort.programme_id != programme.pk:
            raise ValidationError({"cohort": "Choose a cohort of this programme."})
        if stacked:
            raise ValidationError({"stacked": "Only a programme round is stacked on cohort rounds."})
    else:
        if not stacked:
            raise ValidationError(
                {
                    "stacked": "A programme round reads the stories chosen in closed cohort rounds: choose at least one."
                }
            )
        ok = set(
            selectors.stackable_rounds(programme)
            .filter(pk__in=[r.pk for r in stacked])
            .values_list("pk", flat=True)
        )
        if any(r.pk not in ok for r in stacked):
            raise ValidationError(
                {"stacked": "A programme round is stacked only on closed cohort rounds of the programme."}
            )
    round_ = Round.objects.create(programme=programme, cohort=cohort, title=title, created_by=actor)
    round_.panel.set(panel)
    if stacked:
        round_.stacked.set(stacked)
    _audit(
        round_,
        actor,
        "msc.round_create",
        f"Opened the selection round “{title}”",
        programme_id=programme.pk,
        panel=[p.pk for p in panel],
        stacked=[r.pk for r in stacked],
    )
    return round_


@transaction.atomic
def choice_record(*, round_: Round, story: Story, reasons: str, actor) -> Choice:
    """The panel chooses the most significant story of its domain in the round, and says why. Only a member
    of the round's panel may; choosing again in a domain replaces the earlier choice."""
    lock_and_refresh(round_)
    if not round_.panel.filter(pk=actor.pk).exists():
        raise ValidationError("Only the round's panel chooses stories.")
    if round_.closed_at is not None:
        raise ValidationError("The round is closed: its choices stay as they are.")
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": "Say why the panel chose this story."})
    if len(reasons) > MAX_REASONS:
        raise ValidationError({"reasons": f"Reasons must be {MAX_REASONS:,} characters or fewer."})
    if not selectors.round_stories(round_, include_withdrawn=False).filter(pk=story.pk).exists():
        raise ValidationError("This story is not one the round reads (it may have been withdrawn).")
    choice, created = Choice.objects.update_or_create(
        round=round_,
        domain_id=story.domain_id,
        defaults={"story": story, "reasons": reasons, "chosen_by": actor},
    )
    _audit(
        choice,
        actor,
        "msc.choose",
        f"Chose a story in “{story.domain}” for “{round_.title}”",
        programme_id=round_.programme_id,
        round=round_.pk,
        story=story.pk,
        again=not created,
    )
    return choice


@transaction.atomic
def round_close(*, round_: Round, actor) -> int:
    """Close the round and send its results to every storyteller in it; returns how many were told.

    One notification each, once ever, in a fixed number of queries however many storytellers."""
    lock_and_refresh(round_)
    _require_lead(actor, round_.programme, "close selection rounds")
    if round_.closed_at is not None:
        raise ValidationError("The round is already closed.")
    round_.closed_at, round_.closed_by = timezone.now(), actor
    round_.save(update_fields=["closed_at", "closed_by", "updated_at"])
    told = notify_each_once(
        recipients=selectors.storytellers(round_),
        kind=RESULTS_KIND,
        key=f"msc-results:{round_.pk}",
        title=f"The panel's choices in “{round_.title}”",
        body="Read the story the panel chose in each domain and the panel's reasons.",
        url=reverse("msc:results", args=[round_.public_id]),
        actor=actor,
    )
    _audit(
        round_,
        actor,
        "msc.round_close",
        f"Closed the selection round “{round_.title}”",
        programme_id=round_.programme_id,
        told=len(told),
    )
    return len(told)
