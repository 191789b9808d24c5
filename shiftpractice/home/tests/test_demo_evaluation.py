"""The demo's evaluation: an agreed, locked plan, and the survey windows with their answers (loads once)."""

import pytest

from shiftpractice.evaluation.models import EvaluationPlan, Indicator, Response, SurveyWindow
from shiftpractice.home.demo import load_demo


@pytest.mark.django_db
def test_demo_evaluation_is_complete_and_loads_once():
    load_demo()
    load_demo()
    plan = EvaluationPlan.objects.get()
    assert plan.is_locked and plan.milestone.status == "done" and "/evaluation/" in plan.milestone.evidence
    indicators = list(Indicator.objects.all())
    assert len(indicators) == 6 and all(i.state == "agreed" for i in indicators)
    friends = {"friend1@shiftpractice.example", "friend2@shiftpractice.example"}
    for indicator in indicators:
        assert friends <= set(indicator.agreements.values_list("person__email", flat=True))
    counts = {
        (w.cohort.slug, w.label): Response.objects.filter(window=w, status="submitted").count()
        for w in SurveyWindow.objects.select_related("cohort")
    }
    assert counts == {
        ("cohort-1", "baseline"): 5,
        ("cohort-1", "end"): 5,
        ("cohort-1", "follow_up"): 4,
        ("cohort-2", "baseline"): 4,
        ("cohort-2", "end"): 5,
        ("cohort-2", "follow_up"): 3,
    }
    open_now = SurveyWindow.objects.open_at().get()
    assert (open_now.cohort.slug, open_now.label) == ("cohort-2", "baseline")
    assert not Response.objects.filter(
        window=open_now, respondent__email="physio@shiftpractice.example"
    ).exists()
