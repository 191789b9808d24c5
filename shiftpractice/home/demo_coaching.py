"""Demo coaching, reflections, peer groups and discussions for the pilot (June 2021 to January 2022).

Everything is written through the coaching services, quietly (history is not news, so nobody is notified),
and found again by natural keys, so loading twice changes nothing. Dates follow the pilot: cohort 1's
workshops on 30 June and 23 September 2021, cohort 2's on 28 October 2021 and 13 January 2022.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shiftpractice.coaching.choices import PeerGroupKind, Privacy
from shiftpractice.coaching.models import (
    Action,
    CoachAssignment,
    CoachingPolicy,
    JournalEntry,
    PeerGroup,
    Post,
    SupportContact,
    Thread,
)
from shiftpractice.coaching.services import discussions, journal, peers
from shiftpractice.coaching.services import support as support_services
from shiftpractice.content import selectors as content_selectors
from shiftpractice.projects.models import ChangeProject

LONDON = ZoneInfo("Europe/London")

PARTICIPANTS = {
    "cohort-1": ["gp", "commissioner", "trust-manager", "ward-sister", "pharmacist"],
    "cohort-2": ["physio", "public-health", "midwife", "estates", "practice-nurse"],
}
COACH = {"cohort-1": "coach1", "cohort-2": "coach2"}
# The first contact after workshop 1, then every three weeks or so.
FIRST_CONTACT = {"cohort-1": date(2021, 7, 14), "cohort-2": date(2021, 11, 10)}
# Support went on after the pilot for everyone but the pharmacist, who moved to a new role.
ENDED = {"pharmacist": date(2021, 9, 30)}


@dataclass(frozen=True)
class DemoContact:
    offset_days: int
    mode: str
    minutes: int
    initiated_by: str
    summary: str
    notes: str
    action: str
    action_owner: str
    action_days: int
    action_status: str


CONTACTS = [
    DemoContact(
        0,
        "telephone",
        40,
        "coach",
        "We went over your goal from the first workshop and made the aim more specific: who it is for, and by "
        "when. You chose one change idea to test first.",
        "Energised after the workshop but worried about time. Agreed to keep the first test very small.",
        "Write the plan for the first PDSA cycle, including a prediction",
        "participant",
        10,
        "done",
    ),
    DemoContact(
        21,
        "video",
        30,
        "participant",
        "Your first cycle ran. The result was smaller than you predicted; we talked about what the gap tells you "
        "and who else needs to see the run chart.",
        "Some push-back from a manager. Explore influence next time: circle of concern versus control.",
        "Share the run chart with one person who can influence the next step",
        "participant",
        14,
        "open",
    ),
    DemoContact(
        42,
        "email",
        0,
        "coach",
        "A short check-in by email before the second workshop, with the reflection prompts for what has shifted.",
        "",
        "Send two articles on leverage points",
        "coach",
        5,
        "dropped",
    ),
]

REFLECTIONS = [
    # privacy, prompt slug, title, body, tags
    (
        Privacy.PRIVATE,
        "prompt.public-narrative",
        "Why I am doing this",
        "I keep coming back to the winter when we ran out of everything but goodwill. That is my story of self: "
        "I want the next crisis to find us with more than goodwill.",
        ["story of self"],
    ),
    (
        Privacy.COACH,
        "prompt.learning-loop",
        "What the first cycle taught me",
        "We did the test better the second time (single loop), but the real learning was that we had been "
        "aiming at the wrong thing. That feels like **double loop** learning.",
        ["learning loops", "PDSA"],
    ),
    (
        Privacy.PEER_GROUP,
        "",
        "After our triad",
        "Being asked questions instead of given advice was harder than I expected, and more useful. I noticed "
        "how quickly I jump to solutions.",
        ["peer support"],
    ),
    (
        Privacy.COHORT,
        "prompt.most-significant-change",
        "What has shifted for me",
        "The most significant change is not in the numbers yet. It is that I now start conversations with who "
        "else sees this problem, rather than with my own plan.",
        ["what has shifted", "influence"],
    ),
]

TRIAD_NOTES = "Each of us brought one live issue from our project. We kept strictly to time."
ALS_NOTES = "The presenter brought a stuck conversation with a senior manager; the set asked only questions."

THREADS = {
    "cohort-1": (
        "Finding time for PDSA cycles alongside the day job",
        "How is everyone fitting tests of change into a full week? I have started blocking out Friday "
        "mornings, but it keeps getting eaten by meetings.",
        [
            "Small tests help me: I plan a cycle that takes one clinic, not one month.",
            "Our triad agreed to text each other on the day we run a test. It makes it real.",
        ],
    ),
    "cohort-2": (
        "Measuring the environmental side of a change",
        "Has anyone found a simple way to estimate the carbon saved by fewer journeys? The calculator helps, "
        "but I am unsure which factor to choose.",
        [
            "I used the average car factor and noted it as an estimate. The critical friends were happy with that.",
        ],
    ),
}
PROGRAMME_THREAD = (
    "Welcome to the programme discussion board",
    "This board is for everyone in the programme, across both cohorts. Share what you are learning, ask for "
    "help, and point each other to useful resources. Please keep patient details out of posts.",
    ["Thank you, looking forward to hearing from cohort 1 about what worked."],
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def _assignments(team, people, cohorts) -> tuple[dict, int]:
    made = 0
    found = {}
    for slug, keys in PARTICIPANTS.items():
        cohort = cohorts[slug]
        for key in keys:
            assignment = CoachAssignment.objects.filter(cohort=cohort, participant=people[key]).first()
            if assignment is None:
                assignment = support_services.assignment_create(
                    cohort=cohort,
                    coach=team[COACH[slug]],
                    participant=people[key],
                    starts_on=cohort.start_date,
                    ends_on=ENDED.get(key),
                    actor=team["lead"],
                    quiet=True,
                )
                made += 1
            found[key] = assignment
    return found, made


def _contacts(assignment, slug: str, coach, n: int) -> None:
    if SupportContact.objects.filter(assignment=assignment).exists():
        return
    project = ChangeProject.objects.filter(owner=assignment.participant, cohort=assignment.cohort).first()
    for i, c in enumerate(CONTACTS):
        day = FIRST_CONTACT[slug] + timedelta(days=c.offset_days + n)
        if assignment.ends_on and day > assignment.ends_on:
            continue
        contact = support_services.contact_log(
            assignment=assignment,
            actor=coach,
            occurred_on=day,
            mode=c.mode,
            duration_minutes=c.minutes,
            initiated_by=c.initiated_by,
            summary=c.summary,
            notes=c.notes,
            next_contact_on=day + timedelta(days=21) if i < len(CONTACTS) - 1 else None,
            actions=[
                support_services.ActionSpec(
                    description=c.action,
                    owner=c.action_owner,
                    due_on=day + timedelta(days=c.action_days),
                    project=project if c.action_owner == "participant" else None,
                )
            ],
            backdated=True,
        )
        if c.action_status != "open":
            Action.objects.filter(contact=contact).update(
                status=c.action_status, closed_at=_at(day + timedelta(days=7))
            )


def _groups(cohort, people, keys, lead) -> tuple[PeerGroup, PeerGroup]:
    triad = PeerGroup.objects.filter(cohort=cohort, name=f"{cohort.name} triad").first()
    if triad is None:
        triad = peers.peer_group_create(
            cohort=cohort,
            kind=PeerGroupKind.TRIAD,
            name=f"{cohort.name} triad",
            members=[people[k] for k in keys[:3]],
            actor=lead,
        )
    als = PeerGroup.objects.filter(cohort=cohort, name=f"{cohort.name} action learning set").first()
    if als is None:
        als = peers.peer_group_create(
            cohort=cohort,
            kind=PeerGroupKind.ACTION_LEARNING_SET,
            name=f"{cohort.name} action learning set",
            members=[people[k] for k in keys],
            actor=lead,
        )
    return triad, als


def _meetings(group: PeerGroup, first: date, notes: str) -> None:
    if group.meetings.exists():
        return
    members = [m.user for m in group.members.select_related("user")]
    last_roles: dict[int, str] = {}
    for n in range(2):
        rotation = peers.next_rotation(group, members, last_roles)
        roles = [
            (user, role, f"Before we next meet: {'talk to my manager' if n else 'run one small test'}")
            for user, role in rotation
        ]
        peers.meeting_log(
            group=group,
            met_on=first + timedelta(days=28 * n),
            notes=notes,
            roles=roles,
            actor=members[0],
            quiet=True,
        )
        last_roles = {user.pk: role for user, role in rotation}


def _reflections(person, cohort, triad, model, first: date) -> None:
    for n, (privacy, prompt_slug, title, body, tags) in enumerate(REFLECTIONS):
        if JournalEntry.objects.filter(author=person, cohort=cohort, title=title).exists():
            continue
        in_triad = triad.members.filter(user=person).exists()
        if privacy == Privacy.PEER_GROUP and not in_triad:
            continue
        prompt = model.by_slug.get(prompt_slug) if (model and prompt_slug) else None
        entry = journal.entry_create(
            author=person,
            cohort=cohort,
            title=title,
            body=body,
            privacy=privacy,
            tags=tags,
            peer_group=triad if privacy == Privacy.PEER_GROUP else None,
            prompt=prompt,
            quiet=True,
        )
        when = _at(first + timedelta(days=20 * n), 20)
        JournalEntry.objects.filter(pk=entry.pk).update(created_at=when, updated_at=when)


def _thread(board, title, body, replies, authors, day: date) -> None:
    if Thread.objects.filter(board=board, title=title).exists():
        return
    thread = discussions.thread_start(board=board, title=title, body=body, actor=authors[0], quiet=True)
    when = _at(day, 13)
    Post.objects.filter(thread=thread).update(created_at=when, updated_at=when)
    for n, reply in enumerate(replies, start=1):
        post = discussions.post_reply(thread=thread, body=reply, actor=authors[n % len(authors)], quiet=True)
        when = _at(day + timedelta(days=n), 9)
        Post.objects.filter(pk=post.pk).update(created_at=when, updated_at=when)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=when, created_at=_at(day, 13))


def load_demo_coaching(*, team: dict, people: dict, cohorts: dict) -> int:
    """Create what is missing; returns how many coach assignments were created."""
    programme = cohorts["cohort-1"].programme
    if not CoachingPolicy.objects.filter(programme=programme).exists():
        support_services.policy_update(
            programme=programme,
            actor=team["lead"],
            leads_read_coach_notes=False,
            nudge_after_days=21,
            participant_note="Your coach will agree with you how often to talk; most people talk every three weeks.",
        )
    assignments, made = _assignments(team, people, cohorts)
    for slug, keys in PARTICIPANTS.items():
        cohort = cohorts[slug]
        coach = team[COACH[slug]]
        model = content_selectors.model_for_cohort(cohort)
        for n, key in enumerate(keys):
            _contacts(assignments[key], slug, coach, n)
        triad, als = _groups(cohort, people, keys, team["lead"])
        _meetings(triad, FIRST_CONTACT[slug] + timedelta(days=3), TRIAD_NOTES)
        _meetings(als, FIRST_CONTACT[slug] + timedelta(days=10), ALS_NOTES)
        for key in keys:
            _reflections(people[key], cohort, triad, model, FIRST_CONTACT[slug])
        title, body, replies = THREADS[slug]
        _thread(
            discussions.board_for_cohort(cohort),
            title,
            body,
            replies,
            [people[k] for k in keys],
            FIRST_CONTACT[slug] + timedelta(days=5),
        )
    title, body, replies = PROGRAMME_THREAD
    _thread(
        discussions.board_for_programme(programme),
        title,
        body,
        replies,
        [team["lead"], people["physio"]],
        date(2021, 6, 2),
    )
    return made
