"""Who may see and do what in most significant change: the chokepoints every view goes through.

- Domains: the programme's leads define them; anyone else in the programme is refused (403), people outside it
  are told nothing exists (404).
- Stories: each participant writes their own; outside a panel only the author reads a story (coaches do not,
  other participants never). A panel reads a round's stories without names unless the author allowed them.
- Rounds: a lead creates and closes them; the panel (leads, critical friends, named coaches) reads and chooses.
  A cohort round is known only to the programme's leads, its panel and the members of its cohort (404 for
  anyone else, participants of other cohorts included); a programme round to everyone in the programme.
- Results of a closed round: its storytellers, its panel and the leads.
"""

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.core.access import deny_unless
from shiftpractice.programmes.models import Programme
from shiftpractice.programmes.permissions import is_programme_lead

from .models import Domain, Round, Story


@dataclass(frozen=True)
class Access:
    """A person's standing in one programme, read in one query."""

    is_lead: bool = False
    roles_by_cohort: dict = field(default_factory=dict)  # cohort id -> set of roles

    @property
    def in_programme(self) -> bool:
        return self.is_lead or bool(self.roles_by_cohort)

    @property
    def roles(self) -> set:
        return set().union(*self.roles_by_cohort.values()) if self.roles_by_cohort else set()

    @property
    def is_participant(self) -> bool:
        return Role.PARTICIPANT in self.roles

    @property
    def participant_cohort_ids(self) -> list[int]:
        return sorted(c for c, roles in self.roles_by_cohort.items() if Role.PARTICIPANT in roles)

    @property
    def may_sit_on_panel(self) -> bool:
        return self.is_lead or bool(self.roles & {Role.CRITICAL_FRIEND, Role.COACH})


def access_for(user, programme: Programme) -> Access:
    """Worked out once per request and kept on the programme object."""
    known = getattr(programme, "_msc_access", None)
    if known is not None and known[0] == getattr(user, "pk", None):
        return known[1]
    if not user.is_authenticated:
        access = Access()
    else:
        roles: dict[int, set] = {}
        for cohort_id, role in Membership.objects.filter(user=user, cohort__programme=programme).values_list(
            "cohort_id", "role"
        ):
            roles.setdefault(cohort_id, set()).add(role)
        access = Access(is_lead=is_programme_lead(user, programme), roles_by_cohort=roles)
    programme._msc_access = (getattr(user, "pk", None), access)
    return access


def get_programme_for_msc(user, slug: str, *, need: str = "read") -> tuple[Programme, Access]:
    """The programme and the person's standing in it: 404 outside it, 403 where ``need`` is not theirs.

    ``need``: "read" (anyone in the programme), "lead" (define domains, open and close rounds), "write"
    (a participant writing their own stories)."""
    programme = get_object_or_404(Programme.objects.prefetch_related("leads"), slug=slug)
    access = access_for(user, programme)
    deny_unless(access.in_programme, visible=False)
    if need == "lead":
        deny_unless(access.is_lead, message="Only the programme's leads manage most significant change.")
    elif need == "write":
        deny_unless(
            access.is_participant,
            message="Only the programme's participants write most significant change stories.",
        )
    return programme, access


def get_domain_for_lead(user, public_id) -> Domain:
    domain = get_object_or_404(Domain.objects.select_related("programme"), public_id=public_id)
    access = access_for(user, domain.programme)
    deny_unless(access.in_programme, visible=False)
    deny_unless(access.is_lead, message="Only the programme's leads change its domains.")
    return domain


def get_domain_to_write(user, public_id) -> tuple[Domain, Access]:
    """A domain the person may write their story in: a participant of the domain's programme."""
    domain = get_object_or_404(Domain.objects.select_related("programme"), public_id=public_id)
    access = access_for(user, domain.programme)
    deny_unless(access.in_programme, visible=False)
    deny_unless(access.is_participant, message="Only the programme's participants write stories.")
    return domain, access


def get_own_story(user, public_id) -> Story:
    """A story, for its author only: to anyone else it does not exist."""
    story = get_object_or_404(
        Story.objects.select_related("domain", "programme", "cohort"), public_id=public_id
    )
    deny_unless(user.is_authenticated and story.author_id == user.pk, visible=False)
    return story


@dataclass(frozen=True)
class RoundRights:
    on_panel: bool = False
    is_lead: bool = False
    is_storyteller: bool = False

    @property
    def reads_stories(self) -> bool:
        return self.on_panel

    @property
    def opens_round(self) -> bool:
        return self.on_panel or self.is_lead


def _round_visible(access: Access, round_: Round, on_panel: bool) -> bool:
    if access.is_lead or on_panel:
        return True
    if round_.cohort_id is None:
        return access.in_programme
    return round_.cohort_id in access.roles_by_cohort


def rights_for_round(user, round_: Round) -> tuple[RoundRights, bool]:
    """The person's rights in the round and whether they may know it exists (two queries at most)."""
    from . import selectors

    access = access_for(user, round_.programme)
    on_panel = user.is_authenticated and round_.panel.filter(pk=user.pk).exists()
    visible = _round_visible(access, round_, on_panel)
    storyteller = bool(
        visible
        and round_.is_closed
        and not (on_panel or access.is_lead)
        and selectors.storytellers(round_).filter(pk=user.pk).exists()
    )
    return RoundRights(on_panel=on_panel, is_lead=access.is_lead, is_storyteller=storyteller), visible


NEED_MESSAGE = {
    "read": "Only the round's panel and the programme's leads open a selection round.",
    "choose": "Only the round's panel chooses stories.",
    "lead": "Only the programme's leads close a selection round.",
    "results": "The results are for the round's storytellers, its panel and the programme's leads.",
}


def get_round_for_user(user, public_id, *, need: str = "read") -> tuple[Round, RoundRights]:
    """The round, 404 for anyone who may not know of it, 403 when ``need`` is not theirs.

    ``need``: "read" (the round page: panel and leads), "choose" (panel), "lead", "results" (a closed round's
    results: storytellers, panel, leads; an open round has no results page)."""
    round_ = get_object_or_404(
        Round.objects.select_related("programme", "cohort").prefetch_related("programme__leads"),
        public_id=public_id,
    )
    rights, visible = rights_for_round(user, round_)
    deny_unless(visible, visible=False)
    if need == "results":
        deny_unless(round_.is_closed, visible=False)
        allowed = rights.on_panel or rights.is_lead or rights.is_storyteller
    elif need == "choose":
        allowed = rights.on_panel
    elif need == "lead":
        allowed = rights.is_lead
    else:
        allowed = rights.opens_round
    deny_unless(allowed, message=NEED_MESSAGE[need])
    return round_, rights
