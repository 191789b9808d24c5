"""Every evaluation page, every persona: 200, 403 (may see but not do), 404 (may not know it exists) or a redirect
to log in; and no URL shows a lead, critical friend or coach what one person answered."""

import pytest
from django.urls import reverse

from conftest import PERSONAS, client_for

from .conftest import add_participants, answers, load

# The personas' world is built once for the module; each test's writes are rolled back (root conftest.py).
pytestmark = pytest.mark.world_per_module


def expect(default, **overrides):
    result = {p: default for p in PERSONAS}
    result["anonymous"] = 302
    result.update(overrides)
    return result


EVALUATORS = expect(404, lead=200, critical_friend=200)
LEAD_ONLY = expect(404, lead=200, critical_friend=403)
WINDOW = expect(404, lead=200, critical_friend=200, coach=200)
ANSWER = expect(404, participant=200)
EVERYONE = expect(200)


def slug(e):
    return e.world.programme.slug


CASES = {
    "plan": (lambda e: reverse("evaluation:plan", args=[slug(e)]), EVALUATORS),
    "plan settings": (lambda e: reverse("evaluation:plan_settings", args=[slug(e)]), LEAD_ONLY),
    "add question": (lambda e: reverse("evaluation:question_add", args=[slug(e)]), EVALUATORS),
    "add indicator": (lambda e: reverse("evaluation:indicator_add", args=[slug(e)]), EVALUATORS),
    "write item": (lambda e: reverse("evaluation:item_add", args=[slug(e)]), LEAD_ONLY),
    "lock": (lambda e: reverse("evaluation:plan_lock", args=[slug(e)]), LEAD_ONLY),
    "indicator": (lambda e: reverse("evaluation:indicator", args=[e.indicator.public_id]), EVALUATORS),
    "indicator edit": (
        lambda e: reverse("evaluation:indicator_edit", args=[e.indicator.public_id]),
        EVALUATORS,
    ),
    "surveys": (lambda e: reverse("evaluation:surveys", args=[slug(e)]), EVALUATORS),
    "build survey": (lambda e: reverse("evaluation:survey_add", args=[slug(e)]), LEAD_ONLY),
    "survey": (lambda e: reverse("evaluation:survey", args=[e.survey.public_id]), EVALUATORS),
    "survey edit": (lambda e: reverse("evaluation:survey_edit", args=[e.survey.public_id]), LEAD_ONLY),
    "add window": (lambda e: reverse("evaluation:window_add", args=[slug(e)]), LEAD_ONLY),
    "window": (lambda e: reverse("evaluation:window", args=[e.end.public_id]), WINDOW),
    "answer": (lambda e: reverse("evaluation:respond", args=[e.end.public_id]), ANSWER),
    "free text": (lambda e: reverse("evaluation:free_text", args=[e.baseline.public_id]), EVALUATORS),
    "my answers": (lambda e: reverse("evaluation:my_answers"), EVERYONE),
    "my answers export": (lambda e: reverse("evaluation:my_answers_csv"), EVERYONE),
    "results": (lambda e: reverse("evaluation:results", args=[slug(e)]), EVALUATORS),
    "cohort results": (
        lambda e: reverse("evaluation:results", args=[slug(e)]) + f"?cohort={e.world.cohort.slug}",
        EVALUATORS,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", list(CASES))
def test_every_page_and_persona(client, evaluation, case, persona):
    url, expected = CASES[case]
    response = client_for(client, evaluation.people[persona]).get(url(evaluation))
    assert response.status_code == expected[persona], f"{case} as {persona}"


POSTS = {
    "propose": lambda e: reverse("evaluation:indicator_propose", args=[e.indicator.public_id]),
    "agree": lambda e: reverse("evaluation:indicator_agree", args=[e.indicator.public_id]),
    "comment": lambda e: reverse("evaluation:indicator_comment", args=[e.indicator.public_id]),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(POSTS))
def test_indicator_actions_only_for_leads_and_critical_friends(client, evaluation, action, persona):
    response = client_for(client, evaluation.people[persona]).post(POSTS[action](evaluation), {"text": "Hmm"})
    expected = {"lead": 302, "critical_friend": 302, "anonymous": 302}.get(persona, 404)
    assert response.status_code == expected
    if persona not in {"lead", "critical_friend"}:
        evaluation.indicator.refresh_from_db()
        assert evaluation.indicator.state == "draft"
        assert not evaluation.indicator.comments.exists()


SECRET = "my-private-answer-xyzzy"


@pytest.fixture
def answered(evaluation):
    """Cohort A's baseline (closed) answered by the participant and five more, one with a recognisable text."""
    world = evaluation.world
    extra = add_participants(world.cohort, 5)
    load(evaluation.baseline, {world.people["participant"]: answers(3, 22, 2, text=SECRET)})
    load(
        evaluation.baseline, {p: answers(4 + n % 3, 24 + n, 3, text=f"text {n}") for n, p in enumerate(extra)}
    )
    return evaluation


@pytest.mark.parametrize("persona", ["lead", "critical_friend", "coach", "other_participant", "outsider"])
def test_nobody_else_reaches_one_persons_answers_by_any_url(client, answered, persona):
    """Every URL, as everyone but the participant: the name never sits beside an answer, and the private text
    appears only on the free-text page (closed window, at least 5 people, no names)."""
    e = answered
    c = client_for(client, e.people[persona])
    name = e.people["participant"].full_name
    for case, (url, _expected) in CASES.items():
        response = c.get(url(e))
        body = response.content.decode()
        if case == "free text" and response.status_code == 200:
            assert SECRET in body
            assert name not in body and "Extra Person" not in body
        else:
            assert SECRET not in body, case
        if case == "window" and response.status_code == 200:
            assert "have submitted" in body
    # The admin list is for staff only and shows no answers either.
    assert c.get(reverse("admin:evaluation_response_changelist")).status_code in {302, 403}


def test_participant_sees_only_their_own_answers(client, answered):
    e = answered
    export = client_for(client, e.people["participant"]).get(reverse("evaluation:my_answers_csv"))
    text = export.content.decode()
    assert SECRET in text and "text 0" not in text and export["Content-Type"].startswith("text/csv")
    body = client_for(client, e.people["participant"]).get(reverse("evaluation:my_answers")).content.decode()
    assert "22" in body  # their own GSE total
    other = client_for(client, e.people["other_participant"]).get(reverse("evaluation:my_answers"))
    assert "You have not submitted a survey yet" in other.content.decode()


def test_coach_sees_who_answered_not_what(client, answered):
    e = answered
    load(e.end, {e.people["participant"]: answers(6, 30, 4, text="end text only")})
    body = client_for(client, e.people["coach"]).get(reverse("evaluation:window", args=[e.end.public_id]))
    text = body.content.decode()
    assert e.people["participant"].full_name in text and "Yes" in text
    assert "end text only" not in text and "30" not in text.split("Who has answered")[1]


def test_admin_never_shows_answers(admin_client, answered):
    from shiftpractice.evaluation.models import Response

    listing = admin_client.get(reverse("admin:evaluation_response_changelist"))
    assert listing.status_code == 200
    assert SECRET not in listing.content.decode()
    response = Response.objects.first()
    page = admin_client.get(reverse("admin:evaluation_response_change", args=[response.pk]))
    assert page.status_code in {302, 403}
    assert SECRET not in page.content.decode()
