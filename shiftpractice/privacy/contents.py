"""What goes into a person's data export: everything they wrote and everything about them, and nothing private
of anyone else.

Each part is a function returning files (name -> bytes): JSON for records, CSV for tables (measure data, survey
answers), and the files they uploaded that are still stored. The coaching notes a coach keeps about the person
are private to that coach under every coaching policy the platform offers (a programme may let its leads read
them, never the participant), so they are left out, and the README says which policy applied where. A coach's
own notes are theirs: they are in the coach's export, also after the coachee was handed to another coach.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q

from shiftpractice.coaching.models import (
    CoachAssignment,
    CoachingPolicy,
    CoachNote,
    Comment,
    JournalEntry,
    Post,
    SupportContact,
)
from shiftpractice.cohorts.models import Membership
from shiftpractice.core.models import AuditEvent
from shiftpractice.evaluation.models import Response
from shiftpractice.measures.models import DataImport, DataPoint, Measure
from shiftpractice.network.models import Approach, Block, DirectoryProfile, EventSignup
from shiftpractice.projects.models import ChangeProject, Cycle
from shiftpractice.stories.models import CaseStudy, Consent

Files = dict[str, bytes]
PROJECT_FIELDS = (
    "title", "status", "visibility", "aim_what", "aim_for_whom", "aim_how_much", "aim_by_when",
    "mfi_accomplish", "mfi_know", "mfi_change", "background", "story_self", "story_us", "story_now",
    "value_outcomes", "created_at", "updated_at",
)  # fmt: skip
CYCLE_FIELDS = (
    "number", "title", "status", "start_date", "end_date", "objective", "questions", "prediction", "tasks",
    "data_plan", "carried_out_as_planned", "what_happened", "observations", "problems", "results", "learning",
    "learning_loop", "decision", "next_step", "completed_at",
)  # fmt: skip
MEASURE_FIELDS = (
    "name", "measure_type", "definition", "unit", "data_kind", "rate_per", "direction", "target", "frequency",
)  # fmt: skip


def as_json(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def as_csv(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM: spreadsheets then read the text as UTF-8


def _fields(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def profile(user) -> Files:
    memberships = Membership.objects.filter(user=user).select_related("cohort__programme")
    return {
        "profile.json": as_json(
            {
                "id": user.public_id,
                **_fields(
                    user, ("email", "full_name", "job_title", "organisation", "region", "pronouns", "bio")
                ),
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "programmes_led": [p.name for p in user.led_programmes.order_by("name")],
                "memberships": [
                    {
                        "programme": m.cohort.programme.name,
                        "cohort": m.cohort.name,
                        "role": m.get_role_display(),
                        "sharing_terms_accepted_at": m.sharing_terms_accepted_at,
                    }
                    for m in memberships
                ],
            }
        )
    }


def projects(user) -> Files:
    """The projects the person owns or is on the team of: the project, its cycles, its measures and their data."""
    mine = (
        ChangeProject.objects.filter(Q(owner=user) | Q(members__user=user))
        .distinct()
        .select_related("cohort")
        .order_by("created_at", "id")
    )
    mine = list(mine)
    cycles: dict[int, list] = {}
    for cycle in Cycle.objects.filter(project__in=mine).order_by("project_id", "number"):
        cycles.setdefault(cycle.project_id, []).append(_fields(cycle, CYCLE_FIELDS))
    measures = list(Measure.objects.filter(project__in=mine).order_by("project_id", "position", "id"))
    by_project: dict[int, list] = {}
    for m in measures:
        by_project.setdefault(m.project_id, []).append(_fields(m, MEASURE_FIELDS))
    records = [
        {
            "id": p.public_id,
            "your_role": "owner" if p.owner_id == user.pk else "team member",
            "cohort": p.cohort.name,
            **_fields(p, PROJECT_FIELDS),
            "pdsa_cycles": cycles.get(p.pk, []),
            "measures": by_project.get(p.pk, []),
        }
        for p in mine
    ]
    names = {m.pk: m.name for m in measures}
    titles = {p.pk: p.title for p in mine}
    points = (
        DataPoint.objects.filter(measure__in=measures)
        .order_by("measure__project_id", "measure__position", "measure_id", "period")
        .values_list("measure_id", "measure__project_id", "period", "value", "numerator", "denominator", "note",
                     "excluded", "exclusion_reason")
    )  # fmt: skip
    rows = [
        (titles[project_id], names[measure_id], period.isoformat(), *rest)
        for measure_id, project_id, period, *rest in points
    ]
    header = ["project", "measure", "period", "value", "numerator", "denominator", "note", "excluded",
              "exclusion_reason"]  # fmt: skip
    return {"projects.json": as_json(records), "measures.csv": as_csv(header, rows)}


def journal(user) -> Files:
    entries = JournalEntry.objects.filter(author=user).select_related("cohort").order_by("created_at", "id")
    return {
        "journal.json": as_json(
            [
                {
                    "title": e.title,
                    "body": e.body,
                    "who_could_read_it": e.get_privacy_display(),
                    "cohort": e.cohort.name,
                    "prompt": e.prompt_title,
                    "tags": e.tags,
                    "created_at": e.created_at,
                    "updated_at": e.updated_at,
                }
                for e in entries
            ]
        )
    }


def _contact(c: SupportContact) -> dict:
    return {
        "date": c.occurred_on,
        "how": c.get_mode_display(),
        "who_got_in_touch": c.get_initiated_by_display(),
        "summary": c.summary,
        "next_contact_on": c.next_contact_on,
    }


def coaching(user) -> tuple[Files, list[str], list]:
    """The coaching the person received (contacts' shared summaries, agreed actions) and gave (contacts they
    logged, with their own private notes). Returns the files, the policy sentences for the README and the
    assignments whose contacts went into the file (each coachee is told their records were exported)."""
    received = []
    policies: list[str] = []
    assignments = CoachAssignment.objects.filter(participant=user).select_related(
        "coach", "cohort__programme"
    )
    programmes = {a.cohort.programme for a in assignments}
    by_programme = {p.programme_id: p for p in CoachingPolicy.objects.filter(programme__in=programmes)}
    for programme in sorted(programmes, key=lambda p: p.name):
        policy = by_programme.get(programme.pk) or CoachingPolicy(programme=programme)
        policies.append(f"{programme.name}: {policy.notes_statement}")
    for a in assignments:
        received.append(
            {
                "coach": a.coach.full_name,
                "cohort": a.cohort.name,
                "from": a.starts_on,
                "until": a.ends_on,
                "contacts": [_contact(c) for c in a.contacts.order_by("occurred_on", "id")],
                "actions": [
                    {
                        "whose": x.get_owner_display(),
                        "action": x.description,
                        "due": x.due_on,
                        "status": x.status,
                    }
                    for x in a.actions.order_by("due_on", "id")
                ],
            }
        )
    # The coaching given: the contacts of the people the person coaches now, and every contact they logged or
    # wrote a note on, coachees handed to another coach since included (an assignment names only its current
    # coach, so choosing by it would lose what an earlier coach wrote).
    notes = {n.contact_id: n.text for n in CoachNote.objects.filter(author=user)}
    contacts = (
        SupportContact.objects.filter(Q(assignment__coach=user) | Q(logged_by=user) | Q(pk__in=list(notes)))
        .select_related("assignment__participant", "assignment__cohort")
        .order_by("assignment__cohort__name", "assignment_id", "occurred_on", "id")
    )
    by_assignment: dict[int, dict] = {}
    exported = {}
    for c in contacts:
        a = c.assignment
        exported[a.pk] = a
        if a.pk not in by_assignment:
            by_assignment[a.pk] = {
                "participant": a.participant.full_name,
                "cohort": a.cohort.name,
                "you_coach_them_now": a.coach_id == user.pk,
                "contacts": [],
            }
        by_assignment[a.pk]["contacts"].append({**_contact(c), "your_private_note": notes.get(c.pk, "")})
    for a in (
        CoachAssignment.objects.filter(coach=user)
        .exclude(pk__in=list(by_assignment))
        .select_related("participant", "cohort")
    ):  # coachees with no contact yet
        by_assignment[a.pk] = {
            "participant": a.participant.full_name,
            "cohort": a.cohort.name,
            "you_coach_them_now": True,
            "contacts": [],
        }
    given = sorted(by_assignment.values(), key=lambda g: (g["cohort"], g["participant"]))
    files = {"coaching.json": as_json({"coaching_you_received": received, "coaching_you_gave": given})}
    return files, policies, list(exported.values())


def writing(user) -> Files:
    posts = Post.objects.filter(author=user).select_related("thread").order_by("created_at", "id")
    comments = Comment.objects.filter(author=user).select_related("project").order_by("created_at", "id")
    return {
        "posts_and_comments.json": as_json(
            {
                "discussion_posts": [
                    {"thread": p.thread.title, "body": p.body, "created_at": p.created_at} for p in posts
                ],
                "comments": [
                    {"project": c.project.title, "body": c.body, "created_at": c.created_at} for c in comments
                ],
            }
        )
    }


def surveys(user) -> Files:
    rows = []
    responses = Response.objects.filter(respondent=user).select_related("window__survey", "window__cohort")
    for r in responses.order_by("window__opens_at", "id"):
        for question, answer in sorted(r.answers.items()):
            rows.append(
                (
                    r.window.survey.name,
                    r.window.get_label_display(),
                    r.window.cohort.name,
                    r.get_status_display(),
                    r.submitted_at.isoformat() if r.submitted_at else "",
                    question,
                    json.dumps(answer, ensure_ascii=False) if not isinstance(answer, str) else answer,
                )
            )
    header = ["survey", "window", "cohort", "status", "submitted_at", "question", "answer"]
    return {"survey_answers.csv": as_csv(header, rows)}


def activity(user) -> Files:
    events = AuditEvent.objects.filter(actor=user).order_by("at", "id")[:10_000]
    return {
        "activity.json": as_json(
            [{"when": e.at, "what": e.verb, "object": e.object_type, "summary": e.summary} for e in events]
        )
    }


def uploads(user) -> Files:
    """The data files the person uploaded that are still stored (imports are removed a few days after)."""
    out: Files = {}
    for data_import in DataImport.objects.filter(created_by=user).exclude(file="").order_by("created_at"):
        try:
            with data_import.file.storage.open(data_import.file.name, "rb") as f:
                out[f"uploads/{data_import.public_id.hex[:8]}-{data_import.original_name}"] = f.read()
        except FileNotFoundError:
            continue
    return out


def network(user) -> Files:
    """Their directory entry, the events they booked, whom they block, and what they sent through an open call."""
    entry = DirectoryProfile.objects.filter(user=user).first()
    signups = EventSignup.objects.filter(user=user).select_related("event__programme").order_by("created_at")
    approaches = (
        Approach.objects.filter(email__iexact=user.email).select_related("programme").order_by("created_at")
    )
    return {
        "network.json": as_json(
            {
                "directory_entry": _fields(
                    entry, ("listed", "worked_on", "lenses", "topics", "region", "offers", "wants", "digest")
                )
                if entry
                else None,
                "events": [
                    {
                        "event": s.event.title,
                        "programme": s.event.programme.name,
                        "starts_at": s.event.starts_at,
                        "place": s.get_status_display(),
                        "since": s.created_at,
                    }
                    for s in signups
                ],
                "blocked": [
                    b.blocked.full_name for b in Block.objects.filter(blocker=user).select_related("blocked")
                ],
                "expressions_of_interest_and_offers": [
                    {
                        "programme": a.programme.name,
                        "kind": a.get_kind_display(),
                        "status": a.get_status_display(),
                        "sent": a.created_at,
                        **_fields(
                            a, ("name", "role", "organisation", "region", "change", "offers", "offer_detail")
                        ),
                    }
                    for a in approaches
                ],
            }
        )
    }


def case_studies(user) -> Files:
    """The case studies they wrote (their working text) or are named in, and every consent they gave."""
    rows = (
        CaseStudy.objects.filter(Q(author=user) | Q(team=user))
        .distinct()
        .select_related("project")
        .prefetch_related("versions")
        .order_by("created_at")
    )
    consents = Consent.objects.filter(user=user).select_related("case_study").order_by("given_at")
    return {
        "case_studies.json": as_json(
            {
                "case_studies": [
                    {
                        "title": c.title,
                        "project": c.project.title,
                        "state": c.get_state_display(),
                        "you_wrote_it": c.author_id == user.pk,
                        **({"summary": c.summary, "sections": c.sections} if c.author_id == user.pk else {}),
                        "published_versions": [
                            {"number": v.number, "published_at": v.published_at} for v in c.versions.all()
                        ],
                    }
                    for c in rows
                ],
                "consents_you_gave": [
                    {
                        "case_study": c.case_study.title,
                        "as": c.get_kind_display(),
                        "answer": c.get_decision_display(),
                        "to_text_version": c.text_version,
                        "statement": c.wording,
                        "when": c.given_at,
                    }
                    for c in consents
                ],
            }
        )
    }


PARTS: list[Callable] = [
    profile,
    projects,
    journal,
    writing,
    surveys,
    activity,
    network,
    case_studies,
    uploads,
]
