"""Demo change projects: one for each pilot participant, drawn from the proposal's examples.

Each has lens answers, an influence map, a driver diagram, PDSA cycles in different states and a progress
history. They are written through the projects services, so demo data obeys the same rules as real data.
Loading is idempotent: a participant who already has a project of that title is left alone.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from shiftpractice.cohorts.models import Cohort
from shiftpractice.content import selectors as content_selectors
from shiftpractice.projects import services
from shiftpractice.projects.models import ChangeProject

User = get_user_model()
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class DemoCycle:
    title: str
    idea: int  # index into the change ideas
    start: date
    objective: str
    prediction: str
    happened: str = ""
    results: str = ""
    learning: str = ""
    loop: str = ""
    decision: str = ""
    next_step: str = ""

    @property
    def stage(self) -> str:
        if self.decision:
            return "complete"
        if self.results:
            return "studying"
        if self.happened:
            return "doing"
        return "planning"


@dataclass(frozen=True)
class DemoProject:
    owner: str  # the demo person's key
    cohort: str
    title: str
    aim: tuple[str, str, str, date]
    accomplish: str
    know: str
    background: str
    lenses: dict[str, str]  # lens name -> an answer to its first question
    stakeholders: list[tuple[str, str, int, int, str, str, str, str]]
    drivers: list[tuple[str, list[tuple[str, list[str]]]]]  # primary -> [(secondary, [change ideas])]
    cycles: list[DemoCycle]
    scores: list[tuple[date, str, str]] = field(default_factory=list)
    status: str = "active"
    visibility: str = "cohort"


PROJECTS = [
    DemoProject(
        "gp",
        "cohort-1",
        "Green social prescribing for low mood",
        (
            "Increase referrals of adults with low mood to nature-based activities",
            "adults with low mood registered at the practice",
            "from 2 to 20 referrals a month",
            date(2022, 3, 31),
        ),
        "Give people with low mood a route into nature-based activity as part of their care.",
        "Monthly referrals to nature-based activities, and wellbeing scores of the people referred.",
        "During the pandemic many patients said time outdoors helped their mood more than anything else we offered.",
        {
            "ecology": "It uses local green space as a resource for health.",
            "equality": "We will check referrals reach the most deprived neighbourhoods.",
        },
        [
            (
                "Practice manager",
                "Practice team",
                5,
                4,
                "influence",
                "neutral",
                "champion",
                "Agree protected time for referrals.",
            ),
            (
                "Social prescribing link worker",
                "Primary care network",
                3,
                5,
                "control",
                "champion",
                "champion",
                "Weekly check-in.",
            ),
            (
                "Parks and green spaces team",
                "Council",
                3,
                3,
                "concern",
                "supporter",
                "champion",
                "Invite to the steering group.",
            ),
        ],
        [
            (
                "Clinicians think of nature-based options",
                [
                    (
                        "Clinicians know what is on offer",
                        [
                            "A one-page guide in every consulting room",
                            "Five-minute talk at the practice meeting",
                        ],
                    )
                ],
            ),
            (
                "Patients can take part easily",
                [("Activities are close and free", ["Map of walks and groups to hand out"])],
            ),
        ],
        [
            DemoCycle(
                "One-page guide for one week",
                0,
                date(2021, 7, 5),
                "See whether GPs use a one-page guide",
                "At least 5 referrals in a week",
                "The guide was in all six rooms",
                "7 referrals, above the prediction",
                "A short guide is used when it is in sight",
                "single",
                "adopt",
                "Keep the guide; add the map for patients",
            ),
            DemoCycle(
                "Walk map for patients",
                2,
                date(2021, 7, 19),
                "Test whether patients take up a walk map",
                "Half of those offered will take it",
                "Offered to 20 patients",
                "14 took it; 6 went to a group",
                "Patients value something to take away",
                "double",
                "adapt",
                "Add group times to the map",
            ),
            DemoCycle(
                "Talk at the practice meeting",
                1,
                date(2021, 8, 9),
                "Raise awareness with the whole team",
                "More clinicians refer next month",
                "Talk given to 11 staff",
                "",
            ),
        ],
        [
            (date(2021, 6, 30), "1.0", "Charter written at workshop 1."),
            (date(2021, 7, 31), "2.0", "First tests under way."),
            (date(2021, 9, 23), "2.5", "Two cycles completed."),
        ],
    ),
    DemoProject(
        "commissioner",
        "cohort-1",
        "Commissioning nature-based mental health support",
        (
            "Include nature-based options in the adult mental health pathway",
            "adults referred to talking therapies",
            "in 3 of the 5 localities",
            date(2022, 6, 30),
        ),
        "Make nature-based support a commissioned, funded part of the pathway.",
        "Number of localities with a commissioned nature-based option.",
        "Voluntary groups run strong nature programmes but their funding is short-term.",
        {
            "systems": "The funding rules, not the evidence, keep nature-based care at the margins.",
            "influence-and-power": "The mental health board decides; its chair is an ally.",
        },
        [
            (
                "Mental health board chair",
                "ICB",
                5,
                4,
                "influence",
                "supporter",
                "champion",
                "Present the options paper.",
            ),
            ("Finance lead", "ICB", 5, 2, "concern", "sceptic", "neutral", "Share cost comparison."),
            (
                "Wildlife trust",
                "Voluntary sector",
                2,
                5,
                "influence",
                "champion",
                "champion",
                "Co-design the specification.",
            ),
        ],
        [
            (
                "Commissioners see the value",
                [("Evidence is easy to find", ["Two-page evidence summary for the board"])],
            ),
            (
                "Providers can bid",
                [("Specifications suit small groups", ["Lighter tender for grants under £50,000"])],
            ),
        ],
        [
            DemoCycle(
                "Evidence summary at the board",
                0,
                date(2021, 7, 12),
                "Test whether a short summary shifts the board's view",
                "The board asks for an options paper",
                "Presented in July",
                "The board asked for options",
                "A short summary opened the door",
                "double",
                "adopt",
                "Write the options paper",
            ),
            DemoCycle(
                "Lighter tender with two groups",
                1,
                date(2021, 9, 1),
                "Test a lighter tender with two local groups",
                "Both groups can bid",
                "",
            ),
        ],
        [(date(2021, 7, 1), "1.0", "Aim agreed."), (date(2021, 9, 23), "2.5", "Board asked for options.")],
    ),
    DemoProject(
        "trust-manager",
        "cohort-1",
        "Partnerships for health with community groups",
        (
            "Build working partnerships between the trust and community groups",
            "people in the two most deprived wards of the city",
            "4 active partnerships with joint plans",
            date(2022, 3, 31),
        ),
        "Let community groups and the trust plan health support together.",
        "Number of partnerships with a joint plan, and people reached by them.",
        "Community groups reached people we never see until they are very ill.",
        {
            "equality": "The partnerships focus on the Core20 neighbourhoods.",
            "resilience": "Community groups kept people fed and connected in lockdown.",
        },
        [
            (
                "Director of strategy",
                "Trust board",
                5,
                3,
                "influence",
                "supporter",
                "champion",
                "Monthly briefing.",
            ),
            (
                "Faith leaders' forum",
                "Community",
                2,
                5,
                "concern",
                "neutral",
                "supporter",
                "Attend their meeting.",
            ),
            (
                "Food bank coordinator",
                "Community",
                2,
                5,
                "influence",
                "champion",
                "champion",
                "Joint plan for winter.",
            ),
        ],
        [
            (
                "Trust staff and groups know each other",
                [("Regular meeting place", ["Monthly open meeting in a community venue"])],
            )
        ],
        [
            DemoCycle(
                "First open meeting",
                0,
                date(2021, 7, 14),
                "Test whether groups come to an open meeting",
                "8 groups attend",
                "Held at the community centre",
                "11 groups came",
                "Meeting on their ground mattered",
                "double",
                "adopt",
                "Make it monthly",
            ),
            DemoCycle(
                "Joint winter plan with the food bank",
                0,
                date(2021, 9, 6),
                "Agree one joint plan",
                "A plan by October",
            ),
        ],
        [(date(2021, 7, 1), "1.5", "Planning."), (date(2021, 9, 23), "2.5", "Meetings running.")],
    ),
    DemoProject(
        "ward-sister",
        "cohort-1",
        "Less clinical waste on the acute medical ward",
        (
            "Reduce waste wrongly sent as infectious clinical waste",
            "the acute medical ward",
            "by 30% by weight",
            date(2021, 12, 31),
        ),
        "Send only truly infectious waste for high-temperature treatment.",
        "Weight of clinical waste a week; audit of bags wrongly classed.",
        "An audit showed most of our orange-bag waste was not infectious.",
        {
            "four-principles": "Lean pathways: the right bin first time.",
            "sustainable-value": "Less carbon and cost, with no risk to patients.",
        },
        [
            (
                "Infection prevention lead",
                "Trust",
                4,
                4,
                "influence",
                "sceptic",
                "supporter",
                "Agree the bin guide together.",
            ),
            (
                "Domestic supervisor",
                "Facilities",
                3,
                4,
                "influence",
                "supporter",
                "champion",
                "Swap bins at the bays.",
            ),
            ("Ward staff", "Ward", 2, 5, "control", "neutral", "champion", "Huddle teaching."),
        ],
        [
            (
                "Staff choose the right bin",
                [
                    ("Bins are where the waste is made", ["Offensive-waste bins in every bay"]),
                    ("Staff know which waste is infectious", ["Bin guide above every bin"]),
                ],
            )
        ],
        [
            DemoCycle(
                "Offensive-waste bins in two bays",
                0,
                date(2021, 7, 5),
                "Test bins in two bays for a week",
                "Orange-bag weight falls by a fifth",
                "Bins placed in bays 1 and 2",
                "Orange bag weight fell by 35% in those bays",
                "Location beats instructions",
                "single",
                "adopt",
                "Roll out to all bays",
            ),
            DemoCycle(
                "Bin guide above every bin",
                1,
                date(2021, 7, 26),
                "Test a picture guide",
                "Audit errors halve",
                "Guides put up",
                "Errors fell from 60% to 25%",
                "Pictures work better than words",
                "single",
                "adopt",
                "Keep and share with other wards",
            ),
            DemoCycle(
                "All bays",
                0,
                date(2021, 8, 16),
                "Extend to all bays",
                "Ward total falls by 30%",
                "Rolled out",
                "Total fell by 31%",
                "It holds when everyone has the bins",
                "single",
                "adopt",
                "Share with the next ward",
            ),
            DemoCycle(
                "Second ward",
                0,
                date(2021, 9, 13),
                "Spread to the respiratory ward",
                "Similar fall",
                "Started on the respiratory ward",
                "",
            ),
        ],
        [
            (date(2021, 7, 1), "1.5", "Audit done."),
            (date(2021, 8, 1), "3.0", "Early fall in waste."),
            (date(2021, 9, 23), "4.0", "Target met on the ward."),
        ],
        status="sustaining",
        visibility="programme",
    ),
    DemoProject(
        "pharmacist",
        "cohort-1",
        "Lower-carbon inhalers in the community",
        (
            "Switch suitable patients to lower-carbon inhalers",
            "patients with asthma using the pharmacy",
            "40 switches with a technique check",
            date(2022, 1, 31),
        ),
        "Cut the carbon of inhaled medicines without harming control of asthma.",
        "Number of switches, and asthma control at follow-up (balancing measure).",
        "Propellant inhalers make up a large share of the NHS's carbon from medicines.",
        {
            "four-principles": "Low-carbon alternatives, and empowerment through technique checks.",
            "ecology": "Returning used inhalers for proper disposal.",
        },
        [
            (
                "Local GPs",
                "Primary care",
                5,
                3,
                "influence",
                "neutral",
                "supporter",
                "Share the switching protocol.",
            ),
            (
                "Patients",
                "Community",
                3,
                4,
                "influence",
                "unknown",
                "supporter",
                "Offer a conversation, never force a switch.",
            ),
        ],
        [
            (
                "Patients and prescribers agree to switch",
                [("Patients understand the options", ["Inhaler conversation at the counter"])],
            ),
            ("Old inhalers are returned", [("Returning is easy", ["Return box at the counter"])]),
        ],
        [
            DemoCycle(
                "Inhaler conversation",
                0,
                date(2021, 7, 7),
                "Test offering a conversation",
                "1 in 5 patients interested",
                "Offered to 25 patients",
                "6 interested, 3 referred to GP",
                "Timing matters: at collection is too rushed",
                "double",
                "adapt",
                "Book a short appointment instead",
            ),
            DemoCycle(
                "Return box",
                1,
                date(2021, 8, 2),
                "Test a return box for used inhalers",
                "20 returned in a month",
            ),
        ],
        [(date(2021, 7, 1), "1.0", "Aim set."), (date(2021, 9, 1), "2.5", "Testing.")],
    ),
    DemoProject(
        "physio",
        "cohort-2",
        "Walking groups for people waiting for knee physiotherapy",
        (
            "Offer a walking group to people on the knee waiting list",
            "people waiting for knee physiotherapy",
            "15 joining a group each month",
            date(2022, 4, 30),
        ),
        "Help people stay active and connected while they wait.",
        "People joining a walking group each month; pain scores at assessment.",
        "Waiting lists grew in the pandemic and people lost fitness while they waited.",
        {
            "ecology": "Walks in local parks connect people with nature.",
            "equality": "Groups run in the two most deprived areas first.",
        },
        [
            (
                "Walking for health coordinator",
                "Council",
                3,
                5,
                "influence",
                "champion",
                "champion",
                "Share the group timetable.",
            ),
            (
                "Physio team lead",
                "Trust",
                4,
                4,
                "control",
                "supporter",
                "champion",
                "Agree a letter to the waiting list.",
            ),
        ],
        [
            (
                "People on the list hear about the groups",
                [
                    (
                        "The waiting-list letter mentions them",
                        ["Add walking groups to the waiting-list letter"],
                    )
                ],
            )
        ],
        [
            DemoCycle(
                "Waiting-list letter",
                0,
                date(2021, 11, 8),
                "Test a line in the letter",
                "5 people join in a month",
                "Letter sent to 60 people",
                "9 joined",
                "A personal invitation works",
                "single",
                "adopt",
                "Add it to all letters",
            ),
            DemoCycle(
                "Phone call follow-up",
                0,
                date(2021, 12, 6),
                "Test a follow-up call",
                "Half of those called will join",
                "Called 10 people",
            ),
        ],
        [
            (date(2021, 10, 28), "1.0", "Charter set at workshop 1."),
            (date(2021, 12, 1), "2.5", "First cycle complete."),
        ],
    ),
    DemoProject(
        "public-health",
        "cohort-2",
        "Community food growing for health",
        (
            "Start food-growing sessions with people at risk of diabetes",
            "adults at risk of type 2 diabetes in two estates",
            "30 people taking part",
            date(2022, 5, 31),
        ),
        "Use community growing to help people eat well and connect.",
        "People taking part; self-reported fruit and vegetable portions.",
        "Residents asked for growing space; diabetes risk is highest on these estates.",
        {
            "equality": "It starts where health inequality is greatest.",
            "resilience": "Local food builds community resilience.",
        },
        [
            ("Housing association", "Landlord", 4, 3, "influence", "neutral", "supporter", "Ask for a plot."),
            (
                "Residents' association",
                "Community",
                2,
                5,
                "influence",
                "champion",
                "champion",
                "Co-run sessions.",
            ),
        ],
        [
            (
                "People have somewhere to grow",
                [("A plot on each estate", ["Pop-up planters outside the community centre"])],
            )
        ],
        [
            DemoCycle(
                "Pop-up planters",
                0,
                date(2021, 11, 15),
                "Test interest with planters",
                "10 people sign up",
                "Planters placed",
                "14 signed up",
                "People came for the company as much as the food",
                "double",
                "adapt",
                "Add a shared lunch",
            ),
            DemoCycle(
                "Shared lunch",
                0,
                date(2021, 12, 13),
                "Test a shared lunch after sessions",
                "Attendance holds in winter",
            ),
        ],
        [(date(2021, 11, 1), "1.5", "Planning with residents.")],
    ),
    DemoProject(
        "midwife",
        "cohort-2",
        "Less nitrous oxide lost on the labour ward",
        (
            "Reduce nitrous oxide lost through leaks and waste",
            "the labour ward",
            "by half of the volume not given to patients",
            date(2022, 6, 30),
        ),
        "Stop paying for, and emitting, gas that no patient receives.",
        "Volume of nitrous oxide bought against volume given.",
        "Piped nitrous oxide is a potent greenhouse gas; much of it leaks from the pipework.",
        {
            "sustainable-value": "Same care for women, less carbon and cost.",
            "systems": "The leak is in the infrastructure, not in practice.",
        },
        [
            ("Estates engineer", "Estates", 4, 3, "influence", "neutral", "champion", "Joint leak survey."),
            (
                "Labour ward manager",
                "Maternity",
                4,
                5,
                "control",
                "supporter",
                "champion",
                "Agree portable cylinders trial.",
            ),
        ],
        [
            (
                "Gas is not lost from the system",
                [
                    (
                        "Leaks are found and fixed",
                        ["Leak survey of the manifold", "Portable cylinders in one room"],
                    )
                ],
            )
        ],
        [
            DemoCycle(
                "Leak survey",
                0,
                date(2021, 11, 22),
                "Find how much gas is lost",
                "At least a third is lost",
                "Survey done with estates",
                "Over half was lost",
                "The problem is bigger than we thought",
                "triple",
                "adopt",
                "Make the case to decommission the manifold",
            ),
            DemoCycle(
                "Portable cylinders in one delivery room",
                1,
                date(2022, 1, 10),
                "Test portable cylinders in one room",
                "Midwives find them as easy to use",
                "Used for two weeks in room 4",
            ),
        ],
        [(date(2021, 11, 1), "1.0", "Charter."), (date(2022, 1, 13), "2.5", "Survey complete.")],
    ),
    DemoProject(
        "estates",
        "cohort-2",
        "Switching off: energy on inpatient wards",
        (
            "Cut electricity used by equipment left on overnight",
            "three inpatient wards",
            "by 15%",
            date(2022, 3, 31),
        ),
        "Use less energy without affecting patient care.",
        "Overnight electricity use on the wards' sub-meters.",
        "Sub-meters show high use overnight when most equipment is idle.",
        {
            "four-principles": "Lean use of resources.",
            "influence-and-power": "Ward staff need to own it, not estates.",
        },
        [
            (
                "Ward managers",
                "Nursing",
                4,
                3,
                "influence",
                "neutral",
                "supporter",
                "Agree a switch-off list.",
            ),
            (
                "Medical engineering",
                "Trust",
                3,
                3,
                "influence",
                "sceptic",
                "supporter",
                "Check which devices can be switched off.",
            ),
        ],
        [
            (
                "Idle equipment is switched off",
                [
                    (
                        "Staff know what is safe to switch off",
                        ["Green-dot labels on safe-to-switch-off equipment"],
                    )
                ],
            )
        ],
        [
            DemoCycle(
                "Green-dot labels on one ward",
                0,
                date(2021, 11, 29),
                "Test labels on one ward",
                "Overnight use falls by a tenth",
                "Labels on 40 devices",
                "Overnight use fell by 12%",
                "Staff switch off what they know is safe",
                "single",
                "adopt",
                "Add the labels on two more wards",
            ),
            DemoCycle(
                "Labels on two more wards", 0, date(2022, 1, 4), "Spread to two wards", "A similar fall"
            ),
        ],
        [(date(2021, 11, 1), "1.5", "Baseline from sub-meters.")],
    ),
    DemoProject(
        "practice-nurse",
        "cohort-2",
        "Inhaler technique and returns at asthma reviews",
        (
            "Check inhaler technique and offer returns at every asthma review",
            "patients with asthma at the practice",
            "90% of reviews",
            date(2022, 3, 31),
        ),
        "Better asthma control with fewer, well-used inhalers.",
        "Share of reviews with a technique check; reliever prescriptions per patient.",
        "Over-use of relievers often means poor control or technique.",
        {
            "four-principles": "Prevention and self-care through better technique.",
            "equality": "Plain-language leaflets in the three main community languages.",
        },
        [
            (
                "GP asthma lead",
                "Practice",
                4,
                4,
                "influence",
                "supporter",
                "champion",
                "Agree the review template.",
            ),
            ("Reception team", "Practice", 2, 3, "influence", "neutral", "supporter", "Book longer reviews."),
        ],
        [
            (
                "Every review checks technique",
                [("The template prompts it", ["Add a technique check to the review template"])],
            )
        ],
        [
            DemoCycle(
                "Template prompt",
                0,
                date(2021, 11, 10),
                "Test a prompt in the template",
                "80% of reviews include a check",
                "Prompt added",
                "85% included a check",
                "A prompt is enough for most reviews",
                "single",
                "adopt",
                "Add the returns question",
            ),
            DemoCycle(
                "Returns question",
                0,
                date(2021, 12, 1),
                "Ask about returning old inhalers",
                "Half of patients bring them back",
                "Asked at 30 reviews",
                "12 brought them back",
                "Reminder texts may help",
                "single",
                "adapt",
                "Test a reminder text",
            ),
        ],
        [
            (date(2021, 11, 1), "1.0", "Charter."),
            (date(2022, 1, 13), "3.0", "Technique checks in most reviews."),
        ],
    ),
]


def _build(spec: DemoProject, owner, cohort, model) -> ChangeProject:
    what, whom, how_much, when = spec.aim
    project = services.project_create(
        owner=owner,
        cohort=cohort,
        title=spec.title,
        actor=owner,
        aim_what=what,
        aim_for_whom=whom,
        aim_how_much=how_much,
        aim_by_when=when,
        mfi_accomplish=spec.accomplish,
        mfi_know=spec.know,
        background=spec.background,
        status=spec.status,
        visibility=spec.visibility,
    )
    for name, text in spec.lenses.items():
        lens = model.lens(name) if model else None
        if lens is not None:
            tags = lens.schema.get("tags", [])[:1]
            services.lens_answer_save(
                project=project,
                lens=lens,
                answers={lens.schema["questions"][0]: text},
                tags=tags,
                actor=owner,
            )
    for name, group, power, interest, circle, now, hoped, actions in spec.stakeholders:
        services.stakeholder_save(
            project=project,
            actor=owner,
            name=name,
            group=group,
            power=power,
            interest=interest,
            circle=circle,
            stance_now=now,
            stance_hoped=hoped,
            actions=actions,
        )
    ideas = []
    for primary_text, secondaries in spec.drivers:
        primary = services.driver_add(project=project, kind="primary", text=primary_text, actor=owner)
        for secondary_text, idea_texts in secondaries:
            secondary = services.driver_add(
                project=project, kind="secondary", text=secondary_text, parent=primary, actor=owner
            )
            for text in idea_texts:
                tags = [model.lens(n).slug for n in list(spec.lenses)[:1] if model and model.lens(n)]
                ideas.append(
                    services.driver_add(
                        project=project,
                        kind="change_idea",
                        text=text,
                        parent=secondary,
                        lens_tags=tags,
                        actor=owner,
                    )
                )
    previous = None
    for c in spec.cycles:
        previous = _run_cycle(project, c, ideas[min(c.idea, len(ideas) - 1)], previous, owner)
    for when, score, note in spec.scores:
        services.progress_set(project=project, score=score, note=note, actor=owner, scored_on=when)
    return project


def _run_cycle(project, c: DemoCycle, idea, previous, owner):
    cycle = services.cycle_create(
        project=project,
        title=c.title,
        change_idea=idea,
        previous=previous,
        actor=owner,
        objective=c.objective,
        prediction=c.prediction,
        start_date=c.start,
    )
    stages = [
        ("doing", {"what_happened": c.happened, "carried_out_as_planned": True}),
        (
            "studying",
            {
                "results": c.results,
                "learning": c.learning,
                "learning_loop": c.loop,
                "decision": c.decision,
                "next_step": c.next_step,
            },
        ),
        ("complete", {}),
    ]
    order = ["planning", "doing", "studying", "complete"]
    for status, fields in stages:
        if order.index(c.stage) < order.index(status):
            break
        finished = datetime.combine(c.start + timedelta(days=14), time(17), tzinfo=LONDON)
        services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=owner, at=finished)
        filled = {k: v for k, v in fields.items() if v not in ("", None)}
        if filled and status != "complete":
            services.cycle_update(cycle=cycle, revision=cycle.revision, actor=owner, **filled)
    return cycle


def load_demo_projects(people_by_key: dict) -> int:
    """Create the demo projects that do not exist yet; returns how many were created."""
    created = 0
    cohorts = {c.slug: c for c in Cohort.objects.filter(slug__in={p.cohort for p in PROJECTS})}
    for spec in PROJECTS:
        owner = people_by_key[spec.owner]
        if ChangeProject.objects.filter(owner=owner, title=spec.title).exists():
            continue
        cohort = cohorts[spec.cohort]
        _build(spec, owner, cohort, content_selectors.model_for_cohort(cohort))
        created += 1
    return created
