"""The default model: loaded by the data migration on a fresh database (SQLite and PostgreSQL), sourced,
valid, and with the verify and licence rules already applied."""

import importlib

import pytest

from shiftpractice.content import selectors, services
from shiftpractice.content.choices import ItemStatus, Kind
from shiftpractice.content.models import ContentItem, ModelVersion
from shiftpractice.content.validation import check_schema, check_sources, referenced_slugs

pytestmark = pytest.mark.django_db


def test_fresh_database_has_v1_pilot_published(v1):
    assert v1.name == "v1 pilot" and v1.status == "published" and v1.published_at
    view = selectors.model_view(v1)
    assert len(view.pillars) == 8
    assert len(view.lenses) == 10
    assert [s.schema["order"] for s in view.stages] == list(range(1, 9))
    assert {"lens.systems", "lens.resilience", "lens.equality", "lens.ecology"} <= set(view.by_slug)
    assert all(lens.schema["questions"] for lens in view.lenses)
    assert {"instrument.ihi-progress-scale", "instrument.ons4", "instrument.gse"} <= set(view.by_slug)
    assert len(view.indicators) == 13


def test_every_published_item_has_a_source_and_a_valid_structure(v1):
    published = ContentItem.objects.exclude(status=ItemStatus.DRAFT)
    assert published.count() > 60
    for item in published:
        assert item.sources, item.ref
        assert not check_sources(item.sources, required=True), item.ref
        assert not check_schema(item.kind, item.schema), item.ref
        assert item.is_verified, item.ref


def test_references_inside_v1_all_resolve(v1):
    view = selectors.model_view(v1)
    for item in view.items:
        for slug in referenced_slugs(item.kind, item.schema):
            assert slug in view.by_slug, f"{item.ref} -> {slug}"


def test_items_to_verify_wait_outside_v1_as_drafts(v1):
    waiting = {i.slug: i for i in ContentItem.objects.filter(needs_verification=True)}
    assert set(waiting) == {"factors.uk-government-2025", "factors.health-specific", "instrument.swemwbs"}
    for item in waiting.values():
        assert item.status == ItemStatus.DRAFT and item.verified_at is None
        assert not item.memberships.exists()


def test_factor_sets_carry_year_unit_scope_and_licence(v1):
    uk = ContentItem.objects.get(slug="factors.uk-government-2025")
    assert uk.schema["year"] == 2025
    assert all(row["unit"] and "scope" in row for row in uk.schema["rows"])
    assert "Open Government Licence v3.0" in uk.licence_name and "Open Government Licence" in uk.attribution
    health = ContentItem.objects.get(slug="factors.health-specific")
    assert {s["url"] for s in health.sources} >= {
        "https://sussex.figshare.com/articles/journal_contribution/The_carbon_footprint_of_waste_streams_in_a_UK_hospital/23485652"
    }
    recycled = next(r for r in health.schema["rows"] if r["key"] == "waste-recycled")
    assert recycled["kg_co2e"] == {"low": 21, "high": 65}


def test_instrument_licences_and_labels(v1):
    swemwbs = ContentItem.objects.get(slug="instrument.swemwbs")
    assert swemwbs.requires_licence and swemwbs.licence_flag == "licence_gated"
    assert not services.is_enabled(swemwbs, selectors.licence_records([swemwbs.slug]))
    table = swemwbs.schema["conversion_table"]
    assert (table[0], table[-1]) == ({"raw": 7, "metric": 7.0}, {"raw": 35, "metric": 35.0})
    assert all("text" not in item for item in swemwbs.schema["items"])  # licensed wording is not embedded
    ons4 = ContentItem.objects.get(slug="instrument.ons4")
    gse = ContentItem.objects.get(slug="instrument.gse")
    assert ons4.validated and gse.validated and not ons4.requires_licence and not gse.requires_licence
    assert ons4.schema["scoring"]["method"] == "separate"
    for slug in ["instrument.session-reaction", "instrument.change-agency", "instrument.ihi-progress-scale"]:
        item = ContentItem.objects.get(slug=slug)
        assert not item.validated
    assert "not validated" in ContentItem.objects.get(slug="instrument.change-agency").title.lower()
    levels = ContentItem.objects.get(slug="instrument.ihi-progress-scale").schema["response_scale"]["levels"]
    assert [lv["value"] for lv in levels] == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0]


def test_bodies_are_rendered_and_sanitised(v1):
    item = ContentItem.objects.get(slug="lens.four-principles")
    assert "<strong>Prevention</strong>" in item.body_html


def test_loader_is_idempotent_and_refills_an_emptied_database(v1):
    before = ContentItem.objects.count()
    services.default_model_ensure()
    assert ContentItem.objects.count() == before
    ModelVersion.objects.all().delete()
    ContentItem.objects.all().delete()
    services.default_model_ensure()
    assert ContentItem.objects.count() == before
    assert selectors.current_version().name == "v1 pilot"


def test_migration_module_is_self_contained():
    source = importlib.import_module("shiftpractice.content.migrations.0002_default_model").__file__
    text = open(source).read()  # noqa: SIM115
    assert "from shiftpractice" not in text and "import shiftpractice" not in text


def test_every_kind_is_shipped(v1):
    kinds = set(ContentItem.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
