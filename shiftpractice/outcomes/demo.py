"""The demo programme's outcome harvest: twelve outcomes across its ten projects, eight of them substantiated
(by its critical friends, and one by a practice manager outside the programme through the emailed link).

Idempotent: an outcome already recorded on its project (same "who changed") is left alone, with its answers.
Called from ``home.demo.load_demo``; everything goes through the services, as a person's actions would.
"""

import secrets
from dataclasses import dataclass
from datetime import date

from shiftpractice.projects.models import ChangeProject

from . import services
from .models import Outcome


@dataclass(frozen=True)
class DemoOutcome:
    project: str  # the demo project's title
    who: str
    kind: str
    what: str
    when: date
    month_only: bool
    where: str
    contribution: str
    significance: str
    evidence: str
    lenses: tuple[str, ...]
    answer: tuple[str, str] | None = None  # (verdict, comment) from a critical friend
    by_link: bool = False  # answered by an outside person through the emailed link


OUTCOMES = [
    DemoOutcome(
        "Green social prescribing for low mood",
        "The practice's reception team",
        "practice",
        "Receptionists now offer the walking and gardening groups leaflet to anyone booking a low-mood review, "
        "instead of waiting for a clinician to mention it.",
        date(2021, 8, 1),
        True,
        "Riverside surgery front desk",
        "We ran a lunchtime session with the receptionists on what the groups offer and who runs them.",
        "People hear about nature-based support at the first contact, not weeks later.",
        "Reception log of leaflets given; group leaders report more self-referrals naming the surgery.",
        ("systems", "ecology"),
        ("agree", "I saw the leaflets being offered when I visited in August."),
    ),
    DemoOutcome(
        "Green social prescribing for low mood",
        "The primary care network's social prescribing link workers",
        "relationships",
        "Link workers now meet the park rangers monthly to match people to outdoor activities.",
        date(2021, 9, 14),
        False,
        "Town park visitor centre",
        "The project introduced the two teams and hosted their first meeting.",
        "A lasting connection between health and green-space services that does not depend on one GP.",
        "Meeting notes from September to December.",
        ("systems", "resilience"),
        None,
        True,
    ),
    DemoOutcome(
        "Commissioning nature-based mental health support",
        "The clinical commissioning group's mental health commissioning team",
        "policy",
        "The new community mental health specification asks providers to offer a nature-based option.",
        date(2021, 10, 1),
        True,
        "County-wide",
        "The project's evidence summary and costings were attached to the specification paper.",
        "Every provider in the county now has to plan for nature-based support, not only the keen ones.",
        "Published service specification, section 4.",
        ("systems", "ecology", "equality"),
        ("agree", "The specification wording matches; the project's paper is cited in the appendix."),
    ),
    DemoOutcome(
        "Partnerships for health with community groups",
        "Two faith groups and a tenants' association",
        "relationships",
        "They now host the trust's health checks in their own buildings, booked through the community groups.",
        date(2021, 9, 1),
        True,
        "North of the city",
        "We asked the groups what would help and moved the checks to where people already gather.",
        "People who rarely come to hospital clinics are seen, close to home, without a bus journey.",
        "Attendance lists kept by the groups; 60 checks in the first month.",
        ("equality", "resilience"),
        ("partly", "The faith groups host the checks; the tenants' association has not started yet."),
    ),
    DemoOutcome(
        "Less clinical waste on the acute medical ward",
        "The acute medical ward's nursing team",
        "practice",
        "Nurses now sort waste at the bedside into offensive and clinical streams using the new bins.",
        date(2021, 7, 19),
        False,
        "Acute medical unit",
        "Our PDSA cycles tested bin labels and placement until the sorting stuck.",
        "Less waste is sent for high-temperature incineration, which costs more and emits more carbon.",
        "Waste contractor's weights by stream, July to September.",
        ("ecology",),
    ),
    DemoOutcome(
        "Less clinical waste on the acute medical ward",
        "The hospital's procurement team",
        "policy",
        "Procurement added waste streams to the questions asked when choosing ward consumables.",
        date(2021, 11, 1),
        True,
        "Trust headquarters",
        "The ward sister presented what the ward had learnt at the procurement group.",
        "Waste is thought about before products arrive, across every ward, not only on ours.",
        "Revised procurement checklist.",
        ("systems", "ecology"),
    ),
    DemoOutcome(
        "Lower-carbon inhalers in the community",
        "Four community pharmacies in the town",
        "practice",
        "Pharmacists now discuss dry-powder inhalers at new-medicine reviews where they suit the person.",
        date(2021, 9, 1),
        True,
        "Town centre pharmacies",
        "The project shared a one-page guide and a carbon comparison with the pharmacies.",
        "Lower-carbon inhalers are offered where they suit people, without pressure to switch.",
        "Pharmacy review records (counts only).",
        ("ecology", "equality"),
        ("disagree", "Only one of the four pharmacies had changed practice when I asked in October."),
    ),
    DemoOutcome(
        "Walking groups for people waiting for knee physiotherapy",
        "The physiotherapy department's booking team",
        "practice",
        "Letters to people on the knee waiting list now invite them to a local walking group.",
        date(2021, 11, 1),
        True,
        "Outpatient physiotherapy",
        "We drafted the letter wording and agreed it with the department's lead.",
        "People stay active while they wait, and some arrive at their first appointment fitter.",
        "The letter template; walking group sign-ups quoting the letter.",
        ("equality", "resilience"),
        ("agree", "The new letter is in use; I have seen the template and the sign-up sheets."),
    ),
    DemoOutcome(
        "Community food growing for health",
        "The district council's allotments officer",
        "policy",
        "Two allotment plots are now kept for groups referred by health services, rent-free.",
        date(2022, 1, 1),
        True,
        "Eastfield allotments",
        "The project brought the council and the health visitors together to make the case.",
        "Families referred by health visitors can grow food together without a waiting list.",
        "Council committee minutes, January.",
        ("ecology", "equality", "systems"),
    ),
    DemoOutcome(
        "Less nitrous oxide lost on the labour ward",
        "The labour ward's estates and midwifery leads",
        "practice",
        "Leaking nitrous oxide manifolds are now checked monthly and reported, rather than once a year.",
        date(2021, 12, 1),
        True,
        "Labour ward",
        "The project measured the gap between gas bought and gas used, which showed the leaks.",
        "Much of the ward's greenhouse gas was lost from pipes before anyone breathed it.",
        "Monthly check sheets; gas purchase figures.",
        ("ecology", "systems"),
        ("partly", "Checks happen, but some months were missed over Christmas."),
    ),
    DemoOutcome(
        "Switching off: energy on inpatient wards",
        "Night staff on three inpatient wards",
        "behaviour",
        "Night staff switch off the day-room lights and computers at the start of the night shift.",
        date(2021, 12, 1),
        True,
        "Wards 5, 6 and 7",
        "We put switch-off reminders on the night handover sheet and shared the meter readings.",
        "A small change, repeated every night, that staff now own themselves.",
        "Sub-meter readings for the three wards.",
        ("ecology", "resilience"),
    ),
    DemoOutcome(
        "Inhaler technique and returns at asthma reviews",
        "The practice's asthma nurses",
        "practice",
        "Nurses now check inhaler technique and ask for used inhalers back at every annual asthma review.",
        date(2022, 1, 10),
        False,
        "Asthma clinic",
        "The project trained the nurses and arranged the returns box with the local pharmacy.",
        "Better control for patients, and fewer inhalers going to landfill with gas left in them.",
        "Review template changes; returns box counts.",
        ("ecology", "equality"),
        ("agree", "I sat in on two reviews; both included the technique check and the returns question."),
    ),
]

OUTSIDE_PERSON = {
    "name": "Priya Shah",
    "email": "practice.manager@riverside-surgery.example",
    "role": "Practice manager, Riverside surgery",
}


def load_demo_outcomes(*, programme, lead, friends) -> int:
    """Record the demo's outcomes and their answers; returns how many outcomes were made now."""
    projects = {
        p.title: p
        for p in ChangeProject.objects.filter(cohort__programme=programme).select_related("owner", "cohort")
    }
    made = 0
    friends = list(friends)
    for n, spec in enumerate(OUTCOMES):
        project = projects.get(spec.project)
        if project is None or Outcome.objects.filter(project=project, who_changed=spec.who).exists():
            continue
        outcome = services.outcome_create(
            project=project,
            actor=project.owner,
            who_changed=spec.who,
            kind=spec.kind,
            description=spec.what,
            happened_on=spec.when,
            month_only=spec.month_only,
            where=spec.where,
            contribution=spec.contribution,
            significance=spec.significance,
            evidence=spec.evidence,
            lenses=list(spec.lenses),
        )
        made += 1
        if spec.answer:
            verdict, comment = spec.answer
            services.substantiate(
                outcome=outcome, actor=friends[n % len(friends)], verdict=verdict, comment=comment
            )
        if spec.by_link:
            token = secrets.token_urlsafe(32)
            services.link_send(outcome=outcome, actor=lead, token=token, **OUTSIDE_PERSON)
            services.link_respond(
                token=token,
                verdict="agree",
                comment="The link workers and rangers have met every month since September.",
                confirm_name=OUTSIDE_PERSON["name"],
            )
    return made
