"""Erase me: asked for with the password, confirmed from a single-use emailed link, carried out after the grace
period unless cancelled; refused for the only lead of a programme. Afterwards the person's email and name are
nowhere in the database (the search test), and their contributions to shared work remain as "A former
participant"'s."""

import io
import os
import re
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.utils import timezone

from shiftpractice.accounts.models import ERASED_NAME
from shiftpractice.coaching.choices import Privacy
from shiftpractice.coaching.models import CoachNote, Comment, JournalEntry, Post, SupportContact
from shiftpractice.coaching.services import discussions, journal, support
from shiftpractice.cohorts.models import Invitation, Membership
from shiftpractice.core.audit import audit
from shiftpractice.core.models import AuditEvent, EmailDelivery
from shiftpractice.core.sealing import unseal
from shiftpractice.evaluation.choices import ResponseStatus
from shiftpractice.evaluation.models import Response
from shiftpractice.evaluation.services import response_save
from shiftpractice.evaluation.tests.conftest import answers, evaluation, load  # noqa: F401 (a fixture)
from shiftpractice.measures import services as measure_services
from shiftpractice.measures.models import DataPoint, Measure
from shiftpractice.network import events as network_events
from shiftpractice.network import members as network_members
from shiftpractice.network import services as network_services
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.models import Notification, NotificationPreference
from shiftpractice.notifications.services import notify, preferences_set
from shiftpractice.privacy import erasure
from shiftpractice.privacy import services as export_services
from shiftpractice.privacy.choices import ErasureStatus
from shiftpractice.privacy.models import DataExport, ErasureRequest
from shiftpractice.programmes import services as programme_services
from shiftpractice.projects import services as project_services
from shiftpractice.projects.models import ChangeProject, Cycle, ProjectMember
from shiftpractice.stories import services as story_services
from shiftpractice.stories.models import CaseStudy, PublishedVersion
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = "/accounts/profile/data/"
ASK = "/accounts/profile/data/erase/"
FIRST, LAST = "Zebedee", "Quillfeather"
FULL = f"{FIRST} {LAST}"
EMAIL = "zebedee.quillfeather@example.org"
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def zeb(world):
    """A participant of cohort A with a distinctive name."""
    person = UserFactory(full_name=FULL, email=EMAIL)
    MembershipFactory(cohort=world.cohort, user=person, role="participant")
    return person


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client, password=PASSWORD):
    return client.post(ASK, {"password": password})


def emailed_link(person) -> str:
    """The confirmation link, from the sealed copy of the email in the outbox (its stored text has no link)."""
    email = EmailDelivery.objects.filter(recipient=person, subject__startswith="Confirm").latest("pk")
    assert "erase/confirm/" not in email.text  # the working link is never stored readable
    text = unseal(email.sealed)["text"]
    return re.search(r"https?://\S+/erase/confirm/\S+/", text).group(0).split("://", 1)[1].split("/", 1)[1]


def path_of(link: str) -> str:
    return "/" + link


def confirm(client, person) -> ErasureRequest:
    link = path_of(emailed_link(person))
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    return ErasureRequest.objects.get(user=person, status=ErasureStatus.SCHEDULED)


# ---------------------------------------------------------------------------------------------------------------
# Asking, confirming, cancelling


def test_ask_needs_the_password_and_explains_what_happens(zeb):
    client = signed_in(zeb)
    page = client.get(ASK)
    assert page.status_code == 200
    text = page.content.decode()
    assert "What is erased" in text and "What stays" in text and "a former participant" in text
    wrong = ask(client, "not-my-password")
    assert wrong.status_code == 400
    assert "Enter your password correctly" in wrong.content.decode()
    assert not ErasureRequest.objects.exists()
    assert not EmailDelivery.objects.filter(recipient=zeb).exists()


def test_the_data_page_offers_erasure_and_shows_its_state(zeb):
    client = signed_in(zeb)
    assert 'href="/accounts/profile/data/erase/"' in client.get(DATA).content.decode()
    response = ask(client)
    assert response.status_code == 302
    page = client.get(DATA).content.decode()
    assert "We have sent an email to" in page
    section = page.split('id="erase"', 1)[1]
    assert "Cancel the request" in section
    assert re.search(r'name="csrfmiddlewaretoken" value="\w{20,}"', section)  # the form works with CSRF on


def test_request_confirm_grace_then_erase(zeb):
    with time_machine.travel(START, tick=False):
        client = signed_in(zeb)
        assert ask(client).status_code == 302
        request = ErasureRequest.objects.get(user=zeb)
        assert request.status == ErasureStatus.AWAITING_CONFIRMATION
        assert len(request.token_hash) == 64
        scheduled = confirm(client, zeb)
        assert scheduled.erase_after == START + timedelta(days=14)
        assert scheduled.token_hash == ""
        assert EmailDelivery.objects.filter(recipient=zeb, subject__contains="will be erased on").exists()
        assert "will be erased on 16 March 2026" in client.get(DATA).content.decode()
    with time_machine.travel(START + timedelta(days=13, hours=23), tick=False):
        assert erasure.erase_due() == {"erased": 0, "refused": 0}
        zeb.refresh_from_db()
        assert zeb.is_active and zeb.email == EMAIL
    with time_machine.travel(START + timedelta(days=14, minutes=1), tick=False):
        late = signed_in(zeb)
        assert late.get(DATA).status_code == 200
        call_command("erase_due_accounts", stdout=io.StringIO())
        zeb.refresh_from_db()
        assert zeb.erased_at is not None and not zeb.is_active and not zeb.has_usable_password()
        assert zeb.full_name == ERASED_NAME and re.fullmatch(r"erased-[0-9a-f]{32}@invalid", zeb.email)
        assert ErasureRequest.objects.get(pk=scheduled.pk).status == ErasureStatus.ERASED
        # Idempotent: a second run finds nothing due.
        assert erasure.erase_due() == {"erased": 0, "refused": 0}
        # Signed out everywhere, and cannot sign in again.
        assert late.get(DATA).status_code == 302
        login = Client().post("/accounts/login/", {"username": EMAIL, "password": PASSWORD})
        assert login.status_code == 200  # the form again, not a redirect into the site


def test_cancel_from_the_data_page_stops_the_erasure(zeb):
    with time_machine.travel(START, tick=False):
        client = signed_in(zeb)
        ask(client)
        scheduled = confirm(client, zeb)
        response = client.post(f"{DATA}erase/{scheduled.public_id}/cancel/")
        assert response.status_code == 302
        assert "Cancelled. Your account will not be erased." in client.get(DATA).content.decode()
    with time_machine.travel(START + timedelta(days=20), tick=False):
        assert erasure.erase_due() == {"erased": 0, "refused": 0}
    zeb.refresh_from_db()
    assert zeb.is_active and zeb.full_name == FULL
    assert ErasureRequest.objects.get(pk=scheduled.pk).status == ErasureStatus.CANCELLED


def test_cancel_from_the_email_link(zeb):
    client = signed_in(zeb)
    ask(client)
    scheduled = confirm(client, zeb)
    email = EmailDelivery.objects.get(recipient=zeb, subject__contains="will be erased on")
    link = re.search(r"https?://[^/]+(/\S+/cancel/)", email.text).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Cancel the erasure" in page.content.decode()
    client.post(link)
    assert ErasureRequest.objects.get(pk=scheduled.pk).status == ErasureStatus.CANCELLED
    # Cancelling again says so, and changes nothing.
    client.post(link)
    assert ErasureRequest.objects.get(pk=scheduled.pk).status == ErasureStatus.CANCELLED


def test_an_unconfirmed_request_can_be_cancelled_and_its_link_then_fails(zeb):
    client = signed_in(zeb)
    ask(client)
    link = path_of(emailed_link(zeb))
    pending = ErasureRequest.objects.get(user=zeb)
    client.post(f"{DATA}erase/{pending.public_id}/cancel/")
    response = client.post(link)
    assert response.status_code == 400
    assert not ErasureRequest.objects.filter(status=ErasureStatus.SCHEDULED).exists()


def test_asking_again_replaces_the_unconfirmed_link(zeb):
    client = signed_in(zeb)
    ask(client)
    first = path_of(emailed_link(zeb))
    # While one is open the page sends the person to its state; the service replaces it when asked directly.
    assert client.get(ASK).status_code == 302
    erasure.erasure_request(user=zeb)
    second = path_of(emailed_link(zeb))
    assert first != second
    assert client.post(first).status_code == 400
    assert client.post(second).status_code == 302
    assert ErasureRequest.objects.filter(user=zeb, status=ErasureStatus.SCHEDULED).count() == 1


@pytest.mark.parametrize("case", ["expired", "used", "forged"])
def test_a_bad_confirmation_link_is_a_clear_error_and_changes_nothing(zeb, case):
    with time_machine.travel(START, tick=False):
        client = signed_in(zeb)
        ask(client)
        link = path_of(emailed_link(zeb))
        if case == "used":
            assert client.post(link).status_code == 302
        if case == "forged":
            link = link.replace("/confirm/", "/confirm/x")
    before = list(ErasureRequest.objects.values_list("status", "confirmed_at", "erase_after"))
    at = START + timedelta(hours=25 if case == "expired" else 1)
    with time_machine.travel(at, tick=False):
        for response in (client.get(link), client.post(link)):
            assert response.status_code == 400
            text = response.content.decode()
            assert "does not work" in text and "Nothing has changed" in text
    assert list(ErasureRequest.objects.values_list("status", "confirmed_at", "erase_after")) == before


def test_after_the_link_expires_the_person_can_ask_again(zeb):
    with time_machine.travel(START, tick=False):
        ask(signed_in(zeb))
    with time_machine.travel(START + timedelta(hours=25), tick=False):
        client = signed_in(zeb)
        assert 'href="/accounts/profile/data/erase/"' in client.get(DATA).content.decode()
        assert ask(client).status_code == 302
        assert client.post(path_of(emailed_link(zeb))).status_code == 302
    statuses = sorted(ErasureRequest.objects.filter(user=zeb).values_list("status", flat=True))
    assert statuses == [ErasureStatus.CANCELLED, ErasureStatus.SCHEDULED]


# ---------------------------------------------------------------------------------------------------------------
# The only lead of a programme


def test_the_only_lead_is_refused_with_the_reason(world):
    lead = world.people["lead"]
    client = signed_in(lead)
    page = client.get(ASK).content.decode()
    assert "You are the only lead of Pilot programme" in page
    assert 'name="password"' not in page
    response = ask(client)
    assert response.status_code == 200
    assert "You are the only lead of Pilot programme" in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_a_lead_who_becomes_the_only_lead_during_the_grace_period_is_refused_at_erase_time(zeb, world):
    lead = world.people["lead"]
    programme_services.programme_lead_add(programme=world.programme, user=zeb, actor=lead)
    with time_machine.travel(START, tick=False):
        client = signed_in(zeb)
        assert ask(client).status_code == 302
        scheduled = confirm(client, zeb)
        programme_services.programme_lead_remove(programme=world.programme, user=lead, actor=zeb)
    with time_machine.travel(START + timedelta(days=15), tick=False):
        assert erasure.erase_due() == {"erased": 0, "refused": 1}
    scheduled.refresh_from_db()
    assert scheduled.status == ErasureStatus.REFUSED
    assert "only lead of Pilot programme" in scheduled.problem
    zeb.refresh_from_db()
    assert zeb.is_active and zeb.full_name == FULL
    told = EmailDelivery.objects.get(recipient=zeb, subject="We could not erase your shiftpractice account")
    assert "only lead of Pilot programme" in told.text
    # Once another lead is added, the person can ask again.
    programme_services.programme_lead_add(programme=world.programme, user=lead, actor=zeb)
    assert ask(signed_in(zeb)).status_code == 302
    assert ErasureRequest.objects.filter(user=zeb, status=ErasureStatus.AWAITING_CONFIRMATION).exists()


def test_a_deactivated_co_lead_does_not_count_as_another_lead(zeb, world):
    lead = world.people["lead"]
    programme_services.programme_lead_add(programme=world.programme, user=zeb, actor=lead)
    assert erasure.last_lead_of(lead) == []
    zeb.is_active = False
    zeb.save(update_fields=["is_active"])
    assert erasure.last_lead_of(lead) == [world.programme]


def test_a_lead_who_is_not_the_last_leaves_the_programme_on_erasure(zeb, world):
    programme_services.programme_lead_add(programme=world.programme, user=zeb, actor=world.people["lead"])
    schedule_and_erase(zeb)
    assert list(world.programme.leads.all()) == [world.people["lead"]]


# ---------------------------------------------------------------------------------------------------------------
# Who may do what


OTHERS = ["lead", "coach", "participant", "other_participant", "critical_friend", "outsider"]


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_else_can_confirm_or_cancel_someones_erasure(zeb, world, persona):
    mine = signed_in(zeb)
    ask(mine)
    link = path_of(emailed_link(zeb))
    pending = ErasureRequest.objects.get(user=zeb)
    other = signed_in(world.people[persona])
    assert other.get(link).status_code == 400
    assert other.post(link).status_code == 400
    assert ErasureRequest.objects.get(pk=pending.pk).status == ErasureStatus.AWAITING_CONFIRMATION
    cancel = f"{DATA}erase/{pending.public_id}/cancel/"
    assert other.get(cancel).status_code == 404
    assert other.post(cancel).status_code == 404
    scheduled = confirm(mine, zeb)
    assert other.post(f"{DATA}erase/{scheduled.public_id}/cancel/").status_code == 404
    assert ErasureRequest.objects.get(pk=scheduled.pk).status == ErasureStatus.SCHEDULED


def test_anonymous_visitors_are_sent_to_sign_in(zeb):
    ask(signed_in(zeb))
    pending = ErasureRequest.objects.get(user=zeb)
    link = path_of(emailed_link(zeb))
    anonymous = Client()
    for url in (ASK, link, f"{DATA}erase/{pending.public_id}/cancel/"):
        for response in (anonymous.get(url), anonymous.post(url, {"password": PASSWORD})):
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
    assert ErasureRequest.objects.get(pk=pending.pk).status == ErasureStatus.AWAITING_CONFIRMATION


# ---------------------------------------------------------------------------------------------------------------
# What erasure removes and what it keeps


def schedule_and_erase(person) -> None:
    with time_machine.travel(START, tick=False):
        erasure.erasure_request(user=person)
        token_path = emailed_link(person).split("erase/confirm/", 1)[1].rstrip("/")
        erasure.erasure_confirm(user=person, token=token_path)
    with time_machine.travel(START + timedelta(days=15), tick=False):
        assert erasure.erase_due()["erased"] == 1
    person.refresh_from_db()


@pytest.fixture
def life(zeb, world, evaluation, monkeypatch):  # noqa: F811 (the evaluation fixture)
    """Everything a participant leaves behind: shared work, private things, and the traces the platform writes."""
    people = world.people
    lead, coach, pat = people["lead"], people["coach"], people["participant"]
    team = project_services.project_create(
        owner=zeb, cohort=world.cohort, title="Green prescribing", actor=zeb
    )
    project_services.member_add(project=team, user=pat, actor=zeb)
    cycle = project_services.cycle_create(project=team, title="Ask at triage", actor=zeb)
    solo = project_services.project_create(owner=zeb, cohort=world.cohort, title="Quiet wards", actor=zeb)
    measure = measure_services.measure_create(
        project=solo,
        name="Referrals",
        measure_type="outcome",
        data_kind="count",
        actor=zeb,
        collected_by=FULL,
    )
    measure_services.point_save(measure=measure, period=date(2024, 1, 1), value=7, note="first", actor=zeb)
    board = discussions.board_for_cohort(world.cohort)
    thread = discussions.thread_start(board=board, title="Handover ideas", body="What works?", actor=zeb)
    discussions.post_reply(thread=thread, body="A checklist helped us.", actor=pat)
    discussions.comment_add(project=team, cycle=cycle, body="Going well.", actor=zeb)
    assignment = support.assignment_create(
        cohort=world.cohort, coach=coach, participant=zeb, starts_on=date(2024, 1, 1), actor=lead, quiet=True
    )
    support.contact_log(
        assignment=assignment,
        actor=coach,
        occurred_on=date(2024, 2, 1),
        mode="telephone",
        duration_minutes=30,
        initiated_by="coach",
        summary="We talked about the first cycle.",
        notes="Seems anxious.",
        backdated=True,
    )
    journal.entry_create(author=zeb, cohort=world.cohort, title="Doubts", body="Private thoughts.")
    journal.entry_create(
        author=zeb, cohort=world.cohort, title="For my coach", body="Between us.", privacy=Privacy.COACH
    )
    journal.entry_create(
        author=zeb, cohort=world.cohort, title="Shared learning", body="Try it small.", privacy=Privacy.COHORT
    )
    # (The API app is privacy's sibling in the layering: its token model by label, as erasure reaches it.)
    apps.get_model("api", "ApiToken").objects.create(
        user=zeb,
        name="weekly upload",
        digest="f" * 64,
        prefix="sp_ffff",
        expires_at=timezone.now() + timedelta(days=90),
    )
    preferences_set(user=zeb, choices={Kind.DISCUSSION_REPLY: "immediate"})
    notify(recipients=[zeb], kind=Kind.DISCUSSION_REPLY, title="Pat replied", actor=pat)
    notify(
        recipients=[pat], kind=Kind.DISCUSSION_REPLY, title=f"{FIRST} replied in “Handover ideas”", actor=zeb
    )
    notify(recipients=[lead], kind=Kind.DISCUSSION_REPLY, title=f"News from {FULL} ({EMAIL})")
    programme_services.programme_lead_add(programme=world.programme, user=zeb, actor=lead)
    # The network: a directory entry in their own words, a block, a booked event, and the expression of interest
    # they sent from the same address before they joined.
    network_members.profile_save(user=zeb, actor=zeb, listed=True, worked_on=f"{FULL}'s ward project")
    network_members.block_set(blocker=zeb, profile=network_members.profile_for(pat), blocked=True)
    start = timezone.now() + timedelta(days=5)
    network_event = network_events.event_save(
        programme=world.programme, actor=lead, title="Meet-up", description="", starts_at=start,
        ends_at=start + timedelta(hours=1), joining_url="", capacity=5,
    )  # fmt: skip
    network_events.signup(event=network_event, user=zeb)
    network_services.open_call_set(programme=world.programme, is_open=True, invitation="", actor=lead)
    network_services.approach_submit(
        programme=world.programme, kind="interest", email=EMAIL,
        data={"name": FULL, "role": "Nurse", "organisation": "Ward", "region": "london", "change": "Handovers",
              "cohort": None, "offers": [], "offer_detail": "", "heard_from": "", "consent_to_contact": True},
    )  # fmt: skip
    # The invitation they joined by (made before their account existed), and its audit trail.
    invitation = Invitation.objects.create(
        cohort=world.cohort,
        email=EMAIL,
        role="participant",
        token_hash="0" * 64,
        invited_by=lead,
        expires_at=timezone.now() + timedelta(days=14),
        accepted_at=timezone.now(),
        accepted_by=zeb,
    )
    audit(actor=lead, verb="invitation.created", obj=invitation, summary=str(invitation), email=EMAIL)
    load(evaluation.baseline, {zeb: answers(6, 28, 3, text="The coaching helped.")})
    response_save(window=evaluation.end, respondent=zeb, answers=answers(), consent=True, action="draft")
    export = export_services.export_request(user=zeb, actor=zeb)
    export_services.export_build(export)
    export.refresh_from_db()
    # A case study they published of their own project (with their name on it), and a draft of the team's.
    published_story = story_services.case_study_start(project=solo, actor=zeb)
    story_services.case_study_update(case_study=published_story, actor=zeb, organisation="Ward 7")
    for key in ("problem", "what_we_did", "what_happened", "learnt"):
        story_services.section_update(case_study=published_story, key=key, text="Quiet hours.", actor=zeb)
    story_services.submit_for_review(case_study=published_story, actor=zeb)
    story_services.review_decide(case_study=published_story, decision="approve", note="", actor=lead)
    story_services.consent_give(case_study=published_story, actor=zeb, decision="agree")
    monkeypatch.setattr(story_services.secrets, "token_urlsafe", lambda n: "zeb-sign-off")
    story_services.signoff_request(
        case_study=published_story,
        name="Ward Manager",
        email="manager@ward.example",
        organisation="Ward 7",
        role="",
        actor=zeb,
    )
    story_services.signoff_respond(token="zeb-sign-off", decision="agree", confirm_name="Ward Manager")
    story_services.publish(case_study=published_story, actor=lead)
    draft_story = story_services.case_study_start(project=team, actor=zeb)
    # A failed sign-in with the address, and a live session.
    Client().post("/accounts/login/", {"username": EMAIL, "password": "wrong"})
    session_client = signed_in(zeb)
    return {
        "team": team,
        "solo": solo,
        "cycle": cycle,
        "measure": measure,
        "export": export,
        "client": session_client,
        "published_story": published_story,
        "draft_story": draft_story,
    }


def test_erasure_removes_what_is_private_and_keeps_shared_work(
    life, zeb, world, django_capture_on_commit_callbacks
):
    pat, coach = world.people["participant"], world.people["coach"]
    export_file = life["export"].file.path
    assert Session.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_and_erase(zeb)
    # Gone.
    assert not JournalEntry.objects.filter(author=zeb, privacy__in=[Privacy.PRIVATE, Privacy.COACH]).exists()
    assert not apps.get_model("api", "ApiToken").objects.filter(user=zeb).exists()
    assert not Notification.objects.filter(recipient=zeb).exists()
    assert not NotificationPreference.objects.filter(user=zeb).exists()
    assert not EmailDelivery.objects.filter(recipient=zeb).exists()
    assert not DataExport.objects.filter(user=zeb).exists()
    assert not os.path.exists(export_file)
    assert not Invitation.objects.filter(email__iexact=EMAIL).exists()
    assert not Response.objects.filter(respondent=zeb, status=ResponseStatus.DRAFT).exists()
    assert not CoachNote.objects.filter(contact__assignment__participant=zeb).exists()
    assert not any(s.get_decoded().get("_auth_user_id") == str(zeb.pk) for s in Session.objects.all())
    assert life["client"].get(DATA).status_code == 302
    # Kept, as a former participant's.
    team, solo = ChangeProject.objects.get(pk=life["team"].pk), ChangeProject.objects.get(pk=life["solo"].pk)
    assert team.owner == pat  # the team carries on
    assert ProjectMember.objects.filter(project=team, user=zeb).exists()
    assert not ProjectMember.objects.filter(project=team, user=pat).exists()
    assert solo.owner == zeb and str(solo.owner) == ERASED_NAME
    assert Cycle.objects.filter(pk=life["cycle"].pk).exists()
    assert DataPoint.objects.filter(measure=life["measure"]).count() == 1
    assert Measure.objects.get(pk=life["measure"].pk).collected_by == ERASED_NAME
    assert Post.objects.filter(author=zeb).count() == 1 and Comment.objects.filter(author=zeb).count() == 1
    assert JournalEntry.objects.filter(author=zeb, privacy=Privacy.COHORT).count() == 1
    assert Response.objects.filter(respondent=zeb, status=ResponseStatus.SUBMITTED).count() == 1
    assert SupportContact.objects.filter(assignment__participant=zeb).count() == 1
    assert Membership.objects.filter(user=zeb, cohort=world.cohort).exists()
    assert zeb.coach_assignments.get().ends_on is not None
    assert coach.is_active
    # Their consent ends with them: the published case study is withdrawn (kept on record, without their name),
    # the draft is gone.
    story = CaseStudy.objects.get(pk=life["published_story"].pk)
    assert not story.is_public and story.state == "withdrawn"
    assert FULL not in PublishedVersion.objects.get(case_study=story).attribution
    assert not CaseStudy.objects.filter(pk=life["draft_story"].pk).exists()
    # Leads see that it happened, and nothing personal.
    events = AuditEvent.objects.filter(verb="privacy.account_erased")
    assert events.count() == 1
    event = events.get()
    assert event.actor is None and event.data == {} and FIRST not in event.summary
    if hasattr(event, "programme_id"):
        assert event.programme_id == world.programme.pk
    members = signed_in(world.people["lead"]).get(f"/cohorts/{world.cohort.slug}/members/")
    assert members.status_code == 200
    assert ERASED_NAME in members.content.decode()
    # Other people's messages that named them now say "a former participant".
    told = Notification.objects.get(recipient=pat, title__contains="replied in")
    assert told.title == "A former participant replied in “Handover ideas”"


def mentions() -> tuple[int, list]:
    """Search every text, email and JSON column of every table for the email, the full name and each of the
    first and last names: (how many columns were read, what was found where)."""
    terms = [EMAIL, FULL, FIRST, LAST]
    searched, found = 0, []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            searched += 1
            for term in terms:
                hits = model._base_manager.filter(**{f"{field.name}__icontains": term})
                if hits.exists():
                    values = list(hits.values_list(field.name, flat=True)[:3])
                    found.append((model._meta.label, field.name, term, values))
    return searched, found


def test_after_erasure_the_email_and_name_are_nowhere_in_the_database(life, zeb):
    """The search test. It finds the person in many places first, so it is known to look."""
    searched, before = mentions()
    assert searched > 150  # every table was read, not a few
    places = {(label, field) for label, field, _term, _values in before}
    assert {
        ("accounts.User", "email"),
        ("accounts.User", "full_name"),
        ("core.AuditEvent", "summary"),
        ("core.AuditEvent", "data"),
        ("core.EmailDelivery", "to_address"),
        ("cohorts.Invitation", "email"),
        ("measures.Measure", "collected_by"),
        ("notifications.Notification", "title"),
    } <= places
    schedule_and_erase(zeb)
    assert mentions()[1] == []


def test_an_erased_account_is_erased_once(life, zeb):
    schedule_and_erase(zeb)
    request = ErasureRequest.objects.get(user=zeb)
    assert erasure.account_erase(request_id=request.pk) == "not due"
    assert get_user_model().objects.filter(erased_at__isnull=False).count() == 1
    assert AuditEvent.objects.filter(verb="privacy.account_erased").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: SQLite locks the whole database")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_erase_an_account_once(world):
    person = UserFactory(full_name=FULL, email=EMAIL)
    MembershipFactory(cohort=world.cohort, user=person, role="participant")
    with time_machine.travel(START, tick=False):
        erasure.erasure_request(user=person)
        # Committed, so the email has gone (its sealed copy wiped): the link is in the sent message.
        body = [m for m in mail.outbox if m.to == [EMAIL]][-1].body
        erasure.erasure_confirm(user=person, token=re.search(r"erase/confirm/([\w-]+)/", body).group(1))
    results, start = [], threading.Barrier(2)

    def run():
        try:
            start.wait(30)
            results.append(erasure.erase_due(now=START + timedelta(days=15)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(r["erased"] for r in results) == [0, 1]
    assert AuditEvent.objects.filter(verb="privacy.account_erased").count() == 1
    assert get_user_model().objects.get(pk=person.pk).full_name == ERASED_NAME


def test_erasure_replaces_whole_names_and_addresses_and_leaves_other_peoples_words_alone(world):
    """A short name and a common address: only the person's own mentions go, as whole words."""
    will = UserFactory(full_name="Will Jo", email="jo@example.org")
    MembershipFactory(cohort=world.cohort, user=will, role="participant")
    lead, pat = world.people["lead"], world.people["participant"]
    untouched = [
        audit(actor=lead, verb="note.made", obj=world.cohort, summary="We will ask Bojo and Will Jones."),
        audit(
            actor=lead,
            verb="note.made",
            obj=world.cohort,
            summary="Mail bojo@example.org or jo@example.org.uk",
        ),
    ]
    named = audit(actor=lead, verb="note.made", obj=world.cohort, summary="Invited Will Jo (jo@example.org).")
    theirs = audit(actor=will, verb="note.made", obj=world.cohort, summary="Will will ask Jo.")
    other_html = EmailDelivery.objects.create(
        recipient=pat,
        to_address=pat.email,
        subject="Hello",
        text="-",
        html="<p>Will O&#x27;Brien</p>",
        next_attempt_at=timezone.now(),
    )
    schedule_and_erase(will)
    for event in untouched:
        before = event.summary
        event.refresh_from_db()
        assert event.summary == before
    named.refresh_from_db()
    assert named.summary == "Invited a former participant (a former participant)."
    theirs.refresh_from_db()
    assert theirs.summary == "A former participant will ask a former participant."
    other_html.refresh_from_db()
    assert other_html.html == "<p>Will O&#x27;Brien</p>"
