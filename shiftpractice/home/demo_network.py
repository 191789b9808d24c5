"""The demo's network: the pilot's open call, with twelve expressions of interest and four offers of help from
people who confirmed their addresses, in every state a lead works through, and a few of the lead's notes."""

from datetime import timedelta

from django.utils import timezone

from shiftpractice.network.choices import ApproachKind, ApproachStatus
from shiftpractice.network.models import Approach, ApproachNote, OpenCall

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
