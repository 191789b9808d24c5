"""The demo's network: the pilot's open call, with twelve expressions of interest and four offers of help from
people who confirmed their addresses, in every state a lead works through, and a few of the lead's notes; eight
people listed in the directory (alumni of both cohorts, a coach, a critical friend and the lead), two network
events (one past, one coming, with bookings and a waiting list) and the digest asked for by some."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from shiftpractice.network.choices import ApproachKind, ApproachStatus, SignupStatus
from shiftpractice.network.models import (
    Approach,
    ApproachNote,
    DirectoryProfile,
    EventSignup,
    NetworkEvent,
    OpenCall,
)

CALL = (
    "We are recruiting a third cohort of people working in health and care who want to change one thing at "
    "work for people and for the planet. Taking part asks for two half-day online workshops, a call with a "
    "coach every few weeks, and time to test small changes."
)

# name, email, job role, organisation, region, what they would like to change, status, days ago
INTERESTS = [
    (
        "Bea Okafor",
        "bea.okafor@example.org",
        "Practice nurse",
        "Hillside Surgery",
        "north_east",
        "Fewer inhalers with a high carbon footprint, by reviewing asthma care with patients.",
        "new",
        2,
    ),
    (
        "Tom Hughes",
        "tom.hughes@example.org",
        "Estates manager",
        "Valley NHS Trust",
        "wales",
        "Heating that follows when wards are used, not a fixed timetable.",
        "new",
        4,
    ),
    (
        "Priya Nair",
        "priya.nair@example.org",
        "Pharmacist",
        "Riverside PCN",
        "midlands",
        "Returning unused medicines to stock safely instead of waste.",
        "new",
        5,
    ),
    (
        "Callum Reid",
        "callum.reid@example.org",
        "Physiotherapist",
        "Lothian community team",
        "scotland",
        "Group sessions outdoors for people after a hip replacement.",
        "new",
        6,
    ),
    (
        "Hannah Lee",
        "hannah.lee@example.org",
        "Ward sister",
        "City General",
        "london",
        "Reusable tourniquets and fewer single-use items on the ward.",
        "shortlisted",
        12,
    ),
    (
        "Omar Haddad",
        "omar.haddad@example.org",
        "GP registrar",
        "Moorside Medical Practice",
        "north_east",
        "Green social prescribing for young people with anxiety.",
        "shortlisted",
        15,
    ),
    (
        "Ruth Evans",
        "ruth.evans@example.org",
        "Occupational therapist",
        "Coastal Health Board",
        "wales",
        "Home visits planned by area to cut miles driven.",
        "shortlisted",
        18,
    ),
    (
        "Sam Patel",
        "sam.patel@example.org",
        "Healthcare assistant",
        "Parkside Care Home",
        "east",
        "A garden the residents tend, with families.",
        "waiting",
        25,
    ),
    (
        "Lucy Morgan",
        "lucy.morgan@example.org",
        "Dietitian",
        "South Coast Trust",
        "south_east",
        "Plant-rich menus for staff and patients.",
        "waiting",
        28,
    ),
    (
        "Dan Kowalski",
        "dan.kowalski@example.org",
        "Paramedic",
        "Ambulance service",
        "south_west",
        "Idling engines off at handover.",
        "declined",
        40,
    ),
    (
        "Ivy Chen",
        "ivy.chen@example.org",
        "Medical student",
        "University medical school",
        "elsewhere",
        "Teaching sustainable healthcare in the first year.",
        "withdrawn",
        33,
    ),
    (
        "Grace Adeyemi",
        "grace.adeyemi@example.org",
        "Mental health nurse",
        "Northern Care Trust",
        "north_west",
        "Walking meetings in the hospital grounds for staff wellbeing.",
        "new",
        1,
    ),
]
# name, email, job role, organisation, region, offers, about the offer, status, days ago
OFFERS = [
    (
        "Prof Alan Brooks",
        "alan.brooks@example.org",
        "Professor of health services research",
        "Northern University",
        "north_east",
        ["critical_friend", "data"],
        "I evaluate improvement programmes and can help set indicators.",
        "shortlisted",
        9,
    ),
    (
        "Meera Shah",
        "meera.shah@example.org",
        "Improvement coach",
        "Regional Improvement Academy",
        "midlands",
        ["coach", "workshop"],
        "Five years coaching QI teams; happy to run a session on run charts.",
        "new",
        3,
    ),
    (
        "Jon Price",
        "jon.price@example.org",
        "Sustainability lead",
        "Valley NHS Trust",
        "wales",
        ["case_study", "workshop"],
        "We cut anaesthetic gas emissions by half: glad to tell the story.",
        "new",
        7,
    ),
    (
        "Green Futures Fund",
        "grants@greenfutures.example.org",
        "Grants officer",
        "Green Futures Fund",
        "london",
        ["funding"],
        "Small grants for staff-led sustainability projects.",
        "waiting",
        20,
    ),
]
NOTES = {
    "hannah.lee@example.org": "Strong case; ward manager supportive. Ask about protected time.",
    "alan.brooks@example.org": "Could join the critical friends for cohort 3: talk to Chris first.",
}


# person key (before "@shiftpractice.example"), what they worked on, lenses, topics, region, offers, wants, digest
PROFILES = [
    (
        "gp",
        "Green social prescribing for people with low mood: walks and gardening groups with the park rangers.",
        ["ecology", "equality"],
        "green space, social prescribing",
        "north_east",
        ["case_study", "workshop"],
        "Other practices trying green prescribing.",
        True,
    ),
    (
        "commissioner",
        "Commissioning low-carbon inhaler reviews across a health board.",
        ["systems"],
        "inhalers, commissioning",
        "wales",
        ["data"],
        "Evidence from other boards.",
        False,
    ),
    (
        "ward-sister",
        "Reusable items on a surgical ward, and what it did to waste costs.",
        ["ecology", "resilience"],
        "waste, procurement",
        "north_west",
        ["case_study"],
        "A buddy on another ward.",
        True,
    ),
    (
        "pharmacist",
        "Returning unused medicines safely; a run chart of waste per week.",
        ["systems", "ecology"],
        "medicines waste, run charts",
        "midlands",
        ["coach"],
        "",
        False,
    ),
    (
        "midwife",
        "Active travel for community midwives: bikes for home visits.",
        ["equality", "resilience"],
        "travel, community care",
        "london",
        ["workshop"],
        "Someone who has costed a bike scheme.",
        True,
    ),
    (
        "coach1",
        "Coaching both pilot cohorts; sustainable development lenses in QI.",
        ["systems", "resilience", "equality", "ecology"],
        "coaching, PDSA",
        "north_west",
        ["coach", "workshop"],
        "",
        True,
    ),
    (
        "friend1",
        "Critical friend for the pilot: evaluation indicators and judging impact.",
        ["systems"],
        "evaluation",
        "north_east",
        ["critical_friend"],
        "Programmes that want an evaluator.",
        False,
    ),
    (
        "lead",
        "Runs the improvement academy's coaching programme.",
        ["systems", "equality"],
        "improvement programmes",
        "north_east",
        ["funding", "workshop"],
        "",
        True,
    ),
]
EVENTS = [
    # title, description, days from today (negative: past), start hour, capacity, bookings (person keys), waiting
    (
        "Alumni meet-up: one year on",
        "What stuck, what slipped, and what you would tell the next cohort.",
        -40,
        12,
        20,
        ["gp", "ward-sister", "pharmacist", "midwife", "coach1"],
        [],
    ),
    (
        "Webinar: measuring carbon in a PDSA cycle",
        "A 45-minute webinar with time for questions.",
        21,
        13,
        4,
        ["gp", "ward-sister", "midwife", "commissioner"],
        ["pharmacist"],
    ),
]


def _load_directory_and_events(programme, lead) -> None:
    User = get_user_model()
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@shiftpractice.example")}
    for key, worked_on, lenses, topics, region, offers, wants, digest in PROFILES:
        DirectoryProfile.objects.get_or_create(
            user=people[key],
            defaults={
                "listed": True,
                "listed_at": timezone.now(),
                "worked_on": worked_on,
                "lenses": lenses,
                "topics": topics,
                "region": region,
                "offers": offers,
                "wants": wants,
                "digest": digest,
            },
        )
    today = timezone.localdate()
    for title, description, days, hour, capacity, booked, waiting in EVENTS:
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, 0)))
        event, created = NetworkEvent.objects.get_or_create(
            programme=programme,
            title=title,
            defaults={
                "description": description,
                "starts_at": start,
                "ends_at": start + timedelta(minutes=60 if days < 0 else 45),
                "joining_url": "https://meet.example.org/shifting-mindsets-network",
                "capacity": capacity,
                "created_by": lead,
            },
        )
        if created:
            EventSignup.objects.bulk_create(
                [EventSignup(event=event, user=people[k], status=SignupStatus.BOOKED) for k in booked]
                + [EventSignup(event=event, user=people[k], status=SignupStatus.WAITING) for k in waiting]
            )


def load_demo_network(*, programme, lead) -> None:
    OpenCall.objects.get_or_create(programme=programme, defaults={"is_open": True, "invitation": CALL})
    now = timezone.now()
    rows = [
        (ApproachKind.INTEREST, name, email, role, org, region, {"change": change}, status, days)
        for name, email, role, org, region, change, status, days in INTERESTS
    ] + [
        (
            ApproachKind.OFFER,
            name,
            email,
            role,
            org,
            region,
            {"offers": offers, "offer_detail": detail},
            status,
            days,
        )
        for name, email, role, org, region, offers, detail, status, days in OFFERS
    ]
    for kind, name, email, role, org, region, answers, status, days in rows:
        when = now - timedelta(days=days)
        approach, created = Approach.objects.get_or_create(
            programme=programme,
            kind=kind,
            email=email,
            defaults={
                "name": name,
                "role": role,
                "organisation": org,
                "region": region,
                "status": ApproachStatus(status),
                "consent_to_contact": True,
                "confirmed_at": when,
                "status_changed_at": when + timedelta(days=1) if status != "new" else when,
                "heard_from": "colleague" if days % 2 else "newsletter",
                **answers,
            },
        )
        if created:
            Approach.objects.filter(pk=approach.pk).update(created_at=when)
            if email in NOTES:
                ApproachNote.objects.create(approach=approach, author=lead, text=NOTES[email])
    _load_directory_and_events(programme, lead)
