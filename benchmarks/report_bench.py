"""Benchmark of the evaluation report at the demo's size and at a programme of 1,000 (a plain script, not a test).

Usage::

    python benchmarks/report_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_report_bench python benchmarks/report_bench.py

It loads the demo programme (10 participants in 2 cohorts) into a database of its own (a temporary SQLite file,
or the PostgreSQL database DATABASE_URL names, created and dropped), then builds beside it a programme of 1,000
participants in 100 cohorts with bulk inserts: three survey windows a cohort answered by everyone (the demo
survey's questions), 1,000 projects each with a measure and its chart summary, three PDSA cycles, two progress
scores and two carbon estimates, 5,000 outcomes (half substantiated), a most significant change story each and
closed selection rounds, workshops with attendance, coaching contacts and peer-group meetings.

For the final (programme) report and an interim (cohort) report at each size it times, in-process with
``django.test.Client`` and signed in as the lead, the report page live (computed from the data on every request)
and as a published version (its snapshot), each request just after one of the floor (the lead's profile page, the
same trivial page ``pages_bench.py`` uses), and prints the median milliseconds, the ratio to the floor's median and
the SQL queries. Then the final report's PDF: seconds of CPU and the peak of Python memory while drawing it
(tracemalloc: Pango's own memory is not counted). Targets (exit 1 when missed): the same queries at both sizes;
published within 3x the floor; live within 10x.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pages_bench  # noqa: E402  (its database set-up, shared)

REPEATS_LIVE = 7
REPEATS_PUBLISHED = 15
PARTICIPANTS = 1000
COHORTS = 100
OUTCOMES = 5000
UNUSABLE = "!"  # the people of the built programme never sign in


def build_large(demo_programme, lead, friend):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from shiftpractice.coaching.models import CoachAssignment, PeerGroup, PeerMeeting, SupportContact
    from shiftpractice.cohorts.models import Attendance, Cohort, Membership, Workshop
    from shiftpractice.evaluation.models import (
        EvaluationPlan,
        EvaluationQuestion,
        Indicator,
        Response,
        Survey,
        SurveyQuestion,
        SurveyWindow,
    )
    from shiftpractice.measures.models import ChartSummary, Measure
    from shiftpractice.msc.models import Choice, Domain, Round, Story
    from shiftpractice.outcomes.models import Outcome
    from shiftpractice.programmes.models import Milestone, Programme
    from shiftpractice.projects.models import CarbonActivity, ChangeProject, Cycle, ProgressScore

    User = get_user_model()
    rng = random.Random(7)
    now = timezone.now()
    programme = Programme.objects.create(
        slug="large-programme",
        name="A programme of a thousand",
        organisation="Benchmark",
        summary="Benchmark.",
    )
    programme.leads.add(lead)
    milestone = Milestone.objects.create(
        programme=programme, title="Final report", due_date=date(2027, 3, 31)
    )
    regions = ["North West", "London", "Wales", "Scotland", "Midlands", "East", "South West", "North East"]
    cohorts = Cohort.objects.bulk_create(
        [
            Cohort(
                programme=programme,
                name=f"Cohort {n + 1:03}",
                slug=f"large-{n}",
                start_date=date(2025, 1, 1),
                end_date=date(2025, 12, 1),
                capacity=12,
                status="finished",
            )
            for n in range(COHORTS)
        ]
    )
    people = User.objects.bulk_create(
        [
            User(
                email=f"person{n}@large.example",
                full_name=f"Person {n}",
                password=UNUSABLE,
                region=regions[n % 8],
            )
            for n in range(PARTICIPANTS)
        ]
    )
    coach = User.objects.create(email="coach@large.example", full_name="Large Coach", password=UNUSABLE)
    per = PARTICIPANTS // COHORTS
    cohort_of = {p.pk: cohorts[i // per] for i, p in enumerate(people)}
    Membership.objects.bulk_create(
        [Membership(cohort=cohort_of[p.pk], user=p, role="participant") for p in people]
        + [Membership(cohort=c, user=friend, role="critical_friend") for c in cohorts]
        + [Membership(cohort=c, user=coach, role="coach") for c in cohorts]
    )
    # Workshops (two a cohort) and attendance.
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(programme=programme, number=k + 1, title=f"Workshop {k + 1} of {c.name}",
                     starts_at=now - timedelta(days=200 - k * 60), ends_at=now - timedelta(days=200 - k * 60, hours=-3))
            for c in cohorts for k in range(2)
        ]
    )  # fmt: skip
    Workshop.cohorts.through.objects.bulk_create(
        [Workshop.cohorts.through(workshop=w, cohort=cohorts[i // 2]) for i, w in enumerate(workshops)]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(workshop=workshops[2 * cohorts.index(cohort_of[p.pk]) + k], user=p,
                       status="attended" if rng.random() < 0.85 else "apologies")
            for p in people for k in range(2)
        ]
    )  # fmt: skip
    assignments = CoachAssignment.objects.bulk_create(
        [
            CoachAssignment(cohort=cohort_of[p.pk], coach=coach, participant=p, starts_on=date(2025, 1, 1))
            for p in people
        ]
    )
    SupportContact.objects.bulk_create(
        [
            SupportContact(assignment=a, occurred_on=date(2025, 2 + k, 1), mode="telephone", duration_minutes=30,
                           initiated_by="coach", summary="We talked about the next test.")
            for a in assignments for k in range(3)
        ]
    )  # fmt: skip
    groups = PeerGroup.objects.bulk_create(
        [PeerGroup(cohort=c, kind="triad", name=f"Triad {k + 1}") for c in cohorts for k in range(3)]
    )
    PeerMeeting.objects.bulk_create(
        [PeerMeeting(group=g, met_on=date(2025, 3 + k, 10)) for g in groups for k in range(2)]
    )
    # The evaluation: a plan, and the demo survey's questions answered three times by everyone.
    demo_plan = EvaluationPlan.objects.get(programme=demo_programme)
    plan = EvaluationPlan.objects.create(programme=programme, minimum_group=demo_plan.minimum_group)
    for q in demo_plan.questions.all():
        question = EvaluationQuestion.objects.create(plan=plan, text=q.text)
        for i in q.indicators.all():
            Indicator.objects.create(
                plan=plan, question=question, name=i.name, definition=i.definition, kind=i.kind,
                platform_count=i.platform_count, source=i.source, collected_when=i.collected_when,
                success_criterion=i.success_criterion, state=i.state,
            )  # fmt: skip
    demo_survey = Survey.objects.filter(programme=demo_programme).first()
    survey = Survey.objects.create(
        programme=programme, name=demo_survey.name, model_version=demo_survey.model_version
    )
    SurveyQuestion.objects.bulk_create(
        [
            SurveyQuestion(
                survey=survey, position=q.position, key=q.key, section=q.section, instrument_ref=q.instrument_ref,
                text=q.text, kind=q.kind, scale_min=q.scale_min, scale_max=q.scale_max, options=q.options,
                lower_is_better=q.lower_is_better,
            )
            for q in demo_survey.questions.all()
        ]
    )  # fmt: skip
    samples = list(
        Response.objects.filter(window__survey=demo_survey, status="submitted").values("answers", "scores")
    )
    labels = ["baseline", "end", "follow_up"]
    windows = SurveyWindow.objects.bulk_create(
        [
            SurveyWindow(cohort=c, survey=survey, label=label, opens_at=now - timedelta(days=300 - 100 * k),
                         closes_at=now - timedelta(days=290 - 100 * k))
            for c in cohorts for k, label in enumerate(labels)
        ]
    )  # fmt: skip
    window_of = {(w.cohort_id, w.label): w for w in windows}
    for batch_start in range(0, len(people), 200):
        Response.objects.bulk_create(
            [
                Response(window=window_of[(cohort_of[p.pk].pk, label)], respondent=p, status="submitted",
                         answers=sample["answers"], scores=sample["scores"], consented_at=now, submitted_at=now)
                for p in people[batch_start : batch_start + 200]
                for label, sample in zip(labels, rng.sample(samples * 3, 3), strict=True)
            ]
        )  # fmt: skip
    # Projects, each with a measure, three cycles, two scores and two carbon estimates.
    projects = ChangeProject.objects.bulk_create(
        [
            ChangeProject(owner=p, cohort=cohort_of[p.pk], title=f"Project of {p.full_name}", status="active")
            for p in people
        ]
    )
    measures = Measure.objects.bulk_create(
        [Measure(project=pr, name="Referrals a week", measure_type=("outcome", "process", "balancing")[i % 3],
                 data_kind="count") for i, pr in enumerate(projects)]
    )  # fmt: skip
    ChartSummary.objects.bulk_create(
        [ChartSummary(measure=m, version="bench", computed_at=now, n_points=30, signal_count=i % 4,
                      improving_in_latest_phase=1 if i % 3 == 0 else 0) for i, m in enumerate(measures)]
    )  # fmt: skip
    Cycle.objects.bulk_create(
        [Cycle(project=pr, number=k + 1, title=f"Test {k + 1}", status="complete",
               decision=("adopt", "adapt", "abandon")[(i + k) % 3]) for i, pr in enumerate(projects) for k in range(3)]
    )  # fmt: skip
    ProgressScore.objects.bulk_create(
        [ProgressScore(project=pr, score=rng.choice(["1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0"]),
                       scored_on=(now - timedelta(days=295 - 100 * k)).date()) for pr in projects for k in range(2)]
    )  # fmt: skip
    CarbonActivity.objects.bulk_create(
        [
            CarbonActivity(project=pr, phase=phase, label="Travel", quantity=100, period="month",
                           factor_set_ref="factors.bench@1", factor_key="car", factor_label="Car", factor_unit="km",
                           factor_kgco2e="0.17", annual_kgco2e=amount, annual_kgco2e_low=amount * 0.8,
                           annual_kgco2e_high=amount * 1.2)
            for pr in projects for phase, amount in (("before", 200.0), ("after", 120.0))
        ]
    )  # fmt: skip
    Outcome.objects.bulk_create(
        [
            Outcome(project=pr, programme=programme, who_changed="The ward team", kind=("behaviour", "practice",
                    "policy", "relationships")[k % 4], description="Now checks the bins at handover.",
                    happened_on=date(2025, 6, 1), contribution="Asked for it.", significance="Less waste.",
                    status=("agree", "partly", "disagree", "none", "none")[k % 5] if k % 2 == 0 else "none",
                    lens_ecology=k % 2 == 0, lens_systems=k % 3 == 0)
            for pr in projects for k in range(OUTCOMES // PARTICIPANTS)
        ]
    )  # fmt: skip
    domains = Domain.objects.bulk_create(
        [Domain(programme=programme, name=name, order=k) for k, name in
         enumerate(["Changes in my practice", "Changes in my organisation", "Changes for patients and nature"])]
    )  # fmt: skip
    stories = Story.objects.bulk_create(
        [Story(programme=programme, cohort=cohort_of[p.pk], domain=domains[i % 3], author=p, title="What changed",
               story="We changed how we work.", why="It lasted.", consent_at=now) for i, p in enumerate(people)]
    )  # fmt: skip
    # Every cohort's round closed with a story chosen in each domain, and a programme round stacked on them.
    rounds = Round.objects.bulk_create(
        [Round(programme=programme, cohort=c, title=f"{c.name} round", created_by=lead, closed_at=now, closed_by=lead)
         for c in cohorts]
    )  # fmt: skip
    Choice.objects.bulk_create(
        [Choice(round=r, domain=d, story=stories[per * i + k], reasons="It shows the change in one team.",
                chosen_by=friend) for i, r in enumerate(rounds) for k, d in enumerate(domains)]
    )  # fmt: skip
    top = Round.objects.create(
        programme=programme, title="Programme round", created_by=lead, closed_at=now, closed_by=lead
    )
    Choice.objects.bulk_create(
        [Choice(round=top, domain=d, story=stories[k], reasons="It shows the model at work.", chosen_by=friend)
         for k, d in enumerate(domains)]
    )  # fmt: skip
    return programme, cohorts[0], milestone


def _median_ms(values):
    return statistics.median(values) * 1000


def time_page(client, url: str, floor_url: str, repeats: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the code paths
    page, floor = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        client.get(floor_url)
        floor.append(time.perf_counter() - start)
        start = time.perf_counter()
        response = client.get(url)
        page.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return _median_ms(page), _median_ms(floor), len(ctx)


def pdf_cost(report) -> tuple[float, float]:
    from shiftpractice.reports import pdf, selectors

    context = selectors.report_context(report)
    tracemalloc.start()
    start = time.process_time()
    body = pdf.render_context(context)
    seconds = time.process_time() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert body.startswith(b"%PDF-")
    return seconds, peak / 2**20


def main() -> int:
    import os

    url, drop = pages_bench.configure_database(os.environ.get("DATABASE_URL"))
    try:
        pages_bench.setup_django(url)
        return run()
    finally:
        drop()


def profile(programme) -> None:
    """PROFILE=1: where the live final report's time goes at 1,000 (cProfile, the top 30 by cumulative time)."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shiftpractice.reports import compute

    compute.build(programme)
    from django.template.loader import render_to_string

    from shiftpractice.reports import selectors, services
    from shiftpractice.reports.models import Report

    report = Report.objects.filter(programme=programme, kind="final").first() or services.report_create(
        programme=programme, kind="final", title="Final", actor=programme.leads.first()
    )
    for _ in range(3):
        start = time.perf_counter()
        data = compute.build(programme)
        built = time.perf_counter() - start
        context = selectors.report_context(report)
        start = time.perf_counter()
        render_to_string("reports/_body.html", {**context, "data": data})
        print(f"build {built * 1000:.1f} ms, body template {(time.perf_counter() - start) * 1000:.1f} ms")
    with CaptureQueriesContext(connection) as queries:
        compute.build(programme)
    for q in queries.captured_queries:
        print(q["time"], q["sql"][:150])
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(programme.leads.first())
    url = reverse("reports:report", args=[report.public_id])
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def run() -> int:
    import os

    from django.test import Client
    from django.urls import reverse

    from shiftpractice.accounts.models import User
    from shiftpractice.home.demo import PROGRAMME_SLUG, TEAM, load_demo
    from shiftpractice.programmes.models import Programme
    from shiftpractice.reports import services
    from shiftpractice.reports.models import Report

    started = time.perf_counter()
    load_demo()
    demo = Programme.objects.get(slug=PROGRAMME_SLUG)
    lead = User.objects.get(email=TEAM["lead"].email)
    friend = User.objects.get(email=TEAM["friend1"].email)
    large, large_cohort, _milestone = build_large(demo, lead, friend)
    pages_bench.analyse()  # PostgreSQL only: the planner's statistics after the bulk load
    print(f"built the demo and a programme of {PARTICIPANTS:,} in {time.perf_counter() - started:.0f} s")
    if os.environ.get("PROFILE"):
        profile(large)
        return 0
    client = Client()
    client.force_login(lead)
    floor_url = reverse("accounts:profile")
    rows, results = [], {}
    for size, programme, cohort in (
        ("demo", demo, demo.cohorts.order_by("start_date").first()),
        ("1,000", large, large_cohort),
    ):
        for kind, about in (("final", None), ("interim", cohort)):
            report = Report.objects.filter(
                programme=programme, kind=kind, cohort=about
            ).first() or services.report_create(
                programme=programme, kind=kind, cohort=about, title=f"{kind.title()} report", actor=lead
            )
            version = report.versions.order_by("-number").first() or services.publish(
                report=report, actor=lead, note=""
            )
            live = time_page(
                client, reverse("reports:report", args=[report.public_id]), floor_url, REPEATS_LIVE
            )
            published = time_page(
                client,
                reverse("reports:version", args=[report.public_id, version.number]),
                floor_url,
                REPEATS_PUBLISHED,
            )
            for mode, (ms, floor, queries) in (("live", live), ("published", published)):
                results[(size, kind, mode)] = (ms, floor, queries)
                rows.append((size, kind, mode, ms, floor, ms / floor, queries))
        final = Report.objects.get(programme=programme, kind="final")
        cpu, peak = pdf_cost(final)
        results[(size, "pdf")] = (cpu, peak)
    print()
    print(
        f"{'size':8} {'report':8} {'page':10} {'median ms':>10} {'floor ms':>9} {'x floor':>8} {'queries':>8}"
    )
    for size, kind, mode, ms, floor, ratio, queries in rows:
        limit = 3 if mode == "published" else 10
        flag = "" if ratio <= limit else f" > {limit}x"
        print(f"{size:8} {kind:8} {mode:10} {ms:10.1f} {floor:9.1f} {ratio:8.2f} {queries:8}{flag}")
    print()
    for size in ("demo", "1,000"):
        cpu, peak = results[(size, "pdf")]
        print(f"final report PDF at {size:6}: {cpu:.2f} s of CPU, peak Python memory {peak:.1f} MiB")
    ok = True
    for kind in ("final", "interim"):
        for mode in ("live", "published"):
            small, big = results[("demo", kind, mode)][2], results[("1,000", kind, mode)][2]
            if small != big:
                print(
                    f"MISSED: the {kind} report ({mode}) runs {small} queries at the demo's size, {big} at 1,000"
                )
                ok = False
    for (size, kind, mode), (ms, floor, _) in ((k, v) for k, v in results.items() if len(k) == 3):
        limit = 3 if mode == "published" else 10
        if ms / floor > limit:
            print(f"MISSED: {kind} report ({mode}) at {size}: {ms / floor:.1f}x the floor (target {limit}x)")
            ok = False
    print("all targets met" if ok else "some targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
