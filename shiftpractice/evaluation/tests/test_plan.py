"""The evaluation plan: proposing, commenting, agreeing, locking (and the milestone), changes with reasons."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from shiftpractice.core.models import AuditEvent
from shiftpractice.evaluation import services
from shiftpractice.evaluation.models import IndicatorAgreement, PlanChange


def test_agreed_once_a_lead_and_a_critical_friend_agree(evaluation):
    people, indicator = evaluation.people, evaluation.indicator
    services.indicator_propose(indicator=indicator, actor=people["lead"])
    assert indicator.state == "proposed"
    services.indicator_agree(indicator=indicator, actor=people["critical_friend"])
    indicator.refresh_from_db()
    assert indicator.state == "agreed"


@pytest.mark.parametrize("persona", ["coach", "participant", "other_participant", "outsider"])
def test_agreement_by_anyone_else_is_refused_and_changes_nothing(evaluation, persona):
    people, indicator = evaluation.people, evaluation.indicator
    services.indicator_propose(indicator=indicator, actor=people["lead"])
    with pytest.raises(ValidationError, match="critical friends and leads"):
        services.indicator_agree(indicator=indicator, actor=people[persona])
    indicator.refresh_from_db()
    assert indicator.state == "proposed"
    assert not IndicatorAgreement.objects.filter(person=people[persona]).exists()


def test_agreeing_twice_is_refused(evaluation):
    people, indicator = evaluation.people, evaluation.indicator
    services.indicator_propose(indicator=indicator, actor=people["lead"])
    with pytest.raises(ValidationError, match="already agreed"):
        services.indicator_agree(indicator=indicator, actor=people["lead"])


def test_lock_needs_every_indicator_agreed(evaluation):
    people = evaluation.people
    with pytest.raises(ValidationError, match="Not yet agreed: Improvement confidence"):
        services.plan_lock(plan=evaluation.plan, milestone=evaluation.world.milestone, actor=people["lead"])
    evaluation.plan.refresh_from_db()
    evaluation.world.milestone.refresh_from_db()
    assert not evaluation.plan.is_locked and evaluation.world.milestone.status == "planned"


def test_lock_marks_the_milestone_done_with_a_link_and_later_changes_need_a_reason(client, evaluation):
    people, indicator, plan = evaluation.people, evaluation.indicator, evaluation.plan
    friend = client_for(client, people["critical_friend"])
    services.indicator_propose(indicator=indicator, actor=people["lead"])
    friend.post(
        reverse("evaluation:indicator_comment", args=[indicator.public_id]), {"text": "Use the total."}
    )
    friend.post(reverse("evaluation:indicator_agree", args=[indicator.public_id]))
    indicator.refresh_from_db()
    assert indicator.state == "agreed" and indicator.comments.get().text == "Use the total."

    lead = client_for(client, people["lead"])
    response = lead.post(
        reverse("evaluation:plan_lock", args=[plan.programme.slug]),
        {"milestone": evaluation.world.milestone.pk},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    milestone = evaluation.world.milestone
    milestone.refresh_from_db()
    assert plan.is_locked and milestone.status == "done"
    assert reverse("evaluation:plan", args=[plan.programme.slug]) in milestone.evidence
    assert AuditEvent.objects.filter(verb="evaluation_plan.locked").exists()

    # A change without a reason is refused and changes nothing.
    with pytest.raises(ValidationError, match="say why"):
        services.indicator_update(indicator=indicator, actor=people["lead"], name="Confidence")
    indicator.refresh_from_db()
    assert indicator.name == "Improvement confidence" and indicator.state == "agreed"

    services.indicator_update(indicator=indicator, actor=people["lead"], name="Confidence", reason="Shorter")
    indicator.refresh_from_db()
    change = PlanChange.objects.get()
    assert change.reason == "Shorter" and change.before == {"name": "Improvement confidence"}
    assert indicator.state == "proposed"  # agreement was with the old wording
    page = lead.get(reverse("evaluation:plan", args=[plan.programme.slug])).content.decode()
    assert "Changes since the plan was locked" in page and "Shorter" in page


def test_critical_friend_cannot_lock(client, evaluation):
    response = client_for(client, evaluation.people["critical_friend"]).post(
        reverse("evaluation:plan_lock", args=[evaluation.world.programme.slug]), {}
    )
    assert response.status_code == 403


def test_indicator_from_the_models_indicators_records_slug_at_version(client, evaluation):
    lead = client_for(client, evaluation.people["lead"])
    response = lead.post(
        reverse("evaluation:indicator_add", args=[evaluation.world.programme.slug]),
        {
            "model_indicator": "indicator.wellbeing@1",
            "name": "Wellbeing",
            "definition": "ONS4, each question separately",
            "kind": "survey_scale",
            "source": "Survey",
            "collected_when": "Baseline and end",
            "success_criterion": "No fall",
        },
    )
    assert response.status_code == 302
    assert evaluation.plan.indicators.get(name="Wellbeing").content_ref == "indicator.wellbeing@1"


def test_platform_count_indicator_needs_its_count(client, evaluation):
    lead = client_for(client, evaluation.people["lead"])
    response = lead.post(
        reverse("evaluation:indicator_add", args=[evaluation.world.programme.slug]),
        {
            "name": "Cycles",
            "definition": "PDSA cycles completed",
            "kind": "platform_count",
            "source": "Platform",
            "collected_when": "End",
            "success_criterion": "One each",
        },
    )
    assert response.status_code == 400
    assert "Choose which count" in response.content.decode()
    assert not evaluation.plan.indicators.filter(name="Cycles").exists()
