"""The programme's portfolio: who may open it, whose projects each person sees, flags, filters, CSV, the score
distribution, and a query count that does not grow with the number of projects."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS, client_for
from shiftpractice.coaching.models import Action, CoachAssignment
from shiftpractice.cohorts.models import Cohort
from shiftpractice.cohorts.roles import request_roles
from shiftpractice.core import memo
from shiftpractice.home import portfolio, portfolio_views
from shiftpractice.measures.models import DataPoint, Measure
from shiftpractice.projects import services as project_services
from shiftpractice.projects.models import ChangeProject, Cycle, LensAnswer, ProgressScore
from tests.factories import MembershipFactory, UserFactory

EXPECTED = {
    "lead": 200,
    "critical_friend": 200,
    "coach": 200,
    "participant": 403,
    "other_participant": 403,
    "outsider": 404,
    "anonymous": 302,
}


@pytest.fixture
def project(world):
    owner = world.people["participant"]
    return project_services.project_create(
        owner=owner, cohort=world.cohort, title="Team-only work", actor=owner
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["home:portfolio", "home:portfolio_csv"])
def test_who_may_open_the_portfolio(client, world, project, persona, name):
    response = client_for(client, world.user(persona)).get(reverse(name, args=[world.programme.slug]))
    assert response.status_code == EXPECTED[persona], persona


def test_leads_and_critical_friends_see_every_project_coaches_their_coachees(client, world, project):
    for persona in ("lead", "critical_friend"):
        client.logout()
        page = client_for(client, world.people[persona]).get(reverse("home:portfolio", args=["pilot"]))
        assert "Team-only work" in page.content.decode()
    client.logout()
    coach = world.people["coach"]
    url = reverse("home:portfolio", args=["pilot"])
    assert "Team-only work" not in client_for(client, coach).get(url).content.decode()
    CoachAssignment.objects.create(
        cohort=world.cohort, coach=coach, participant=world.people["participant"], starts_on=date(2030, 1, 1)
    )
    assert "Team-only work" in client.get(url).content.decode()


def test_a_coachs_scope_read_from_their_assignments_is_what_the_sharing_rule_grants(world, project):
    """In a request that has read the coach's roles, their scope is their coachees' projects, each in the cohort its
    owner is coached in, read without the sharing rule; an assignment in a cohort they no longer coach sends the scope back to the sharing
    rule, which leaves out what the coach may no longer read. Either way it is what the rule alone gives."""
    coach, programme = world.people["coach"], world.programme
    other = world.people["other_participant"]
    team_only = project_services.project_create(
        owner=other, cohort=world.other_cohort, title="B, team only", actor=other
    )
    shared = project_services.project_create(
        owner=other, cohort=world.other_cohort, title="B, programme", actor=other, visibility="programme"
    )
    project_services.project_create(owner=other, cohort=world.other_cohort, title="Not coached", actor=other)
    elsewhere = MembershipFactory(cohort=world.other_cohort, user=coach, role="coach")
    for cohort, participant in ((world.cohort, world.people["participant"]), (world.other_cohort, other)):
        CoachAssignment.objects.create(
            cohort=cohort, coach=coach, participant=participant, starts_on=date(2030, 1, 1)
        )

    def scope_in_a_request():
        with memo.request_scope():
            request_roles(coach)
            scope = portfolio.projects_in_scope(user=coach, programme=programme, scope="coachees")
            ids = set(scope.projects.values_list("pk", flat=True))
        by_the_rule = portfolio.projects_in_scope(user=coach, programme=programme, scope="coachees")
        assert by_the_rule.key is None  # (outside a request: the roles are not known)
        assert ids == set(by_the_rule.projects.values_list("pk", flat=True))
        return scope.key, ids

    key, ids = scope_in_a_request()
    assert key is not None
    # Every project of both coachees in the cohort each is coached in: the third is in the same cohort too.
    assert ids == set(
        ChangeProject.objects.filter(owner__in=[world.people["participant"], other]).values_list(
            "pk", flat=True
        )
    )
    # The figures' key moves with the coach's assignments, even one written around the models (no signal).
    peer = UserFactory()
    MembershipFactory(cohort=world.cohort, user=peer, role="participant")
    project_services.project_create(owner=peer, cohort=world.cohort, title="Peer's", actor=peer)

    def counted():
        with memo.request_scope():
            request_roles(coach)
            scope = portfolio.projects_in_scope(user=coach, programme=programme, scope="coachees")
            figures = portfolio.programme_figures(programme, scope.projects, scope_key=scope.key)
        return scope.key, figures.distribution[-1].total

    before_key, before = counted()
    assert counted() == (before_key, before) == (key, len(ids))
    CoachAssignment.objects.bulk_create(
        [CoachAssignment(cohort=world.cohort, coach=coach, participant=peer, starts_on=date(2030, 1, 1))]
    )
    after_key, after = counted()
    assert after_key not in (None, key) and after == before + 1
    elsewhere.delete()
    key, ids = scope_in_a_request()
    assert key is None  # the second assignment outlived the coach's place in Cohort B
    assert project.pk in ids and shared.pk in ids and team_only.pk not in ids


def test_a_superuser_who_oversees_nothing_reads_no_team_only_project_in_it(client, world, project):
    """A superuser may open the portfolio (as a lead may) but gets no exception from the sharing rule: the
    project list of the portfolio is what ``visible_to`` gives them."""
    admin = UserFactory(is_superuser=True, is_staff=True)
    page = client_for(client, admin).get(reverse("home:portfolio", args=["pilot"]))
    assert page.status_code == 200 and "Team-only work" not in page.content.decode()


def test_flags_and_filters(client, world, project):
    quiet = project_services.project_create(
        owner=world.people["participant"],
        cohort=world.cohort,
        title="Gone quiet",
        actor=world.people["participant"],
    )
    ChangeProject.objects.filter(pk=quiet.pk).update(updated_at=timezone.now() - timedelta(days=30))
    project_services.project_update(project=project, visibility="public", actor=project.owner)
    assignment = CoachAssignment.objects.create(
        cohort=world.cohort,
        coach=world.people["coach"],
        participant=world.people["participant"],
        starts_on=date(2030, 1, 1),
    )
    Action.objects.create(
        assignment=assignment,
        owner="participant",
        description="Do it",
        due_on=timezone.localdate() - timedelta(days=2),
    )
    client_for(client, world.people["lead"])
    url = reverse("home:portfolio", args=["pilot"])
    page = client.get(url, {"flag": "quiet"}).content.decode()
    assert "Gone quiet" in page and "Team-only work" not in page
    page = client.get(url, {"flag": "awaiting_approval"}).content.decode()
    assert "Team-only work" in page and "Gone quiet" not in page
    assert "Awaiting public approval" in page
    page = client.get(url, {"flag": "overdue"}).content.decode()
    assert (
        "Team-only work" in page and "Gone quiet" in page
    )  # both belong to the coachee with the overdue action
    page = client.get(url, {"cohort": "cohort-b"}).content.decode()
    assert "No project matches these filters" in page
    page = client.get(url, {"status": "draft", "sort": "title"}).content.decode()
    assert page.index("Gone quiet") < page.index("Team-only work")
    page = client.get(url, {"flag": "nonsense", "sort": "nonsense"})  # ignored, not an error
    assert page.status_code == 200


def test_csv_export_follows_the_filters(client, world, project):
    ProgressScore.objects.create(project=project, score=1.5, scored_on=date(2030, 1, 1))
    ProgressScore.objects.create(project=project, score=2.5, scored_on=date(2030, 2, 1))
    Cycle.objects.create(project=project, number=1, title="Test", status="complete", decision="adopt")
    client_for(client, world.people["lead"])
    response = client.get(reverse("home:portfolio_csv", args=["pilot"]))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["project"] == "Team-only work" and row["progress score"] == "2.5"
    assert row["change since previous score"] == "1.0"
    assert row["cycles complete"] == "1" and row["adopted"] == "1"


def test_score_distribution_counts_each_projects_latest_score_by_month(world, project):
    ProgressScore.objects.create(project=project, score=1.0, scored_on=date(2030, 1, 10))
    ProgressScore.objects.create(project=project, score=2.0, scored_on=date(2030, 3, 5))
    rows = portfolio.score_distribution([project.pk, 999999], months=4, today=date(2030, 4, 15))
    by_month = {r.month: r for r in rows}
    one, two = portfolio.SCORES.index(1), portfolio.SCORES.index(2)
    assert by_month[date(2030, 1, 1)].counts[one] == 1 and by_month[date(2030, 1, 1)].unscored == 1
    assert by_month[date(2030, 2, 1)].counts[one] == 1
    assert by_month[date(2030, 3, 1)].counts[two] == 1 and by_month[date(2030, 3, 1)].counts[one] == 0
    assert by_month[date(2030, 4, 1)].counts[two] == 1


def test_the_distribution_figure_draws_a_bar_a_month_and_tabulates_every_number():
    Row = portfolio.MonthRow
    counts = [0] * len(portfolio.SCORES)
    one, two = portfolio.SCORES.index(1), portfolio.SCORES.index(2)
    first = tuple(3 if i == one else 0 for i in range(len(counts)))
    second = tuple(1 if i in (one, two) else 0 for i in range(len(counts)))
    figure = portfolio.distribution_figure(
        [
            Row(date(2030, 1, 1), first, 2),
            Row(date(2030, 2, 1), second, 0),
            Row(date(2030, 3, 1), tuple(counts), 5),
        ]
    )
    html = str(figure)
    # A band a score held by someone: three in all; each month's bar in its own slot, left to right.
    assert html.count('<rect x="') == 3 and "Jan 2030, score 1: 3" in html and "Feb 2030, score 2: 1" in html
    xs = [float(part.split('"')[0]) for part in html.split('<text x="')[3:]]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert "at most 3 scored projects in a month" in html
    # The table: a row a month with each count and the unscored.
    assert html.count('<th scope="row"') == 3
    assert (
        '<span class="sp-bar" data-n="3">3</span>' in html
        and html.count(">0</td>") == 3 * len(counts) - 3 + 1
    )  # and February's unscored
    assert html.count("<tr ") == 4  # the head and three months


def _build(world, n: int) -> None:
    """n projects (bulk_create), each with a score, a cycle; every tenth with an outcome measure and points."""
    owners = UserFactory.create_batch(5)
    for owner in owners:
        MembershipFactory(cohort=world.cohort, user=owner, role="participant")
    projects = ChangeProject.objects.bulk_create(
        [
            ChangeProject(owner=owners[i % 5], cohort=world.cohort, title=f"Project {i}", visibility="team")
            for i in range(n)
        ]
    )
    ProgressScore.objects.bulk_create(
        [
            ProgressScore(project=p, score=1 + (i % 4), scored_on=date(2030, 1, 1))
            for i, p in enumerate(projects)
        ]
    )
    Cycle.objects.bulk_create([Cycle(project=p, number=1, title="Cycle", status="doing") for p in projects])
    measures = Measure.objects.bulk_create(
        [
            Measure(project=p, name=f"Outcome {i}", measure_type="outcome", data_kind="count")
            for i, p in enumerate(projects[:: max(1, n // 10)])
        ]
    )
    DataPoint.objects.bulk_create(
        [
            DataPoint(measure=m, period=date(2029, 1, 1) + timedelta(days=31 * k), value=10 + (k % 3))
            for m in measures
            for k in range(14)
        ]
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("what", ["home:portfolio", "home:portfolio_csv"])
def test_the_query_count_does_not_grow_with_the_programme(client, world, what, django_assert_max_num_queries):
    client_for(client, world.people["lead"])
    url = reverse(what, args=["pilot"])
    _build(world, 10)
    client.get(url)  # warm the chart cache, as a second visit would find it
    small = _queries(client, url)
    _build(world, 990)
    client.get(url)
    large = _queries(client, url)
    print(f"{what}: {small} queries with 10 projects, {large} with 1,000")
    if what == "home:portfolio":
        assert small == large
    else:
        # The CSV reads its rows CSV_BATCH at a time, each batch in the same queries: 1,000 projects are two
        # batches, so one batch's queries more than ten projects, however many rows each batch holds.
        assert portfolio_views.CSV_BATCH == 500
        first = ChangeProject.objects.filter(cohort__programme=world.programme).order_by("pk")[:3]
        ids = [p.pk for p in first]
        with CaptureQueriesContext(connection) as ctx:
            portfolio_views._decorate(portfolio.rows(ids))
        assert large == small + len(ctx.captured_queries)
    with django_assert_max_num_queries(large):
        client.get(url)


def test_the_page_is_the_same_size_with_50_or_500_projects_and_pages_through_all(client, world):
    from shiftpractice.core.tests.bounded import assert_bounded

    owner = world.people["participant"]

    def grow(n):
        start = ChangeProject.objects.filter(title__startswith="Bulk ").count()
        ChangeProject.objects.bulk_create(
            ChangeProject(owner=owner, cohort=world.cohort, title=f"Bulk {i:05d}", visibility="team")
            for i in range(start, start + n)
        )

    client_for(client, world.people["lead"])
    url = reverse("home:portfolio", args=["pilot"])
    assert_bounded(client, url, grow)
    page = client.get(url, {"sort": "title", "page": "last"}).content.decode()
    assert "Bulk 00499" in page and "Bulk 00000" not in page
    first = client.get(url, {"sort": "title"}).content.decode()
    assert "Bulk 00000" in first and "Bulk 00499" not in first


def test_a_programme_of_many_cohorts_filters_by_a_typed_name(client, world):
    from shiftpractice.cohorts.tests.bulk import add_cohorts

    add_cohorts(world, 60)
    owner = world.people["participant"]
    project_services.project_create(owner=owner, cohort=world.cohort, title="In cohort A", actor=owner)
    client_for(client, world.people["lead"])
    url = reverse("home:portfolio", args=["pilot"])
    page = client.get(url).content.decode()
    assert 'type="search"' in page and 'id="f-cohort"' in page and '<option value="cohort-a"' not in page
    page = client.get(url, {"cohort": world.cohort.name[-3:]}).content.decode()
    assert "In cohort A" in page
    page = client.get(url, {"cohort": "no such cohort"}).content.decode()
    assert "No project matches these filters" in page


def test_a_cohort_chosen_from_the_list_is_that_cohort_alone(client, world):
    """A slug is matched exactly, never also as words of another cohort's name."""
    owner = world.people["participant"]
    project_services.project_create(owner=owner, cohort=world.cohort, title="In cohort A", actor=owner)
    world.other_cohort.name = f"Follow-on to {world.cohort.slug}"
    world.other_cohort.save(update_fields=["name"])
    other_owner = world.people["other_participant"]
    project_services.project_create(
        owner=other_owner, cohort=world.other_cohort, title="In the follow-on", actor=other_owner
    )
    client_for(client, world.people["lead"])
    url = reverse("home:portfolio", args=["pilot"])
    page = client.get(url, {"cohort": world.cohort.slug}).content.decode()
    assert "In cohort A" in page and "In the follow-on" not in page
    page = client.get(url, {"cohort": "follow-on"}).content.decode()
    assert "In cohort A" not in page and "In the follow-on" in page


def test_the_distribution_counts_the_projects_of_a_queryset(world, project):
    ProgressScore.objects.create(project=project, score=3.0, scored_on=date(2030, 2, 1))
    other = project_services.project_create(
        owner=world.people["participant"],
        cohort=world.cohort,
        title="Unscored",
        actor=world.people["participant"],
    )
    rows = portfolio.score_distribution(
        ChangeProject.objects.filter(pk__in=[project.pk, other.pk]), months=2, today=date(2030, 2, 20)
    )
    assert [r.unscored for r in rows] == [2, 1]
    assert rows[1].counts[portfolio.SCORES.index(3)] == 1


def test_the_rows_agree_with_the_sql_the_sorts_and_filters_use(world):
    """The latest score and overdue actions are worked out twice: in SQL to sort and filter every project, in
    Python for a page of rows (``add_row_facts``). They must never disagree. Last activity is one column."""
    _build(world, 12)
    projects = list(ChangeProject.objects.filter(cohort__programme=world.programme).order_by("pk"))
    now = timezone.now()
    for n, p in enumerate(projects):
        ChangeProject.objects.filter(pk=p.pk).update(updated_at=now - timedelta(days=3 * n))
    ProgressScore.objects.create(project=projects[3], score=4, scored_on=date(2030, 2, 1))
    ProgressScore.objects.create(project=projects[3], score=2, scored_on=date(2030, 2, 1))  # same day, later
    assignment = CoachAssignment.objects.create(
        cohort=world.cohort,
        coach=world.people["coach"],
        participant=projects[1].owner,
        starts_on=date(2030, 1, 1),
    )
    today = timezone.localdate()
    for due, status in [(-3, "open"), (-1, "open"), (4, "open"), (-5, "done")]:
        Action.objects.create(
            assignment=assignment,
            owner="participant",
            description="A",
            due_on=today + timedelta(days=due),
            status=status,
        )
    scoped = ChangeProject.objects.filter(cohort__programme=world.programme)
    by_activity = list(portfolio.apply_filters(scoped, sort="activity"))
    by_score = portfolio.apply_filters(scoped, sort="score")
    overdue = {p.pk: p.overdue_actions for p in portfolio.apply_filters(scoped, flag="overdue", sort="title")}
    quiet = list(portfolio.apply_filters(scoped, flag="quiet", sort="recent").values_list("pk", flat=True))
    rows = {p.pk: p for p in portfolio.rows([p.pk for p in by_activity])}
    assert [p.pk for p in by_activity] == [p.pk for p in reversed(projects)]  # oldest activity first
    assert {p.pk: p.score for p in by_score} == {pk: r.score for pk, r in rows.items()}
    assert rows[projects[3].pk].score == 2 and rows[projects[3].pk].previous_score == 4
    assert overdue == {pk: r.overdue_actions for pk, r in rows.items() if r.overdue_actions}
    assert set(overdue.values()) == {2}
    assert quiet == [p.pk for p in projects[7:]]  # 21 days and more, newest first
    assert {pk for pk, r in rows.items() if r.quiet} == set(quiet)


def test_the_programmes_figures_are_kept_until_what_they_rest_on_changes(
    world, project, django_assert_num_queries
):
    """The distribution and the lenses every overseer's portfolio shows are read once and kept; a score saved,
    a project added (even around the models, by bulk_create) or deleted, or a lens answer deleted is seen at once.
    """
    programme, today = world.programme, timezone.localdate()
    scoped = ChangeProject.objects.filter(cohort__programme=programme)

    def fresh():
        return portfolio.figures_now(programme, scoped, today=today)

    first = portfolio.programme_figures(programme, scoped, today=today)
    assert first == fresh() and (world.cohort.name, world.cohort.slug) in first.cohorts
    with django_assert_num_queries(1):  # the newest rows' ids; the figures come from the cache
        assert portfolio.programme_figures(programme, scoped, today=today) == first

    score = ProgressScore.objects.create(project=project, score=2.0, scored_on=today)
    assert (
        portfolio.programme_figures(programme, scoped, today=today)[0][-1].counts[portfolio.SCORES.index(2)]
        == 1
    )
    score.score = 3.0
    score.save()  # no new row: only the version tells
    second = portfolio.programme_figures(programme, scoped, today=today)
    assert second != first and second == fresh()
    assert second[0][-1].counts[portfolio.SCORES.index(3)] == 1

    owner = world.people["participant"]
    ChangeProject.objects.bulk_create([ChangeProject(owner=owner, cohort=world.cohort, title="Bulk")])
    third = portfolio.programme_figures(programme, scoped, today=today)
    assert third[0][-1].total == second[0][-1].total + 1 and third == fresh()

    LensAnswer.objects.create(project=project, lens_ref="ecology@1", lens_slug="ecology")
    assert "ecology" in portfolio.programme_figures(programme, scoped, today=today)[2]
    LensAnswer.objects.filter(project=project, lens_slug="ecology").delete()
    ChangeProject.objects.filter(title="Bulk").delete()
    assert portfolio.programme_figures(programme, scoped, today=today) == fresh() == second
    # Cohorts renamed, added (even by bulk_create) and removed.
    world.cohort.name = "Renamed"
    world.cohort.save()
    assert "Renamed" in {c.name for c in portfolio.programme_figures(programme, scoped, today=today).cohorts}
    Cohort.objects.bulk_create(
        [
            Cohort(
                programme=programme,
                name="Added",
                slug="added-cohort",
                start_date=world.cohort.start_date,
                capacity=10,
                end_date=world.cohort.end_date,
            )
        ]
    )
    assert "Added" in {c.name for c in portfolio.programme_figures(programme, scoped, today=today).cohorts}
    Cohort.objects.filter(slug="added-cohort").delete()
    assert portfolio.programme_figures(programme, scoped, today=today) == fresh()
    # A scope of listed ids (a coach's, when the sharing rule decides it): the list is part of the key.
    for ids in ([project.pk], [], [project.pk]):
        theirs = ChangeProject.objects.filter(pk__in=ids)
        counted = portfolio.programme_figures(programme, theirs, today=today)[0][-1].total
        assert counted == len(ids)
