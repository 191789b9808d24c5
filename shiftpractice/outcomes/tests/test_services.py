"""The outcome services: what they refuse, what they record, and the single-use link in every state."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from shiftpractice.core.models import AuditEvent
from shiftpractice.evaluation import services as evaluation_services
from shiftpractice.notifications.models import Notification
from shiftpractice.outcomes import services
from shiftpractice.outcomes.models import Outcome, Substantiation, SubstantiationRequest
from shiftpractice.programmes.models import Programme
from tests.factories import ProgrammeFactory

from .helpers import TOKEN, make_outcome, make_project, outcome_fields, send_link

pytestmark = pytest.mark.world_per_module


@pytest.fixture
def project(world):
    return make_project(world)


def test_recording_an_outcome_keeps_its_fields_lenses_and_an_audit_event(world, project):
    outcome = make_outcome(project)
    outcome.refresh_from_db()
    assert outcome.programme_id == world.programme.pk
    assert outcome.lenses == ["systems", "ecology"]
    assert outcome.when_label == "March 2026"
    assert outcome.status == "none" and outcome.version == 1
    event = AuditEvent.objects.get(verb="outcome.create")
    assert event.programme_id == world.programme.pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("who_changed", ""),
        ("who_changed", "Dr Patel"),
        ("who_changed", "mrs. jones on ward 3"),
        ("kind", "feelings"),
        ("description", "   "),
        ("contribution", ""),
        ("significance", ""),
        ("happened_on", None),
        ("lenses", ["astrology"]),
    ],
)
def test_an_outcome_missing_or_wrong_is_refused_on_its_field(world, project, field, value):
    with pytest.raises(ValidationError) as caught:
        make_outcome(project, **{field: value})
    assert field in caught.value.message_dict
    assert not Outcome.objects.exists()


def test_an_outcome_in_the_future_is_refused(world, project):
    with pytest.raises(ValidationError, match="today or earlier"):
        make_outcome(project, happened_on=date.today() + timedelta(days=3))


def test_indicators_must_be_the_programmes_own(world, project):
    mine = evaluation_services.plan_ensure(programme=world.programme)
    other_plan = evaluation_services.plan_ensure(programme=ProgrammeFactory(slug="elsewhere"))
    fields = {
        "name": "Changes beyond the team",
        "definition": "Outcomes substantiated",
        "kind": "qualitative",
        "source": "Outcome harvest",
        "collected_when": "End of programme",
        "success_criterion": "At least one per project",
    }
    ours = evaluation_services.indicator_create(plan=mine, actor=world.people["lead"], **fields)
    theirs = evaluation_services.indicator_create(plan=other_plan, actor=world.people["lead"], **fields)
    with pytest.raises(ValidationError) as caught:
        make_outcome(project, indicators=[theirs])
    assert "indicators" in caught.value.message_dict
    outcome = make_outcome(project, indicators=[ours])
    assert list(outcome.indicators.all()) == [ours]
    assert Programme.objects.count() == 2


def test_rewording_lets_earlier_answers_lapse_and_a_note_on_evidence_does_not(world, project):
    outcome = make_outcome(project)
    services.substantiate(outcome=outcome, actor=world.people["critical_friend"], verdict="agree")
    services.outcome_update(
        outcome=outcome, actor=project.owner, evidence="Also the theatre manager's email."
    )
    outcome.refresh_from_db()
    assert (outcome.status, outcome.version) == ("agree", 1)
    services.outcome_update(
        outcome=outcome, actor=project.owner, description="They stopped using desflurane."
    )
    outcome.refresh_from_db()
    assert (outcome.status, outcome.version) == ("none", 2)
    assert Substantiation.objects.filter(outcome=outcome).count() == 1


def test_a_critical_friends_answer_sets_the_status_and_tells_the_owner(world, project):
    outcome = make_outcome(project)
    services.substantiate(
        outcome=outcome, actor=world.people["critical_friend"], verdict="partly", comment="Only on weekdays."
    )
    outcome.refresh_from_db()
    assert outcome.status == "partly"
    note = Notification.objects.get(recipient=project.owner)
    assert note.kind == "comment" and "Partly agrees" in note.title
    answer = Substantiation.objects.get()
    assert (answer.role, answer.by_user, answer.via_link) == (
        "Critical friend",
        world.people["critical_friend"],
        False,
    )
    services.substantiate(outcome=outcome, actor=world.people["lead"], verdict="agree")
    outcome.refresh_from_db()
    assert outcome.status == "agree"  # the latest answer


def test_an_answer_that_is_not_agreement_needs_a_comment(world, project):
    outcome = make_outcome(project)
    with pytest.raises(ValidationError) as caught:
        services.substantiate(outcome=outcome, actor=world.people["lead"], verdict="disagree")
    assert "comment" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.substantiate(outcome=outcome, actor=world.people["lead"], verdict="maybe", comment="x")
    assert not Substantiation.objects.exists()


def test_nobody_substantiates_their_own_projects_outcome(world, project):
    outcome = make_outcome(project)
    with pytest.raises(ValidationError, match="your own project"):
        services.substantiate(outcome=outcome, actor=project.owner, verdict="agree")


@pytest.mark.parametrize("persona", ["coach", "other_participant", "outsider"])
def test_only_leads_and_critical_friends_substantiate_or_send_links(world, project, persona):
    outcome = make_outcome(project)
    with pytest.raises(ValidationError, match="leads and critical friends"):
        services.substantiate(outcome=outcome, actor=world.people[persona], verdict="agree")
    with pytest.raises(ValidationError, match="leads and critical friends"):
        services.link_send(
            outcome=outcome, actor=world.people[persona], name="A", email="a@b.example", role="R"
        )
    assert not Substantiation.objects.exists() and not SubstantiationRequest.objects.exists()


def test_the_link_is_emailed_stored_only_as_a_hash_and_answers_once(
    world, project, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    outcome = make_outcome(project)
    with django_capture_on_commit_callbacks(execute=True):
        request = send_link(outcome, world.people["lead"], monkeypatch)
    assert request.token_hash != TOKEN and TOKEN not in request.token_hash
    assert request.email == "sam@hospital.example"
    assert len(mailoutbox) == 1 and f"/outcomes/substantiate/{TOKEN}/" in mailoutbox[0].body
    assert services.link_for_token(TOKEN) == request
    answer = services.link_respond(token=TOKEN, verdict="agree", comment="", confirm_name="Sam Estates")
    assert answer.via_link and answer.role == "Estates manager, Riverside Hospital"
    outcome.refresh_from_db()
    assert outcome.status == "agree"
    with pytest.raises(services.LinkProblem, match="already"):
        services.link_respond(token=TOKEN, verdict="disagree", comment="changed my mind", confirm_name="Sam")
    assert Substantiation.objects.count() == 1
    assert AuditEvent.objects.filter(verb="outcome.substantiate_by_link").count() == 1


def test_a_forged_link_changes_nothing(world, project, monkeypatch):
    outcome = make_outcome(project)
    send_link(outcome, world.people["lead"], monkeypatch)
    for token in ("", "nonsense", TOKEN + "x"):
        with pytest.raises(services.LinkProblem, match="did not send"):
            services.link_respond(token=token, verdict="agree", confirm_name="Eve")
    assert not Substantiation.objects.exists()
    assert SubstantiationRequest.objects.get().used_at is None


def test_an_expired_link_changes_nothing(world, project, monkeypatch):
    outcome = make_outcome(project)
    send_link(outcome, world.people["lead"], monkeypatch)
    with (
        time_machine.travel(date.today() + timedelta(days=15)),
        pytest.raises(services.LinkProblem, match="14 days"),
    ):
        services.link_respond(token=TOKEN, verdict="agree", confirm_name="Sam")
    assert not Substantiation.objects.exists()


def test_a_link_about_an_earlier_wording_changes_nothing(world, project, monkeypatch):
    outcome = make_outcome(project)
    send_link(outcome, world.people["lead"], monkeypatch)
    services.outcome_update(outcome=outcome, actor=project.owner, who_changed="The day surgery unit")
    with pytest.raises(services.LinkProblem, match="reworded"):
        services.link_respond(token=TOKEN, verdict="agree", confirm_name="Sam")
    assert not Substantiation.objects.exists()


def test_a_link_answer_needs_a_name_and_a_refusal_leaves_the_link_usable(world, project, monkeypatch):
    outcome = make_outcome(project)
    send_link(outcome, world.people["lead"], monkeypatch)
    with pytest.raises(ValidationError):
        services.link_respond(token=TOKEN, verdict="agree", confirm_name=" ")
    assert SubstantiationRequest.objects.get().used_at is None
    services.link_respond(token=TOKEN, verdict="agree", confirm_name="Sam")


def test_removing_an_outcome_takes_its_answers_and_is_audited(world, project):
    outcome = make_outcome(project)
    services.substantiate(outcome=outcome, actor=world.people["lead"], verdict="agree")
    services.outcome_delete(outcome=outcome, actor=project.owner)
    assert not Outcome.objects.exists() and not Substantiation.objects.exists()
    assert AuditEvent.objects.filter(verb="outcome.delete", programme_id=world.programme.pk).exists()


def test_unknown_fields_are_a_programming_error(world, project):
    with pytest.raises(ValueError):
        services.outcome_create(project=project, actor=project.owner, **outcome_fields(status="agree"))


def test_no_email_goes_for_a_refused_link(world, project):
    outcome = make_outcome(project)
    with pytest.raises(ValidationError):
        services.link_send(outcome=outcome, actor=world.people["lead"], name="", email="", role="")
    assert not mail.outbox and not SubstantiationRequest.objects.exists()
