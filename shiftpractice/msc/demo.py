"""The demo's most significant change: three domains, one story per participant, a closed selection round for
each cohort and a closed programme round stacked on them, each choice with the panel's reasons.

Called by ``home.demo.load_demo``; safe to call again (what exists is left as it is). Everything is written
through the services, so the demo is audited and notified as real use would be.
"""

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership

from . import selectors, services
from .models import Domain, Round, Story

DOMAINS = [
    (
        "Changes in my practice",
        "What changed in how you yourself work: with patients, with colleagues, with the resources you use.",
    ),
    (
        "Changes in my organisation",
        "What changed in your team, department or organisation: its routines, its decisions, its priorities.",
    ),
    (
        "Changes for patients, communities or nature",
        "What changed for the people you care for, the community around you, or the living world.",
    ),
]

# (title, story, why it is significant), by domain. Written for the demo; any likeness to a real place is chance.
STORIES = [
    [
        (
            "I stopped reaching for the inhaler I knew",
            "I used to prescribe the same metered-dose inhaler out of habit. After the workshop on the carbon "
            "cost of propellants I started asking every asthma patient at review whether a dry powder inhaler "
            "would suit them, and showing them how to use it. Most said yes once they had tried it. I now "
            "check technique at every review instead of assuming it.",
            "It was the first time I saw that a tiny choice I make twenty times a week adds up to something "
            "that matters, and that patients are glad to be asked.",
        ),
        (
            "Handover at the bedside, not in the office",
            "Our night-to-day handover used to happen around a printed sheet in the office. We tried doing it "
            "at the bedside for two weeks, with the patient invited to add anything we had missed. It felt "
            "awkward at first. By the end of the month nobody wanted to go back.",
            "Patients corrected us more often than I expected. I learned to listen before I write.",
        ),
        (
            "Deprescribing became part of my routine",
            "I now set aside ten minutes in every medication review to ask what each medicine is for and "
            "whether it still helps. With older patients on many medicines we have stopped several that were "
            "doing more harm than good, always agreed with them and their families.",
            "Fewer tablets, fewer falls, less waste: it is better care and it is greener care at the same time.",
        ),
        (
            "I test small changes before I argue for big ones",
            "Before the programme I would bring a full proposal to the team meeting and watch it stall. Now I "
            "run a one-week test on one clinic list, collect a few numbers and bring those instead.",
            "It changed how I see myself: not someone who complains about the system, but someone who can "
            "shift a piece of it.",
        ),
    ],
    [
        (
            "Our theatre list now checks for reusable kit first",
            "Our theatre team agreed to review the single-use items opened for routine procedures. We found "
            "trays opened 'just in case' and never used. The procurement lead joined us and we now stock "
            "reusable alternatives for three common items.",
            "It showed me the organisation will change when the evidence comes from the people doing the work.",
        ),
        (
            "Sustainability is now a standing item at our board",
            "A year ago nobody on our practice's management team mentioned sustainability. After I shared my "
            "run charts, the partners asked for a short update every month, and the practice manager now "
            "reports energy and prescribing figures alongside finance.",
            "What gets talked about at the top gets done. It is no longer my private project.",
        ),
        (
            "Pharmacy and nursing now plan discharges together",
            "Discharge medicines used to be the last thing sorted, often hours after the patient was ready. "
            "We started a short joint huddle each morning between the ward pharmacist and the nurse in charge. "
            "Delays have fallen and fewer medicines are wasted when plans change.",
            "Two professions that used to pass problems to each other now solve them together.",
        ),
    ],
    [
        (
            "Walking groups instead of another prescription",
            "We linked up with a local park volunteer group and began offering a weekly walking group to people "
            "with low mood. Some came once; a dozen now come every week and several have started a "
            "conservation task on the same day.",
            "I watched people who had stopped leaving the house teach each other the names of birds. No "
            "tablet does that.",
        ),
        (
            "A quieter ward at night",
            "We turned down alarms that did not need to sound at the bedside, dimmed corridor lights after "
            "eleven and moved the noisiest equipment checks to the day. Patients now tell us they slept.",
            "Sleep is treatment. We had forgotten that, and our patients reminded us.",
        ),
        (
            "The car park became a meadow",
            "A strip of grass by our staff car park was mown every fortnight. With the estates team we let it "
            "grow, sowed wildflowers and put up a bench. Staff now take their breaks there and the local "
            "school has counted the pollinators.",
            "It is small, but it is something living that our organisation chose to care for, and everyone "
            "can see it.",
        ),
    ],
]

REASONS = [
    "The panel felt this story showed a change in everyday clinical habit that any clinician could copy, with "
    "patients involved in the decision, and a clear benefit for the environment too.",
    "This story shows an organisation changing how it decides, not just what it does, because of evidence "
    "gathered by its own staff. The panel thought it was the most likely to last.",
    "The panel chose this story because the change reached beyond the service to people's lives and the "
    "living world around them, and the storyteller could say what difference it made.",
]
PROGRAMME_REASONS = [
    "Across both cohorts this was the clearest change in personal practice: small, repeated, measured and "
    "shared with patients. It is the change the programme most hoped for.",
    "Of the organisational changes chosen by the cohort panels, this one moved furthest up the organisation "
    "and has become part of routine governance.",
    "The programme panel chose this as the change with the widest reach: patients, the local community and "
    "nature all benefit, and it has spread beyond the storyteller's own service.",
]


def _domains(programme, lead) -> list[Domain]:
    out = []
    for order, (name, description) in enumerate(DOMAINS, start=1):
        domain = Domain.objects.filter(programme=programme, name=name).first()
        if domain is None:
            domain = services.domain_create(
                programme=programme, name=name, description=description, order=order, actor=lead
            )
        out.append(domain)
    return out


def _stories(programme, domains: list[Domain]) -> None:
    """One story per participant, the domains taken in turn so every cohort has a story in each domain."""
    memberships = (
        Membership.objects.filter(cohort__programme=programme, role=Role.PARTICIPANT)
        .select_related("user", "cohort")
        .order_by("cohort__start_date", "cohort__name", "user__email")
    )
    told = set(Story.objects.filter(programme=programme).values_list("author_id", flat=True))
    for n, membership in enumerate(memberships):
        if membership.user_id in told:
            continue
        told.add(membership.user_id)
        kind = n % len(domains)
        title, story, why = STORIES[kind][(n // len(domains)) % len(STORIES[kind])]
        services.story_write(
            domain=domains[kind],
            title=title,
            story=story,
            why=why,
            show_name=n % 2 == 0,
            consent=True,
            actor=membership.user,
        )


def _choose(round_: Round, domains: list[Domain], reasons: list[str], actor) -> None:
    """In the n-th domain the n-th story the panel reads (counting round), so a programme round's choices
    come from more than one cohort."""
    for n, (domain, why) in enumerate(zip(domains, reasons, strict=False)):
        stories = list(selectors.round_candidates(round_, domain)[:10])
        if stories:
            services.choice_record(round_=round_, story=stories[n % len(stories)], reasons=why, actor=actor)


def load_demo_msc(*, programme, lead, friends, coaches) -> None:
    domains = _domains(programme, lead)
    _stories(programme, domains)
    cohort_rounds = []
    for cohort in programme.cohorts.order_by("start_date", "name"):
        title = f"{cohort.name}: selection panel"
        round_ = Round.objects.filter(programme=programme, cohort=cohort, title=title).first()
        if round_ is None:
            coach_ids = Membership.objects.filter(cohort=cohort, role=Role.COACH).values_list(
                "user_id", flat=True
            )
            panel = [lead, *friends, *[c for c in coaches if c.pk in set(coach_ids)]]
            round_ = services.round_create(
                programme=programme, cohort=cohort, title=title, panel=panel, actor=lead
            )
            _choose(round_, domains, REASONS, lead)
            services.round_close(round_=round_, actor=lead)
        cohort_rounds.append(round_)
    title = "Programme selection panel"
    if cohort_rounds and not Round.objects.filter(programme=programme, cohort=None, title=title).exists():
        round_ = services.round_create(
            programme=programme, title=title, panel=[lead, *friends], stacked=cohort_rounds, actor=lead
        )
        _choose(round_, domains, PROGRAMME_REASONS, lead)
        services.round_close(round_=round_, actor=lead)
