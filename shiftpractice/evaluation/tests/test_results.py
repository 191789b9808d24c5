"""Results pages: aggregates only, suppressed below the minimum, free text only after close and without names,
the analysis as the pure package computes it, never a bare "significant", and the same queries at any size."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.accounts.models import User
from shiftpractice.cohorts.models import Cohort, Membership
from shiftpractice.cohorts.tests.bulk import add_cohorts
from shiftpractice.content import selectors as content_selectors
from shiftpractice.core.tests.bounded import assert_bounded
from shiftpractice.evaluation import instruments as inst
from shiftpractice.evaluation import selectors, services
from shiftpractice.evaluation.analysis import analyse
from shiftpractice.evaluation.models import Response
from tests.factories import CohortFactory

from .conftest import add_participants, answers, load


def results_url(e, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("evaluation:results", args=[e.world.programme.slug]) + (f"?{query}" if query else "")


def fill(e, n: int, *, missing_after: int = 0):
    people = add_participants(e.world.cohort, n)
    load(e.baseline, {p: answers(4, 22 + k % 5, 2) for k, p in enumerate(people)})
    load(e.end, {p: answers(5 + k % 3, 25 + k % 7, 4) for k, p in enumerate(people[missing_after:])})
    return people


def test_below_the_minimum_nothing_is_shown_and_the_page_says_why(client, evaluation):
    fill(evaluation, 4)
    body = client_for(client, evaluation.people["lead"]).get(results_url(evaluation)).content.decode()
    assert "Not shown: only 4 people answered both times, fewer than the 5 needed" in body
    assert "<svg" not in body.split("<main")[1]
    assert "Mean change" not in body


def test_minimum_is_the_programme_setting(client, evaluation):
    fill(evaluation, 4)
    services.plan_settings_update(plan=evaluation.plan, minimum_group=3, actor=evaluation.people["lead"])
    body = client_for(client, evaluation.people["lead"]).get(results_url(evaluation)).content.decode()
    assert "Not shown" not in body and "Mean change" in body


def test_aggregates_match_the_analysis_and_lost_people_are_counted(client, evaluation):
    people = fill(evaluation, 8, missing_after=2)
    result = selectors.paired_results(plan=evaluation.plan, before="baseline", after="end")
    gse = next(r for r in result.rows if r.series.section == "instrument.gse")
    assert (gse.n_pairs, gse.n_missing) == (6, 2)
    before = [22 + k % 5 for k in range(8)]
    after = [None, None] + [25 + k % 7 for k in range(6)]
    expected = analyse(before, after)
    assert gse.analysis.t_test.p_value == expected.t_test.p_value
    assert gse.improved == expected.n_positive and gse.worse == expected.n_negative
    anxious = next(r for r in result.rows if r.series.key == "anxious_yesterday")
    # Anxiety went down for everyone: for anxiety that is "improved".
    assert anxious.improved == 6 and anxious.worse == 0
    body = (
        client_for(client, evaluation.people["critical_friend"]).get(results_url(evaluation)).content.decode()
    )
    assert "6 people answered both times; 2 answered only once" in body
    assert "paired t-test" in body and "Wilcoxon signed-rank test" in body and "Sign test" in body
    assert "no comparison group" in body and "chose to take part" in body
    assert 'role="img"' in body and "<desc" in body and "<table" in body
    # Never the word "significant" on its own (nor in any form).
    assert not re.search(r"significan", body, re.IGNORECASE)
    for person in people:
        assert person.full_name not in body


def test_cohort_results_only_pair_within_the_cohort(client, evaluation):
    fill(evaluation, 6)
    body = (
        client_for(client, evaluation.people["lead"])
        .get(results_url(evaluation, cohort=evaluation.world.other_cohort.slug))
        .content.decode()
    )
    assert "There are no baseline and end survey windows to compare here yet" in body


def test_bad_comparison_is_404(client, evaluation):
    c = client_for(client, evaluation.people["lead"])
    assert c.get(results_url(evaluation, pair="end-baseline")).status_code == 404


def test_a_cohort_that_is_not_the_programmes_is_said_and_the_programme_shown(client, evaluation):
    c = client_for(client, evaluation.people["lead"])
    response = c.get(results_url(evaluation, cohort="nope"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "That cohort is not in this programme. Showing the whole programme." in page


def test_results_with_500_cohorts_are_the_size_of_those_with_50(client, evaluation):
    client_for(client, evaluation.people["lead"])
    assert_bounded(client, results_url(evaluation), lambda n: add_cohorts(evaluation.world, n))


def test_in_a_programme_of_many_cohorts_one_is_typed_by_name(client, evaluation):
    add_cohorts(evaluation.world, 60)
    Cohort.objects.filter(name="Cohort 00007").update(name="Spring leaders")
    c = client_for(client, evaluation.people["lead"])
    page = c.get(results_url(evaluation)).content.decode()
    assert 'type="search"' in page and "Cohort 00008" not in page and '<option value="bulk-' not in page
    # A part of one cohort's name chooses it.
    page = c.get(results_url(evaluation, cohort="spring")).content.decode()
    assert "Spring leaders, " in page  # the heading's caption names the cohort shown
    # A part of many names lists some of them to choose from, each a link that keeps the comparison.
    page = c.get(results_url(evaluation, cohort="Cohort 000", pair="baseline-end")).content.decode()
    assert "More than 20 cohorts have “Cohort 000” in their name" in page
    assert page.count('href="?cohort=bulk-') == 20 and "&amp;pair=baseline-end" in page
    # A name no cohort has is said; the whole programme is shown.
    page = c.get(results_url(evaluation, cohort="Winter")).content.decode()
    assert "No cohort of this programme is called “Winter”. Showing the whole programme." in page
    # Another programme's cohort is never chosen, by name or by slug.
    other = CohortFactory(slug="elsewhere", name="Elsewhere leaders")  # a cohort of another programme
    for typed in (other.slug, other.name):
        page = c.get(results_url(evaluation, cohort=typed)).content.decode()
        assert "Elsewhere leaders, " not in page and "No cohort of this programme is called" in page


def test_free_text_only_after_close_and_with_enough_people(client, evaluation):
    e = evaluation
    people = add_participants(e.world.cohort, 4)
    load(e.end, {p: answers(text=f"open text {k}") for k, p in enumerate(people)})
    c = client_for(client, e.people["lead"])
    body = c.get(reverse("evaluation:free_text", args=[e.end.public_id])).content.decode()
    assert "once the survey has closed" in body and "open text" not in body
    load(e.baseline, {p: answers(text=f"closed text {k}") for k, p in enumerate(people)})
    body = c.get(reverse("evaluation:free_text", args=[e.baseline.public_id])).content.decode()
    assert "Only 4 people answered" in body and "closed text" not in body
    load(e.baseline, {e.people["participant"]: answers(text="zz last")})
    body = c.get(reverse("evaluation:free_text", args=[e.baseline.public_id])).content.decode()
    texts = re.findall(r"<li>([^<]*text[^<]*|zz last)</li>", body)
    assert texts == sorted(texts) and len(texts) == 5
    assert e.people["participant"].full_name not in body


def _bulk(e, n: int, prefix: str) -> None:
    """``n`` participants who answered both windows, made with bulk_create (as the query budget needs)."""
    users = User.objects.bulk_create(
        User(email=f"{prefix}{k}@example.org", full_name=f"{prefix} {k}", password="!") for k in range(n)
    )
    Membership.objects.bulk_create(
        Membership(cohort=e.world.cohort, user=u, role="participant") for u in users
    )
    questions = list(e.survey.questions.all())
    instruments = {
        i.slug: i for i in content_selectors.items_for_refs({q.instrument_ref for q in questions}).values()
    }
    rows = []
    for window, shift in ((e.baseline, 0), (e.end, 1)):
        for k, u in enumerate(users):
            a = answers(3 + (k + shift) % 5, 20 + (k * 7 + shift * 3) % 15, 2 + shift)
            rows.append(
                Response(
                    window=window,
                    respondent=u,
                    status="submitted",
                    answers=a,
                    scores=inst.score(questions, a, instruments),
                    consented_at=timezone.now(),
                    submitted_at=timezone.now() - timedelta(days=1),
                )
            )
    Response.objects.bulk_create(rows, batch_size=500)


def _count(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


@pytest.mark.parametrize("who", ["programme", "cohort"])
def test_results_pages_run_the_same_queries_for_10_and_1000_respondents(client, evaluation, who):
    e = evaluation
    c = client_for(client, e.people["lead"])
    params = {"cohort": e.world.cohort.slug} if who == "cohort" else {}
    _bulk(e, 10, "small")
    small, body = _count(c, results_url(e, **params))
    assert "10 people answered both times" in body
    _bulk(e, 990, "large")
    large, body = _count(c, results_url(e, **params))
    assert "1000 people answered both times" in body
    print(f"\nresults page ({who}) queries: {small} at 10 respondents, {large} at 1,000")
    assert small == large
    assert large <= 20
