"""The project pages with real content: lenses, the influence map, the driver diagram, cycles, progress,
sustainable value, the story page and its PDF; and their query counts."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.content import selectors as content_selectors
from shiftpractice.content.models import ContentItem, ModelVersionItem
from shiftpractice.projects import services
from shiftpractice.projects.models import CarbonActivity, LensAnswer


@pytest.fixture
def factor_set(db):
    """A verified, published factor set in the current model version (the shipped ones await verification)."""
    version = content_selectors.current_version()
    item = ContentItem.objects.create(
        slug="factors.test-waste",
        version=1,
        kind="factor_set",
        status="published",
        title="Test waste factors",
        schema={
            "year": 2025,
            "rows": [
                {
                    "key": "incineration",
                    "activity": "Clinical waste, incineration",
                    "unit": "kg",
                    "kg_co2e": 1.074,
                },
                {
                    "key": "offensive",
                    "activity": "Offensive waste",
                    "unit": "kg",
                    "kg_co2e": {"low": 0.2, "high": 0.3},
                },
            ],
        },
        sources=[{"citation": "Test source", "url": "https://example.org", "accessed": "2026-01-01"}],
        published_at=timezone.now(),
    )
    ModelVersionItem.objects.create(model_version=version, item=item, slug=item.slug)
    return item


def rich_project(project, world, *, cycles=3):
    actor = world.people["participant"]
    services.project_update(
        project=project, actor=actor, mfi_accomplish="More people with low mood reach nature."
    )
    model = content_selectors.model_for_cohort(world.cohort)
    lens = model.lenses[0]
    services.lens_answer_save(
        project=project, lens=lens, answers={lens.schema["questions"][0]: "Better mood"}, tags=[], actor=actor
    )
    services.stakeholder_save(
        project=project,
        actor=actor,
        name="Practice manager",
        power=5,
        interest=4,
        circle="influence",
        stance_now="neutral",
        stance_hoped="champion",
        actions="Meet monthly",
    )
    services.stakeholder_save(
        project=project,
        actor=actor,
        name="Parks team",
        power=2,
        interest=5,
        circle="concern",
        stance_now="supporter",
        stance_hoped="champion",
    )
    primary = services.driver_add(
        project=project, kind="primary", text="Clinicians know the offer", actor=actor
    )
    secondary = services.driver_add(
        project=project, kind="secondary", text="Teaching at meetings", parent=primary, actor=actor
    )
    idea = services.driver_add(
        project=project,
        kind="change_idea",
        text="Five-minute talk at the practice meeting",
        parent=secondary,
        lens_tags=[lens.slug],
        actor=actor,
    )
    for i in range(cycles):
        services.cycle_create(
            project=project,
            title=f"Test {i + 1}",
            change_idea=idea,
            objective="o",
            prediction="p",
            actor=actor,
        )
    services.progress_set(project=project, score="1.5", note="Planning", actor=actor)
    services.social_impact_add(
        project=project,
        actor=actor,
        group="People in the most deprived areas",
        direction="gain",
        description="Free access to green space",
    )
    services.financial_impact_add(
        project=project, actor=actor, description="Fewer repeat appointments", annual_gbp=Decimal("1200")
    )
    return lens


def test_every_project_page_renders_with_data(client, world, project, factor_set):
    lens = rich_project(project, world)
    services.carbon_activity_add(
        project=project,
        actor=project.owner,
        phase="before",
        label="Waste burnt",
        quantity=10,
        period="month",
        factor_set_ref=factor_set.ref,
        factor_key="incineration",
        unit="kg",
    )
    client_for(client, project.owner)
    pages = ["detail", "lenses", "influence", "drivers", "progress", "value", "edit", "team", "cycle_create"]
    for name in pages:
        response = client.get(reverse(f"projects:{name}", args=[project.public_id]))
        assert response.status_code == 200, name
    body = client.get(reverse("projects:detail", args=[project.public_id])).content.decode()
    for text in (
        "Practice manager",
        "Five-minute talk",
        "PDSA 3: Test 3",
        "Better mood",
        lens.ref,
        "Before: 129 kg CO2e a year",
        "Power and interest grid",
    ):
        assert text in body, text
    answer = client.get(reverse("projects:lens_answer", args=[project.public_id, lens.slug]))
    assert answer.status_code == 200 and lens.schema["questions"][0] in answer.content.decode()


def test_the_carbon_calculator_annualises_with_a_range_and_keeps_the_factor_version(project, factor_set):
    activity = services.carbon_activity_add(
        project=project,
        actor=project.owner,
        phase="after",
        label="Offensive waste",
        quantity=100,
        quantity_low=80,
        quantity_high=120,
        period="week",
        factor_set_ref=factor_set.ref,
        factor_key="offensive",
        unit="kg",
        assumptions="Weighed for four weeks",
    )
    assert activity.factor_set_ref == "factors.test-waste@1"
    assert activity.annual_kgco2e == Decimal("1300.000")  # 100 kg x 0.25 x 52
    assert (activity.annual_kgco2e_low, activity.annual_kgco2e_high) == (
        Decimal("832.000"),
        Decimal("1872.000"),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": -5}, "cannot be negative"),
        ({"unit": "litres"}, "per kg"),
        ({"factor_key": "nope"}, "not in the chosen"),
    ],
)
def test_bad_carbon_input_is_refused_and_nothing_saved(project, factor_set, changes, message):
    data = {
        "phase": "before",
        "label": "x",
        "quantity": 5,
        "period": "month",
        "factor_set_ref": factor_set.ref,
        "factor_key": "incineration",
        "unit": "kg",
        **changes,
    }
    with pytest.raises(ValidationError, match=message):
        services.carbon_activity_add(project=project, actor=project.owner, **data)
    assert not CarbonActivity.objects.exists()


def test_an_aim_without_a_date_and_a_nameless_stakeholder_are_refused(client, project):
    client_for(client, project.owner)
    response = client.post(
        reverse("projects:edit", args=[project.public_id]),
        {"title": "T", "status": "active", "visibility": "team", "aim_what": "More referrals"},
    )
    assert response.status_code == 200 and "SMART aim is time-bound" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "draft"
    response = client.post(
        reverse("projects:influence", args=[project.public_id]),
        {
            "name": " ",
            "power": 3,
            "interest": 3,
            "circle": "influence",
            "stance_now": "unknown",
            "stance_hoped": "supporter",
        },
    )
    assert response.status_code == 200 and "nhsuk-error-summary" in response.content.decode()
    assert not project.stakeholders.exists()


def test_influence_map_htmx_swaps_only_its_section(client, project):
    client_for(client, project.owner)
    response = client.post(
        reverse("projects:influence", args=[project.public_id]),
        {
            "name": "Ward manager",
            "power": 4,
            "interest": 2,
            "circle": "influence",
            "stance_now": "sceptic",
            "stance_hoped": "supporter",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert (
        response.status_code == 200
        and body.startswith('<div id="influence-section">')
        and "Ward manager" in body
    )


def test_lens_answers_record_the_content_version(project, world):
    lens = rich_project(project, world, cycles=0)
    answer = LensAnswer.objects.get(project=project)
    assert answer.lens_ref == lens.ref == f"{lens.slug}@{lens.version}"
    from shiftpractice.content.models import ContentReference

    assert ContentReference.objects.filter(ref=lens.ref, object_id=str(answer.pk)).exists()


def test_progress_suggestion_explains_itself(project, world):
    rich_project(project, world)
    suggestion = services.progress_suggest(project=project)
    assert suggestion.score == Decimal("2.0")
    assert any("PDSA cycle" in r for r in suggestion.reasons)
    assert any("Complete a PDSA cycle" in m for m in suggestion.missing)


def test_story_pdf_contains_every_section(client, project, world):
    from pypdf import PdfReader

    rich_project(project, world)
    response = client_for(client, project.owner).get(reverse("projects:pdf", args=[project.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for heading in (
        "Abstract",
        "Introduction: problem, rationale and specific aim",
        "Methods: context and team",
        "Introduction: available knowledge",
        "Methods: stakeholders and influence",
        "Methods: the interventions",
        "Methods and results: study of the interventions",
        "Methods: measures and analysis",
        "Results: progress",
        "Results: sustainable value",
        "Discussion",
    ):
        assert heading in text, heading
    assert "Practice manager" in text and "Increase referrals to nature-based activities" in text


def test_project_page_and_list_query_counts_do_not_grow(
    client, world, project, django_assert_max_num_queries
):
    rich_project(project, world, cycles=2)
    client_for(client, project.owner)
    urls = [reverse("projects:detail", args=[project.public_id]), reverse("projects:list")]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    # Grow to 20 cycles, more stakeholders and more projects.
    for i in range(18):
        services.cycle_create(project=project, title=f"More {i}", objective="o", actor=project.owner)
        services.stakeholder_save(
            project=project,
            actor=project.owner,
            name=f"Person {i}",
            power=3,
            interest=3,
            circle="concern",
            stance_now="unknown",
            stance_hoped="supporter",
        )
        services.project_create(
            owner=project.owner, cohort=world.cohort, title=f"Project {i}", actor=project.owner
        )
    for url, before in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(before):
            assert client.get(url).status_code == 200
    print("PROJECT QUERY COUNTS", dict(zip(["project page", "project list"], counts, strict=True)))


def test_influence_map_errors_reach_htmx_users(client, project):
    client_for(client, project.owner)
    response = client.post(
        reverse("projects:influence", args=[project.public_id]),
        {
            "name": "",
            "power": 9,
            "interest": 3,
            "circle": "influence",
            "stance_now": "unknown",
            "stance_hoped": "supporter",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200  # htmx swaps only successful responses
    assert "nhsuk-error-summary" in body and not project.stakeholders.exists()


def test_story_is_cached_and_every_change_shows_at_once(client, world, project, factor_set):
    rich_project(project, world, cycles=5)
    url = reverse("projects:detail", args=[project.public_id])
    client_for(client, project.owner)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        body = client.get(url).content.decode()
    assert len(second.captured_queries) < len(first.captured_queries)  # the cached story loads nothing
    assert "PDSA 5: Test 5" in body
    actor = project.owner
    changes = [
        lambda: services.stakeholder_save(
            project=project,
            actor=actor,
            name="New Ally",
            power=2,
            interest=2,
            circle="concern",
            stance_now="unknown",
            stance_hoped="supporter",
        ),
        lambda: services.cycle_create(project=project, title="Brand new cycle", actor=actor),
        lambda: services.driver_add(project=project, kind="primary", text="Another driver", actor=actor),
        lambda: services.progress_set(project=project, score="3.5", note="Much better", actor=actor),
        lambda: services.social_impact_add(
            project=project, actor=actor, group="Carers", direction="gain", description="Less travel"
        ),
        lambda: services.carbon_activity_add(
            project=project,
            actor=actor,
            phase="after",
            label="Less waste burnt",
            quantity=1,
            period="month",
            factor_set_ref=factor_set.ref,
            factor_key="incineration",
            unit="kg",
        ),
    ]
    expected = ["New Ally", "Brand new cycle", "Another driver", "Much better", "Carers", "Less waste burnt"]
    for change, text in zip(changes, expected, strict=True):
        assert text not in client.get(url).content.decode()
        change()
        assert text in client.get(url).content.decode(), text
    cycle = project.cycles.get(number=1)
    services.cycle_update(cycle=cycle, revision=cycle.revision, actor=actor, objective="A sharper objective")
    assert "A sharper objective" in client.get(url).content.decode()
