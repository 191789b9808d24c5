"""The pilot programme from the proposal, as demo data: fictional people, real shape and dates.

Loading is idempotent: every row is found by a natural key and created only when missing, so running it
again (every `make run` does) adds nothing twice and keeps whatever someone changed while trying the demo.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shiftpractice.cohorts.choices import AttendanceStatus, CohortStatus, Role
from shiftpractice.cohorts.models import Attendance, Cohort, Membership, Workshop, WorkshopMaterial
from shiftpractice.content import services as content_services
from shiftpractice.content.models import ModelVersion
from shiftpractice.core.text import render_markdown
from shiftpractice.library.demo import load_demo_library
from shiftpractice.msc.demo import load_demo_msc
from shiftpractice.outcomes.demo import load_demo_outcomes
from shiftpractice.programmes.choices import MilestoneStatus
from shiftpractice.programmes.models import Milestone, Programme

from .demo_coaching import load_demo_coaching
from .demo_evaluation import load_demo_evaluation
from .demo_measures import load_demo_measures
from .demo_network import load_demo_network
from .demo_projects import load_demo_projects
from .demo_reports import load_demo_reports
from .demo_stories import load_demo_stories

DEMO_PASSWORD = "shift-practice-demo"  # noqa: S105 - printed by `make run` and written in the README
DOMAIN = "shiftpractice.example"
LONDON = ZoneInfo("Europe/London")
PROGRAMME_SLUG = "shifting-mindsets"

User = get_user_model()


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    job_title: str
    organisation: str
    region: str
    pronouns: str = ""

    @property
    def email(self) -> str:
        return f"{self.key}@{DOMAIN}"


TEAM = {
    "lead": Person(
        "lead",
        "Hannah Okafor",
        "Quality improvement coaching lead",
        "Regional Improvement Academy",
        "Yorkshire and the Humber",
        "she/her",
    ),
    "admin": Person(
        "admin",
        "Sam Whitfield",
        "Programme administrator",
        "Regional Improvement Academy",
        "Yorkshire and the Humber",
    ),
    "coach1": Person(
        "coach1",
        "Dr Priya Raman",
        "Sustainable development researcher and coach",
        "Greenshift Sustainability CIC",
        "North West",
        "she/her",
    ),
    "coach2": Person(
        "coach2",
        "Dr Tom Ellery",
        "Organisational change trainer and coach",
        "Greenshift Sustainability CIC",
        "Yorkshire and the Humber",
        "he/him",
    ),
    "friend1": Person(
        "friend1",
        "Margaret Doyle",
        "Director of an improvement academy",
        "Regional Improvement Academy",
        "Yorkshire and the Humber",
    ),
    "friend2": Person(
        "friend2",
        "Dr Kwame Mensah",
        "Evaluation lead",
        "University school of healthcare",
        "West Midlands",
        "he/him",
    ),
}

COHORT_PEOPLE = {
    "cohort-1": [
        Person(
            "gp",
            "Dr Aisha Rahman",
            "General practitioner",
            "Moorside Medical Practice",
            "Yorkshire and the Humber",
            "she/her",
        ),
        Person(
            "commissioner",
            "Gareth Pryce",
            "Clinical commissioning manager, mental health",
            "Vale Integrated Care Board",
            "Wales",
        ),
        Person(
            "trust-manager",
            "Fiona MacLeod",
            "Senior manager, partnerships",
            "Northfield Teaching Hospitals NHS Trust",
            "Scotland",
        ),
        Person(
            "ward-sister",
            "Bernadette Kelly",
            "Ward sister, acute medicine",
            "Riverside Hospitals NHS Foundation Trust",
            "North East",
        ),
        Person(
            "pharmacist",
            "Daniel Osei",
            "Community pharmacist",
            "High Street Pharmacy Group",
            "London",
            "he/him",
        ),
    ],
    "cohort-2": [
        Person(
            "physio",
            "Rhiannon Evans",
            "Physiotherapist, community rehabilitation",
            "Coastal Community Health Services",
            "Wales",
            "she/her",
        ),
        Person(
            "public-health",
            "Imran Siddiqui",
            "Public health practitioner",
            "Harbour City Council",
            "North West",
        ),
        Person(
            "midwife",
            "Lucy Trent",
            "Community midwife team leader",
            "Southdowns Hospitals NHS Trust",
            "South East",
            "she/her",
        ),
        Person(
            "estates",
            "Conor Byrne",
            "Estates and sustainability manager",
            "Lakeside Mental Health NHS Trust",
            "Northern Ireland",
        ),
        Person(
            "practice-nurse",
            "Mei Lin Chen",
            "Practice nurse",
            "Eastgate Primary Care Network",
            "East of England",
        ),
    ],
}

COHORTS = [
    # slug, name, start, end, coach key
    ("cohort-1", "Cohort 1", date(2021, 6, 1), date(2021, 10, 8), "coach1"),
    ("cohort-2", "Cohort 2", date(2021, 10, 15), date(2022, 1, 31), "coach2"),
]

MILESTONES = [
    (
        date(2021, 5, 31),
        "Evaluation indicators set",
        MilestoneStatus.DONE,
        "Indicators agreed with the critical friends.",
    ),
    (date(2021, 6, 30), "First workshop held for Cohort 1", MilestoneStatus.DONE, "Attendance recorded."),
    (date(2021, 9, 23), "Second workshop held for Cohort 1", MilestoneStatus.DONE, "Attendance recorded."),
    (
        date(2021, 10, 8),
        "Reflections and refinements to model and workshops",
        MilestoneStatus.DONE,
        "Model version 2 drafted.",
    ),
    (date(2021, 10, 31), "First workshop held for Cohort 2", MilestoneStatus.DONE, "Attendance recorded."),
    (date(2022, 1, 13), "Second workshop held for Cohort 2", MilestoneStatus.DONE, "Attendance recorded."),
    (date(2022, 1, 31), "Shared learning workshop for Cohorts 1 and 2", MilestoneStatus.DONE, ""),
    (date(2021, 11, 30), "Interim evaluation report for Cohort 1", MilestoneStatus.PLANNED, ""),
    (date(2022, 3, 31), "Training resources created and published", MilestoneStatus.PLANNED, ""),
    (date(2022, 3, 31), "Final evaluation report", MilestoneStatus.PLANNED, ""),
]

AGENDA_1 = """## Agenda
1. Welcome and introductions: what has shifted for you?
2. The activist workplace change model: PDSA, organisational learning, peer support and the sustainability lenses
3. **Choosing your system change goal**: who it matters to, and why now
4. Planning your first PDSA cycle
5. Peer support: forming triads

Bring one idea for a change you would like to see in your workplace.
"""

AGENDA_2 = """## Agenda
1. Check-in: what happened since the first workshop
2. Sharing PDSA cycles and run charts in triads
3. Reflection: single, double and triple loop learning
4. What next: sustaining and spreading the change
"""

AGENDA_SHARED = """## Agenda
1. Stories of change from both cohorts
2. What we learned about the model
3. Building an ongoing network
"""

WORKSHOPS = [
    # cohort slugs, number, title, date, agenda
    (["cohort-1"], 1, "Cohort 1, workshop 1: setting a system change goal", date(2021, 6, 30), AGENDA_1),
    (["cohort-1"], 2, "Cohort 1, workshop 2: reflecting on what shifted", date(2021, 9, 23), AGENDA_2),
    (["cohort-2"], 1, "Cohort 2, workshop 1: setting a system change goal", date(2021, 10, 28), AGENDA_1),
    (["cohort-2"], 2, "Cohort 2, workshop 2: reflecting on what shifted", date(2022, 1, 13), AGENDA_2),
    (
        ["cohort-1", "cohort-2"],
        3,
        "Shared learning workshop for cohorts 1 and 2",
        date(2022, 1, 31),
        AGENDA_SHARED,
    ),
]

# The model: cohort 1 used the default "v1 pilot"; after cohort 1's reflections the team published a
# refined version for cohort 2 (milestone "Reflections and refinements to model and workshops").
MODEL_V2_NAME = "v2 after reflections"
MODEL_V2_NOTE = """Cohort 1 told us the systems lens was hard to start alone: the iceberg felt abstract until they
heard how other people saw the same problem.

- **Systems lens**: a new first question asks whose view of the problem differs from yours, and the summary
  now says the lens is best used with others.

Nothing else changes. Carbon factor sets and SWEMWBS still wait for verification, so they are not in this
version either.
"""
SYSTEMS_V2_QUESTION = (
    "Who sees this problem differently from you, and what does the system look like from where they stand?"
)

# The people who sent apologies, so the attendance figures are not all 100%.
APOLOGIES = {
    ("Cohort 1, workshop 2: reflecting on what shifted", "pharmacist"),
    ("Shared learning workshop for cohorts 1 and 2", "estates"),
}


def _person(person: Person, *, staff: bool = False) -> tuple:
    user, created = User.objects.get_or_create(
        email=person.email,
        defaults={
            "full_name": person.name,
            "job_title": person.job_title,
            "organisation": person.organisation,
            "region": person.region,
            "pronouns": person.pronouns,
            "is_staff": staff,
            "is_superuser": staff,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _model_versions(lead) -> dict[str, ModelVersion]:
    """v1 from the default content, and v2 drafted from it by the lead with one lens changed (once)."""
    content_services.default_model_ensure()
    v1 = ModelVersion.objects.filter(slug="v1-pilot").first() or ModelVersion.objects.get(number=1)
    v2 = ModelVersion.objects.filter(name=MODEL_V2_NAME).first()
    if v2 is None:
        v2 = content_services.version_draft(
            actor=lead, source=v1, name=MODEL_V2_NAME, dated=date(2021, 10, 15)
        )
        systems = v2.memberships.get(slug="lens.systems").item
        content_services.item_revise(
            version=v2,
            slug="lens.systems",
            actor=lead,
            summary=systems.summary + " Best used with others, who see different parts of the system.",
            schema={**systems.schema, "questions": [SYSTEMS_V2_QUESTION, *systems.schema["questions"]]},
            change_note="Added a first question about other people's views of the system, after cohort 1.",
        )
        content_services.version_update(
            version=v2, actor=lead, name=MODEL_V2_NAME, dated=v2.dated, change_note=MODEL_V2_NOTE
        )
        content_services.version_publish(version=v2, actor=lead)
    return {"cohort-1": v1, "cohort-2": v2}


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Create or refresh the pilot programme; returns how many people were created."""
    created_people = 0
    team = {}
    for key, person in TEAM.items():
        team[key], created = _person(person, staff=key == "admin")
        created_people += created
    programme, _ = Programme.objects.get_or_create(
        slug=PROGRAMME_SLUG,
        defaults={
            "name": "Shifting mindsets, shifting practice",
            "organisation": "Regional Improvement Academy with Greenshift Sustainability CIC",
            "summary": (
                "A pilot of the activist workplace change model: two cohorts of five people from across the UK "
                "health sector set a system change goal that matters to them, test it in PDSA cycles, and are "
                "coached between two online workshops, with sustainability lenses of systems, resilience, "
                "equality and ecology."
            ),
        },
    )
    programme.leads.add(team["lead"], team["admin"])
    for due, title, status, evidence in MILESTONES:
        Milestone.objects.get_or_create(
            programme=programme,
            title=title,
            defaults={"due_date": due, "status": status, "evidence": evidence},
        )
    model_versions = _model_versions(team["lead"])
    cohorts = {}
    for slug, name, start, end, coach_key in COHORTS:
        cohort, _ = Cohort.objects.get_or_create(
            slug=slug,
            defaults={
                "programme": programme,
                "name": name,
                "start_date": start,
                "end_date": end,
                "capacity": 5,
                "status": CohortStatus.FINISHED,
                "model_version": model_versions[slug],
            },
        )
        cohorts[slug] = cohort
        members = [
            (team[coach_key], Role.COACH),
            (team["friend1"], Role.CRITICAL_FRIEND),
            (team["friend2"], Role.CRITICAL_FRIEND),
        ]
        for person in COHORT_PEOPLE[slug]:
            user, created = _person(person)
            created_people += created
            members.append((user, Role.PARTICIPANT))
        for user, role in members:
            Membership.objects.get_or_create(cohort=cohort, user=user, defaults={"role": role})
    people = {p.key: User.objects.get(email=p.email) for ps in COHORT_PEOPLE.values() for p in ps}
    for cohort_slugs, number, title, day, agenda in WORKSHOPS:
        workshop, workshop_created = Workshop.objects.get_or_create(
            programme=programme,
            title=title,
            defaults={
                "number": number,
                "starts_at": _at(day, 9, 30),
                "ends_at": _at(day, 12, 30),
                "joining_url": "https://meet.example.org/shifting-mindsets",
                "agenda": agenda,
                "agenda_html": render_markdown(agenda),
            },
        )
        if workshop_created:
            workshop.cohorts.set([cohorts[s] for s in cohort_slugs])
            workshop.facilitators.set([team["lead"], team["coach1"], team["coach2"]])
        WorkshopMaterial.objects.get_or_create(
            workshop=workshop,
            title="Slides",
            defaults={"url": "https://materials.example.org/shifting-mindsets/slides"},
        )
        for slug in cohort_slugs:
            for person in COHORT_PEOPLE[slug]:
                status = (
                    AttendanceStatus.APOLOGIES
                    if (title, person.key) in APOLOGIES
                    else AttendanceStatus.ATTENDED
                )
                Attendance.objects.get_or_create(
                    workshop=workshop,
                    user=people[person.key],
                    defaults={"status": status, "recorded_by": team["lead"]},
                )
    projects_created = load_demo_projects(people)
    load_demo_measures()
    load_demo_coaching(team=team, people=people, cohorts=cohorts)
    load_demo_evaluation(programme=programme, team=team, people=people, cohorts=cohorts)
    load_demo_network(programme=programme, lead=team["lead"])
    # What follows is made through the services, which tell people and send emails as they go: the demo's
    # history is not news, so what they queued is taken back at the end (``_forget_news``).
    news_from = timezone.now()
    load_demo_msc(
        programme=programme,
        lead=team["lead"],
        friends=[team["friend1"], team["friend2"]],
        coaches=[team["coach1"], team["coach2"]],
    )
    load_demo_outcomes(programme=programme, lead=team["lead"], friends=[team["friend1"], team["friend2"]])
    load_demo_stories(
        people=people, lead=team["lead"], coaches={slug: team[key] for slug, *_, key in COHORTS}
    )
    load_demo_library(programme=programme, lead=team["lead"], version=model_versions["cohort-2"])
    # Last: the interim report is published from everything above.
    load_demo_reports(
        programme=programme, lead=team["lead"], friend=team["friend1"], cohort=cohorts["cohort-1"]
    )
    _forget_news(since=news_from)
    return {"people_created": created_people, "projects_created": projects_created}


def _forget_news(*, since) -> None:
    """Take back the notifications, broadcasts and emails the demo's services queued from ``since``."""
    from shiftpractice.core.models import EmailDelivery
    from shiftpractice.notifications.models import Broadcast, Notification, ReminderLedger

    Notification.objects.filter(created_at__gte=since).delete()
    Broadcast.objects.filter(created_at__gte=since).delete()
    ReminderLedger.objects.filter(sent_at__gte=since).delete()
    EmailDelivery.objects.filter(created_at__gte=since).delete()


def demo_logins() -> list[tuple[str, str]]:
    """(role, email) pairs to print for someone trying the demo."""
    return [
        ("Programme lead", TEAM["lead"].email),
        ("Administrator (admin site too)", TEAM["admin"].email),
        ("Coach", TEAM["coach1"].email),
        ("Participant (cohort 1, a GP)", COHORT_PEOPLE["cohort-1"][0].email),
        ("Participant (cohort 2)", COHORT_PEOPLE["cohort-2"][0].email),
        ("Critical friend", TEAM["friend1"].email),
    ]
