"""The library's writes: a lead's pages and downloads made, published and withdrawn (audited, indexed, sanitised);
case studies kept from the stories app's signal; search by words and by lens on either database."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from shiftpractice.core.models import AuditEvent
from shiftpractice.library import selectors, services
from shiftpractice.library.choices import Facet, ItemKind, ItemStatus
from shiftpractice.library.models import LibraryItem, LibraryTag
from shiftpractice.stories.entries import LibraryEntry
from shiftpractice.stories.signals import publication_changed

from .helpers import file_item, page_item

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_module]


def entry(**overrides) -> LibraryEntry:
    values = {
        "key": "case-study:7",
        "title": "Greener inhalers at Riverside",
        "summary": "A practice moved patients to lower-carbon inhalers, safely.",
        "text": "We reviewed every metered-dose inhaler prescription and offered dry powder alternatives.",
        "url": "/stories/case-studies/greener-inhalers/",
        "published_at": datetime(2026, 3, 1, tzinfo=UTC),
        "updated_at": datetime(2026, 3, 1, tzinfo=UTC),
        "licence": "cc-by-4.0",
        "attribution": "Gita Green, Riverside Surgery",
        "lenses": ["ecology", "nonsense"],
        "stages": ["stage.test"],
        "setting": "primary_care",
        "region": "north_west",
        "topics": ["Inhalers", "carbon"],
        "pdf_url": "/stories/case-studies/greener-inhalers.pdf",
    }
    values.update(overrides)
    key = values.pop("key")
    return LibraryEntry(key=key, **values)


def found(q="", **filters) -> list[str]:
    return [i.title for i in selectors.item_list(selectors.Filters(q=q, **filters))]


def test_a_page_is_made_as_a_draft_then_published_and_withdrawn_each_audited(world):
    lead = world.people["lead"]
    item = page_item(world.programme, lead, publish=False)
    assert item.status == ItemStatus.DRAFT and item.slug == "run-charts-in-plain-words"
    assert item.topics == ["run charts", "measurement"]
    assert "<h2>What a run chart shows</h2>" in item.body_html
    assert sorted(LibraryTag.objects.filter(item=item).values_list("facet", "value")) == [
        (Facet.LENS, "systems"),
        (Facet.STAGE, "stage.test"),
        (Facet.TOPIC, "measurement"),
        (Facet.TOPIC, "run charts"),
    ]
    assert found() == []  # a draft is in no public list
    services.item_publish(item=item, actor=lead)
    assert found() == [item.title]
    services.item_withdraw(item=item, reason="Out of date", actor=lead)
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN and item.withdrawn_reason == "Out of date"
    assert found() == [] and found("run chart") == []
    verbs = list(
        AuditEvent.objects.filter(object_type="library.libraryitem")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["library.item_created", "library.item_published", "library.item_withdrawn"]
    assert AuditEvent.objects.filter(verb="library.item_created", programme_id=world.programme.pk).exists()


def test_publishing_again_keeps_the_first_date_and_slugs_stay_unique(world):
    lead = world.people["lead"]
    item = page_item(world.programme, lead)
    first = item.published_at
    services.item_withdraw(item=item, actor=lead)
    again = services.item_publish(item=item, actor=lead)
    assert again.status == ItemStatus.PUBLISHED and again.published_at == first
    twin = page_item(world.programme, lead)
    assert twin.slug == "run-charts-in-plain-words-2"


def test_only_a_published_item_can_be_withdrawn_and_an_empty_page_cannot_be_published(world):
    lead = world.people["lead"]
    item = page_item(world.programme, lead, publish=False, body="")
    with pytest.raises(ValidationError, match="Write the page"):
        services.item_publish(item=item, actor=lead)
    with pytest.raises(ValidationError, match="Only a published item"):
        services.item_withdraw(item=item, actor=lead)


def test_the_service_sanitises_whatever_reaches_it(world):
    body = (
        "Hello <script>alert(1)</script> <iframe src='https://evil.example'></iframe> "
        "[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    item = page_item(world.programme, world.people["lead"], publish=False, body=body)
    html = item.body_html.lower()
    assert "<script" not in html and "<iframe" not in html and "<img" not in html
    assert 'href="javascript' not in html


def test_a_download_keeps_its_checked_type(world):
    item = file_item(world.programme, world.people["lead"])
    assert item.kind == ItemKind.FILE and item.file_type == "pdf" and item.size > 0
    assert item.file.name.endswith(f"{item.public_id}.pdf") and item.body == ""


def test_the_citation_names_who_when_what_where_and_the_licence(world):
    item = page_item(world.programme, world.people["lead"])
    text = item.citation("https://shiftpractice.example")
    assert text.startswith(
        f"Dr A. Example, Riverside Surgery ({item.published_at.year}). Run charts in plain words."
    )
    assert f"https://shiftpractice.example/library/items/{item.slug}/" in text and "CC BY 4.0" in text


def test_a_case_study_is_kept_from_the_stories_signal_and_withdrawn_by_it(world):
    publication_changed.send(sender=None, key="case-study:7", entry=entry())
    item = LibraryItem.objects.get(source_key="case-study:7")
    assert item.kind == ItemKind.CASE_STUDY and item.status == ItemStatus.PUBLISHED and item.programme is None
    assert item.lenses == ["ecology"] and item.topics == ["inhalers", "carbon"]
    assert item.external_url.endswith("/greener-inhalers/") and item.pdf_url.endswith(".pdf")
    assert found("dry powder") == [item.title]  # its whole text is searchable
    assert found(lens="ecology") == [item.title]
    # A correction changes the same item; its address stays.
    publication_changed.send(
        sender=None, key="case-study:7", entry=entry(title="Greener inhalers (corrected)")
    )
    again = LibraryItem.objects.get(source_key="case-study:7")
    assert again.pk == item.pk and again.slug == item.slug and again.title == "Greener inhalers (corrected)"
    publication_changed.send(sender=None, key="case-study:7", entry=None)
    again.refresh_from_db()
    assert again.status == ItemStatus.WITHDRAWN and found("dry powder") == [] and found() == []
    assert LibraryItem.objects.filter(source_key="case-study:7").count() == 1  # the record stays
    verbs = set(
        AuditEvent.objects.filter(object_type="library.libraryitem")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == {
        "library.case_study_published",
        "library.case_study_changed",
        "library.case_study_withdrawn",
    }


def test_a_withdrawal_of_an_unknown_case_study_changes_nothing(world):
    publication_changed.send(sender=None, key="case-study:404", entry=None)
    assert not LibraryItem.objects.exists()


def test_a_case_study_link_is_a_path_or_a_web_address_never_a_script():
    item = services.case_study_sync(
        key="case-study:9",
        entry=entry(key="case-study:9", url="javascript:alert(1)", pdf_url="//evil.example/x"),
    )
    assert item.external_url == "" and item.pdf_url == ""


def test_what_each_person_may_open(world):
    lead = world.people["lead"]
    published = page_item(world.programme, lead, title="Open")
    draft = page_item(world.programme, lead, publish=False, title="Closed")
    for persona in ("anonymous", "outsider", "participant", "coach"):
        user = world.user(persona) or AnonymousUser()
        assert list(LibraryItem.objects.visible_to(user)) == [published], persona
    assert set(LibraryItem.objects.visible_to(lead)) == {published, draft}


def test_a_case_study_cannot_be_changed_through_the_library(world):
    lead = world.people["lead"]
    item = services.case_study_sync(key="case-study:8", entry=entry(key="case-study:8"))
    for call in (
        lambda: services.item_update(item=item, data={"title": "x"}, actor=lead),
        lambda: services.item_withdraw(item=item, actor=lead),
        lambda: services.item_publish(item=item, actor=lead),
    ):
        with pytest.raises(ValidationError, match="stories app"):
            call()


@pytest.mark.both_backends
def test_search_finds_by_words_and_by_lens_on_either_database(world):
    """Runs as written on SQLite (FTS5) and on PostgreSQL (tsvector): stemming, ranking, lens and tag words."""
    lead = world.people["lead"]
    charts = page_item(world.programme, lead)
    ecology = page_item(
        world.programme,
        lead,
        title="Counting carbon in a clinic",
        summary="Sustainable value: the carbon, social and financial sides of a change.",
        body="Estimate the emissions your change avoids, with the factors the model gives.",
        lenses=["ecology"],
        topics="sustainable value",
    )
    draft = page_item(world.programme, lead, publish=False, title="Run charts draft", body="Run chart notes")
    assert found("run charts") == [charts.title]  # stemmed: "charts" finds "chart" too
    assert found("chart") == [charts.title]
    assert found("emissions") == [ecology.title]
    assert found("ecology") == [ecology.title]  # the lens's label is in the indexed text
    assert found(lens="ecology") == [ecology.title] and found(lens="systems") == [charts.title]
    assert found("carbon", lens="systems") == []
    assert found(topic="sustainable value") == [ecology.title]
    assert found(stage="stage.test") == [ecology.title, charts.title]  # newest first
    assert found('chart* ( "') == [charts.title]  # nothing typed breaks the query
    found('"run" OR AND NEAR( * - ^ :')  # nor raises
    assert draft.title not in found("run")
    # The title outranks the body.
    page_item(world.programme, lead, title="Measurement basics", body="A chart is mentioned once here.")
    assert found("chart")[0] == charts.title


def test_topics_are_normalised_and_bounded():
    assert services.normalise_topics(" Run  Charts, run charts,PDSA ,,") == ["run charts", "pdsa"]
    assert len(services.normalise_topics([f"t{n}" for n in range(30)])) == services.MAX_TOPICS
