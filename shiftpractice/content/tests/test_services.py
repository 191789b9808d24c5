"""The versioning rules: drafts change, published things never do, unverified items never publish, bad
structures are refused, and items that answers use are retired, never deleted."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from shiftpractice.content import selectors, services
from shiftpractice.content.choices import ItemStatus
from shiftpractice.content.models import ContentItem, ContentReference, ModelVersion
from shiftpractice.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOTE = "Changed after cohort 1."


def snapshot():
    return (
        list(
            ContentItem.objects.order_by("pk").values_list(
                "pk", "slug", "version", "status", "title", "schema"
            )
        ),
        list(ModelVersion.objects.order_by("pk").values_list("pk", "status", "name", "change_note")),
    )


def test_draft_copies_the_source_and_publishing_swaps_one_lens(draft, lead, v1):
    assert [i.ref for i in selectors.version_items(draft)] == [i.ref for i in selectors.version_items(v1)]
    revised = services.item_revise(version=draft, slug="lens.systems", actor=lead, title="Systems thinking")
    assert revised.ref == "lens.systems@2" and revised.status == ItemStatus.DRAFT
    assert revised.supersedes.ref == "lens.systems@1"
    again = services.item_revise(version=draft, slug="lens.systems", actor=lead, summary="Edited twice.")
    assert again.pk == revised.pk  # a draft item only this draft uses is edited in place
    services.version_update(version=draft, actor=lead, name=draft.name, dated=draft.dated, change_note=NOTE)
    services.version_publish(version=draft, actor=lead)
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == lead
    assert selectors.current_version() == draft
    assert ContentItem.objects.get(slug="lens.systems", version=2).status == ItemStatus.PUBLISHED
    # v1 is untouched: its systems lens is still version 1.
    assert selectors.model_view(v1).by_slug["lens.systems"].title == "Systems"
    assert AuditEvent.objects.filter(verb="model_version.published").count() == 1


def test_published_version_is_immutable(v1, lead):
    before = snapshot()
    for attempt in [
        lambda: services.item_revise(version=v1, slug="lens.systems", actor=lead, title="Changed"),
        lambda: services.item_retire(version=v1, slug="lens.systems", actor=lead),
        lambda: services.version_update(version=v1, actor=lead, name="x", dated=v1.dated, change_note="x"),
        lambda: services.version_publish(version=v1, actor=lead),
        lambda: services.item_add(
            version=v1,
            actor=lead,
            kind="prompt",
            slug="prompt.new",
            title="New",
            schema={"questions": ["Q?"]},
        ),
    ]:
        with pytest.raises(ValidationError, match="is published and cannot change"):
            attempt()
    assert snapshot() == before


def test_unverified_item_cannot_be_published_until_verified(draft, lead):
    factors = ContentItem.objects.get(slug="factors.uk-government-2025")
    services.item_include(version=draft, item=factors, actor=lead)
    services.version_update(version=draft, actor=lead, name=draft.name, dated=draft.dated, change_note=NOTE)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.version_publish(version=draft, actor=lead)
    assert any("marked “verify”" in m for m in refused.value.messages)
    assert snapshot() == before
    with pytest.raises(ValidationError):
        services.item_verify(item=factors, actor=lead, note="  ")
    services.item_verify(
        item=factors, actor=lead, note="Checked every row against the gov.uk 2025 flat file."
    )
    services.version_publish(version=draft, actor=lead)
    factors.refresh_from_db()
    assert factors.status == ItemStatus.PUBLISHED and factors.verified_by == lead


def test_editing_a_verified_item_clears_the_check(draft, lead):
    factors = ContentItem.objects.get(slug="factors.health-specific")
    services.item_verify(item=factors, actor=lead, note="Checked.")
    services.item_include(version=draft, item=factors, actor=lead)
    edited = services.item_revise(version=draft, slug=factors.slug, actor=lead, title="Health factors")
    assert edited.pk == factors.pk and edited.verified_at is None


@pytest.mark.parametrize(
    ("slug", "schema", "message"),
    [
        (
            "instrument.ons4",
            {"items": [{"key": "a", "theme": "A"}], "scoring": {"method": "separate"}},
            "response scale",
        ),
        ("lens.systems", {"questions": []}, "Give at least one key question"),
        ("tool.iceberg", {"fields": [{"name": "x", "label": "X", "type": "magic"}]}, "needs a type"),
    ],
)
def test_invalid_structure_is_refused(draft, lead, slug, schema, message):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.item_revise(version=draft, slug=slug, actor=lead, schema=schema)
    assert any(message in m for m in refused.value.messages)
    assert snapshot() == before


def test_factor_without_a_unit_is_refused(draft, lead):
    factors = ContentItem.objects.get(slug="factors.uk-government-2025")
    services.item_include(version=draft, item=factors, actor=lead)
    rows = [dict(r) for r in factors.schema["rows"]]
    rows[0]["unit"] = ""
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.item_revise(
            version=draft, slug=factors.slug, actor=lead, schema={**factors.schema, "rows": rows}
        )
    assert "Factor row 1 (electricity-generation) needs a unit." in refused.value.messages
    assert snapshot() == before


def test_referenced_item_cannot_be_deleted_only_retired(draft, lead, world):
    new = services.item_add(
        version=draft,
        actor=lead,
        kind="prompt",
        slug="prompt.what-surprised-you",
        title="What surprised you?",
        schema={"questions": ["What surprised you this month?"]},
        sources=[{"citation": "Our own", "url": "https://example.org", "accessed": "2026-01-01"}],
    )
    services.version_update(version=draft, actor=lead, name=draft.name, dated=draft.dated, change_note=NOTE)
    services.version_publish(version=draft, actor=lead)
    # Another app saves an answer against the new prompt.
    answer = world.cohort
    services.reference_record(ref="prompt.what-surprised-you@1", obj=answer)
    new.refresh_from_db()
    with pytest.raises(ValidationError, match=r"referred to by 1 saved answer.*Retire it instead"):
        services.item_delete(item=new, actor=lead)
    assert ContentItem.objects.filter(pk=new.pk).exists()
    # Retiring it from the next version works and keeps it for the answer.
    v3 = services.version_draft(actor=lead, source=draft, name="v3")
    services.item_retire(version=v3, slug="prompt.what-surprised-you", actor=lead)
    services.version_update(version=v3, actor=lead, name="v3", dated=v3.dated, change_note=NOTE)
    services.version_publish(version=v3, actor=lead)
    new.refresh_from_db()
    assert new.status == ItemStatus.RETIRED
    assert selectors.item_for_ref("prompt.what-surprised-you@1") == new
    assert services.reference_release(obj=answer) == 1


def test_unreferenced_draft_item_can_be_deleted_but_not_a_published_one(draft, lead, v1):
    orphan = services.item_revise(version=draft, slug="lens.futures", actor=lead, title="Futures")
    services.item_retire(version=draft, slug="lens.futures", actor=lead)
    services.item_delete(item=orphan, actor=lead)
    assert not ContentItem.objects.filter(pk=orphan.pk).exists()
    published = selectors.model_view(v1).by_slug["lens.futures"]
    with pytest.raises(ValidationError, match="Retire it instead"):
        services.item_delete(item=published, actor=lead)


def test_reference_must_name_a_published_item(world, v1):
    with pytest.raises(ValidationError):
        services.reference_record(ref="lens.systems", obj=world.cohort)
    with pytest.raises(ValidationError):
        services.reference_record(ref="factors.uk-government-2025@1", obj=world.cohort)
    ref = services.reference_record(ref="lens.systems@1", obj=world.cohort)
    assert services.reference_record(ref="lens.systems@1", obj=world.cohort) == ref
    assert ContentReference.objects.count() == 1


def test_licence_switches_a_gated_instrument_on(lead, v1):
    swemwbs = ContentItem.objects.get(slug="instrument.swemwbs")
    with pytest.raises(ValidationError):
        services.licence_record(slug="instrument.ons4", reference="X", actor=lead)
    services.licence_record(slug=swemwbs.slug, reference="WEMWBS-1234", actor=lead)
    assert services.is_enabled(swemwbs, selectors.licence_records([swemwbs.slug]))


def test_publish_needs_a_change_note_and_resolvable_references(draft, lead):
    services.item_retire(version=draft, slug="tool.iceberg", actor=lead)
    problems = services.publish_problems(draft)
    assert "Write what changed and why before publishing." in problems
    assert any("refers to tool.iceberg" in p for p in problems)


def test_new_item_slug_must_be_new_and_well_formed(draft, lead):
    with pytest.raises(ValidationError):
        services.item_add(version=draft, actor=lead, kind="lens", slug="lens.systems", title="Dup")
    with pytest.raises(ValidationError):
        services.item_add(
            version=draft,
            actor=lead,
            kind="lens",
            slug="tool.wrong-kind",
            title="X",
            schema={"questions": ["Q?"]},
        )


def test_diff_lists_added_retired_and_changed_fields(draft, lead, v1):
    services.item_revise(
        version=draft,
        slug="lens.systems",
        actor=lead,
        title="Systems thinking",
        schema={"questions": ["Where are the delays?"], "tools": ["tool.iceberg"]},
    )
    services.item_retire(version=draft, slug="lens.build-back-better", actor=lead)
    services.item_include(version=draft, item=ContentItem.objects.get(slug="instrument.swemwbs"), actor=lead)
    diff = selectors.version_diff(v1, draft)
    assert [i.slug for i in diff.added] == ["instrument.swemwbs"]
    assert [i.slug for i in diff.removed] == ["lens.build-back-better"]
    assert [c.after.ref for c in diff.changed] == ["lens.systems@2"]
    fields = {f.name: f for f in diff.changed[0].fields}
    assert fields["title"].removed == ["Systems"] and fields["title"].added == ["Systems thinking"]
    assert "questions: Where are the delays?" in fields["schema"].added
    assert any(
        line.startswith("questions: At which level of the iceberg") for line in fields["schema"].removed
    )
    assert "tools: tool.leverage-points" in fields["schema"].removed
    assert diff.unchanged == len(selectors.version_items(v1)) - 2
    assert selectors.version_diff(v1, v1).is_empty


def test_model_for_cohort_returns_the_cohorts_version_with_refs(world, draft, lead, v1):
    assert selectors.model_for_cohort(world.cohort).is_fallback
    services.item_revise(version=draft, slug="lens.systems", actor=lead, title="Systems thinking")
    services.version_update(version=draft, actor=lead, name=draft.name, dated=draft.dated, change_note=NOTE)
    services.version_publish(version=draft, actor=lead)
    world.cohort.model_version = v1
    world.cohort.save()
    world.other_cohort.model_version = draft
    world.other_cohort.save()
    one, two = selectors.model_for_cohort(world.cohort), selectors.model_for_cohort(world.other_cohort)
    assert one.ref("lens.systems") == "lens.systems@1" and two.ref("lens.systems") == "lens.systems@2"
    stage = two.stages[0]
    assert [p.slug for p in two.stage_prompts(stage)] == ["prompt.public-narrative", "prompt.circles"]
    assert [t.slug for t in two.stage_tools(stage)] == ["tool.narrative-canvas", "tool.circles-map"]
    assert selectors.items_for_refs(["lens.systems@1", "lens.systems@2", "nonsense"]).keys() == {
        "lens.systems@1",
        "lens.systems@2",
    }
    history = selectors.version_history([world.cohort, world.other_cohort])
    assert [(e.version, e.used_by) for e in history] == [(draft, [world.other_cohort]), (v1, [world.cohort])]


def test_draft_cannot_be_drafted_from_and_names_are_unique(draft, lead, v1):
    with pytest.raises(ValidationError):
        services.version_draft(actor=lead, source=draft)
    with pytest.raises(ValidationError):
        services.version_draft(actor=lead, source=v1, name="V2 TEST DRAFT")
    assert services.version_draft(actor=lead, source=v1, name="new").slug != "new"


def test_a_version_published_ahead_of_its_date_becomes_current_on_that_date(draft, lead, v1, client):
    import time_machine
    from django.utils import timezone

    takes_effect = timezone.localdate() + timedelta(days=10)
    services.version_update(version=draft, actor=lead, name=draft.name, dated=takes_effect, change_note=NOTE)
    services.version_publish(version=draft, actor=lead)
    assert selectors.current_version() == v1  # published, but its day has not come
    page = client.get("/model/versions/").content.decode()
    assert f"takes effect on {takes_effect:%-d %B %Y}" in page
    with time_machine.travel(takes_effect + timedelta(hours=12)):
        assert selectors.current_version() == draft


def test_every_kind_has_a_plural_heading(v1):
    from shiftpractice.content.choices import KIND_PLURAL, Kind

    assert set(KIND_PLURAL) == set(Kind)
    headings = [label for label, _ in selectors.model_view(v1).grouped()]
    assert "Lenses" in headings and not any(h.endswith("ss") for h in headings)
