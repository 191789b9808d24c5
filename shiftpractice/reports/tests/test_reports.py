"""Evaluation reports: computed live from aggregates, frozen when published, the same queries for a cohort of a
few and a programme of hundreds, small cells suppressed everywhere (the CSV included), and readable only by the
people the permissions name."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PERSONAS, client_for
from shiftpractice.cohorts.models import Cohort, Membership
from shiftpractice.evaluation.models import EvaluationPlan, EvaluationQuestion, Indicator
from shiftpractice.programmes.choices import MilestoneStatus
from shiftpractice.projects import services as project_services
from shiftpractice.projects.models import ChangeProject
from shiftpractice.reports import compute, services
from shiftpractice.reports.models import Report
from tests.factories import UserFactory


@pytest.fixture
def plan(world):
    plan = EvaluationPlan.objects.create(programme=world.programme, minimum_group=3)
    question = EvaluationQuestion.objects.create(plan=plan, text="Did participants change their workplaces?")
    Indicator.objects.create(
        plan=plan,
        question=question,
        name="Coaching contacts",
        definition="Contacts logged",
        kind="platform_count",
        platform_count="coaching_contacts",
        source="The platform",
        collected_when="Monthly",
        success_criterion="At least one a month for each participant",
    )
    return plan


@pytest.fixture
def interim(world, plan):
    return services.report_create(
        programme=world.programme,
        kind="interim",
        cohort=world.cohort,
        title="Interim report: Cohort A",
        milestone=world.milestone,
        actor=world.people["lead"],
    )


def _add_participants(cohort, n: int, *, region: str = "North West") -> None:
    start = Membership.objects.count()
    people = [
        UserFactory.build(email=f"p{cohort.pk}-{start + i}@example.org", region=region) for i in range(n)
    ]
    from django.contrib.auth import get_user_model

    made = get_user_model().objects.bulk_create(people)
    Membership.objects.bulk_create([Membership(cohort=cohort, user=u, role="participant") for u in made])
    ChangeProject.objects.bulk_create(
        [ChangeProject(owner=u, cohort=cohort, title=f"Project of {u.email}") for u in made]
    )


def test_a_cohort_of_too_few_people_shows_no_count_of_them_anywhere(world, plan, interim, client):
    data = compute.build(world.programme, world.cohort)
    assert data["minimum"] == 3
    assert data["participation"]["participants"] is None  # one participant in the world's cohort
    client_for(client, world.people["lead"])
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("reports:draft_csv", args=[interim.public_id])).content.decode())
        )
    )
    assert ["participation", "participants", "", "not shown"] in rows
    page = client.get(reverse("reports:report", args=[interim.public_id])).content.decode()
    assert "Fewer than 3" in page


def test_enough_people_are_counted_and_broken_down(world, plan):
    _add_participants(world.cohort, 4)
    data = compute.build(world.programme, None)
    assert data["participation"]["participants"] == 6  # five in cohort A, one in cohort B
    assert data["projects"]["total"] == 4
    cohort_a = next(r for r in data["by_cohort"] if r["cohort"] == "Cohort A")
    cohort_b = next(r for r in data["by_cohort"] if r["cohort"] == "Cohort B")
    # Cohort B's one participant is hidden, and so is Cohort A: the total less A would give B away.
    assert cohort_a["participants"] is None and cohort_b["participants"] is None
    _add_participants(world.other_cohort, 4)
    data = compute.build(world.programme, None)
    rows = {r["cohort"]: r["participants"] for r in data["by_cohort"]}
    assert rows == {"Cohort A": 5, "Cohort B": 5}
    # The world's two participants have no region: too few, so North West is merged with them (showing it
    # would give their number away from the total).
    assert [(r["region"].split(" (")[0], r["participants"]) for r in data["by_region"]] == [
        ("Other regions", 10)
    ]
    assert all(r["participants"] is None or r["participants"] >= 3 for r in data["by_region"])


def test_publishing_freezes_the_report_marks_the_milestone_and_lists_what_was_not_written(
    world, plan, interim
):
    _add_participants(world.cohort, 4)
    services.writing_save(
        report=interim, key="commentary", body="Strong start.", actor=world.people["critical_friend"]
    )
    version = services.publish(report=interim, actor=world.people["lead"])
    assert version.data["projects"]["total"] == 4
    assert version.writing["commentary"]["body"] == "Strong start."
    assert "Limitations" in version.unwritten
    world.milestone.refresh_from_db()
    assert world.milestone.status == MilestoneStatus.DONE
    assert world.milestone.link_url == reverse("reports:version", args=[interim.public_id, 1])
    # Later data and later writing do not change it.
    _add_participants(world.cohort, 2)
    services.writing_save(report=interim, key="commentary", body="Changed.", actor=world.people["lead"])
    version.refresh_from_db()
    assert version.data["projects"]["total"] == 4 and version.writing["commentary"]["body"] == "Strong start."
    assert compute.build(world.programme, world.cohort)["projects"]["total"] == 6
    with pytest.raises(Exception, match="Say what is new"):
        services.publish(report=interim, actor=world.people["lead"])
    second = services.publish(report=interim, actor=world.people["lead"], note="Two more projects.")
    assert second.number == 2 and second.data["projects"]["total"] == 6


def test_a_section_that_is_not_the_reports_is_refused(world, plan, interim):
    with pytest.raises(Exception, match="not a section"):
        services.writing_save(report=interim, key="question:999999", body="x", actor=world.people["lead"])


def _queries(fn) -> tuple[int, int]:
    """Queries cold (the cache empty: the survey results paired afresh) and warm."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        fn()
    with CaptureQueriesContext(connection) as warm:
        fn()
    return len(cold), len(warm)


def test_the_report_runs_the_same_queries_for_a_few_people_and_for_hundreds(world, plan, client):
    final = services.report_create(
        programme=world.programme, kind="final", title="Final", actor=world.people["lead"]
    )
    client_for(client, world.people["lead"])
    url = reverse("reports:report", args=[final.public_id])
    few = (_queries(lambda: compute.build(world.programme)), _queries(lambda: client.get(url)))
    for n in range(6):
        cohort = Cohort.objects.create(
            programme=world.programme,
            name=f"Cohort {n}",
            slug=f"bulk-{n}",
            start_date="2026-01-01",
            end_date="2026-06-01",
            capacity=100,
        )
        _add_participants(cohort, 40, region=["North West", "London", "Wales"][n % 3])
    many = (_queries(lambda: compute.build(world.programme)), _queries(lambda: client.get(url)))
    assert few == many


def test_a_project_added_by_service_shows_up_live(world, plan, interim):
    before = compute.build(world.programme, world.cohort)["projects"]["total"]
    project_services.project_create(
        owner=world.people["participant"],
        cohort=world.cohort,
        title="Another",
        actor=world.people["participant"],
    )
    assert compute.build(world.programme, world.cohort)["projects"]["total"] == before + 1


DRAFT = {
    "lead": 200,
    "critical_friend": 200,
    "coach": 404,
    "participant": 404,
    "other_participant": 404,
    "outsider": 404,
    "anonymous": 302,
}
PUBLISHED = {**DRAFT, "coach": 200, "participant": 200, "other_participant": 200}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_drafts_and_published_versions(world, plan, interim, client, persona):
    version = services.publish(report=interim, actor=world.people["lead"])
    client_for(client, world.people[persona])
    pid = interim.public_id
    for name in ("reports:draft_csv", "reports:draft_xlsx"):
        assert client.get(reverse(name, args=[pid])).status_code == DRAFT[persona], name
    assert client.get(reverse("reports:write", args=[pid, "commentary"])).status_code == DRAFT[persona]
    for name in ("reports:version", "reports:version_csv", "reports:version_xlsx"):
        assert client.get(reverse(name, args=[pid, version.number])).status_code == PUBLISHED[persona], name
    page = client.get(reverse("reports:report", args=[pid]))
    if persona in ("coach", "participant", "other_participant"):
        assert page.status_code == 302 and page["Location"].endswith(f"/v{version.number}/")
    else:
        assert page.status_code == DRAFT[persona]
    publish = client.get(reverse("reports:publish", args=[pid]))
    # Everyone in the programme sees the report exists (it is published): only a lead may publish.
    expected = {"lead": 200, "outsider": 404, "anonymous": 302}.get(persona, 403)
    assert publish.status_code == expected
    listing = client.get(reverse("reports:list", args=[world.programme.slug]))
    assert listing.status_code == PUBLISHED[persona]


def test_nobody_but_the_writers_changes_a_section(world, plan, interim, client):
    for persona in ("coach", "participant", "outsider"):
        client_for(client, world.people[persona])
        client.post(reverse("reports:write", args=[interim.public_id, "commentary"]), {"body": "Hijack"})
    assert not interim.writings.exists()
    client_for(client, world.people["critical_friend"])
    response = client.post(
        reverse("reports:write", args=[interim.public_id, "commentary"]), {"body": "Ours."}
    )
    assert response.status_code == 302 and interim.writings.get().body == "Ours."


def test_the_published_pdf_is_drawn_once_and_kept(world, plan, interim, client):
    version = services.publish(report=interim, actor=world.people["lead"])
    client_for(client, world.people["participant"])
    response = client.get(reverse("reports:version_pdf", args=[interim.public_id, version.number]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    version.refresh_from_db()
    assert version.pdf_name


def test_only_a_lead_creates_a_report_and_an_interim_needs_a_cohort(world, plan, client):
    client_for(client, world.people["critical_friend"])
    assert client.get(reverse("reports:create", args=[world.programme.slug])).status_code == 403
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("reports:create", args=[world.programme.slug]), {"kind": "interim", "title": "Interim"}
    )
    assert response.status_code == 200 and "Choose the cohort" in response.content.decode()
    assert not Report.objects.exists()


def test_survey_results_and_progress_scores_at_each_window(world):

    from shiftpractice.evaluation.tests.conftest import add_participants, answers, load
    from shiftpractice.projects.models import ProgressScore

    evaluation = _evaluation(world)
    people = add_participants(world.cohort, 5)
    load(evaluation.baseline, {p: answers(3, 20) for p in people})
    load(evaluation.end, {p: answers(6, 30) for p in people})
    for p in people:
        project = project_services.project_create(owner=p, cohort=world.cohort, title=f"P {p.pk}", actor=p)
        ProgressScore.objects.create(
            project=project, score="1.5", scored_on=evaluation.baseline.opens_at.date()
        )
        ProgressScore.objects.create(project=project, score="3.0", scored_on=evaluation.end.opens_at.date())
    data = compute.build(world.programme, world.cohort)
    pair = data["surveys"][0]
    assert (pair["before"], pair["after"]) == ("Baseline", "End")
    shown = [r for r in pair["rows"] if not r["suppressed"]]
    assert shown and all(r["pairs"] == 5 for r in shown)
    life = next(r for r in shown if "Satisfaction with life" in r["label"])
    assert (life["median_before"], life["median_after"], life["improved"]) == (3, 6, 5)
    at = {w["window"]: w for w in data["projects"]["scores_at_windows"]}
    assert at["Baseline"]["bands"] == [
        ["1.5", 5]
    ]  # the later score was not yet given when the baseline closed
    assert at["End"]["bands"] == [["3.0", 5]]
    rates = {w["label"]: w for w in data["participation"]["responses"]}
    assert rates["Baseline"]["submitted"] == 5


def test_a_windows_progress_scores_are_each_projects_newest_given_by_its_closing_day(world):
    from datetime import timedelta

    from shiftpractice.evaluation.tests.conftest import add_participants
    from shiftpractice.projects.models import ProgressScore

    evaluation = _evaluation(world)
    closing_day = evaluation.baseline.closes_at.date()
    for p in add_participants(world.cohort, 5):
        project = project_services.project_create(owner=p, cohort=world.cohort, title=f"P {p.pk}", actor=p)
        for score, day in (("1.0", -10), ("2.0", 0), ("2.5", 0), ("4.0", 1)):
            ProgressScore.objects.create(
                project=project, score=score, scored_on=closing_day + timedelta(days=day)
            )
    data = compute.build(world.programme, world.cohort)
    at = {w["window"]: w for w in data["projects"]["scores_at_windows"]}
    # The closing day counts, the day after does not; of two scores on one day the later one.
    assert at["Baseline"]["bands"] == [["2.5", 5]]
    assert at["Baseline"]["projects"] == 5


def _evaluation(world):
    from shiftpractice.evaluation.tests import conftest as evaluation_conftest

    return evaluation_conftest.evaluation.__wrapped__(world)


def test_a_story_withdrawn_after_publication_leaves_the_live_report_and_the_published_one_says_so(
    world, plan, interim, client
):
    from shiftpractice.msc import services as msc

    lead, author = world.people["lead"], world.people["participant"]
    domain = msc.domain_create(programme=world.programme, name="Changes in my practice", actor=lead)
    story = msc.story_write(
        domain=domain,
        title="Walking consultations",
        story="I now see some patients outdoors.",
        why="It changed how I listen.",
        show_name=True,
        consent=True,
        actor=author,
    )
    round_ = msc.round_create(
        programme=world.programme, title="Cohort A round", panel=[lead], cohort=world.cohort, actor=lead
    )
    msc.choice_record(
        round_=round_, story=story, reasons="It shows the model in one person's week.", actor=lead
    )
    msc.round_close(round_=round_, actor=lead)
    version = services.publish(report=interim, actor=lead)
    client_for(client, world.people["participant"])
    url = reverse("reports:version", args=[interim.public_id, version.number])
    assert "I now see some patients outdoors." in client.get(url).content.decode()
    client.get(reverse("reports:version_pdf", args=[interim.public_id, version.number]))
    version.refresh_from_db()
    assert version.pdf_name
    msc.story_withdraw(story=story, actor=author)
    page = client.get(url).content.decode()
    assert "I now see some patients outdoors." not in page and "withdrawn by its author" in page
    version.refresh_from_db()
    assert version.data["stories"][0]["story"] == "" and version.data["stories"][0]["withdrawn"]
    assert not version.pdf_name  # the PDF that quoted it is gone; the next request draws it again
    live = compute.build(world.programme, world.cohort)["stories"]
    assert live[0]["withdrawn"] and live[0]["story"] == ""


@pytest.mark.parametrize("persona", ["coach", "participant", "other_participant", "outsider", "anonymous"])
def test_the_draft_pdf_is_only_for_the_reports_writers(world, plan, interim, client, persona):
    client_for(client, world.people[persona])
    response = client.get(reverse("reports:draft_pdf", args=[interim.public_id]))
    assert response.status_code == (302 if persona == "anonymous" else 404)
