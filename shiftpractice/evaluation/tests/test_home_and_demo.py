"""The evaluation on the home page of each role, and the reminders command (the demo's evaluation is tested in
``home/tests/test_demo_evaluation.py``: this app may not import ``home``)."""

from io import StringIO

from django.core.management import call_command

from conftest import client_for
from shiftpractice.evaluation import services
from shiftpractice.notifications.models import Notification

from .conftest import add_participants, answers


def test_home_sections(client, evaluation):
    e = evaluation
    services.indicator_propose(indicator=e.indicator, actor=e.people["lead"])
    friend = client_for(client, e.people["critical_friend"]).get("/").content.decode()
    assert "Awaiting your comment or agreement" in friend and "Improvement confidence" in friend
    assert "Survey windows and response rates" in friend and "0 of 1" in friend

    participant = client_for(client, e.people["participant"]).get("/").content.decode()
    assert "Surveys open for you" in participant and "Not started" in participant
    services.response_save(
        window=e.end, respondent=e.people["participant"], answers=answers(), consent=True, action="draft"
    )
    participant = client_for(client, e.people["participant"]).get("/").content.decode()
    assert "Draft saved" in participant

    coach = client_for(client, e.people["coach"]).get("/").content.decode()
    assert "Surveys: who has answered" in coach

    other = client_for(client, e.people["other_participant"]).get("/").content.decode()
    assert "Surveys open for you" not in other


def test_send_reminders_includes_survey_windows(evaluation):
    add_participants(evaluation.world.cohort, 1)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "survey reminders sent: 2" in out.getvalue()
    assert Notification.objects.filter(kind="survey_open").count() == 2
