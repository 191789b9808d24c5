"""Every content page, every persona; and the lead's journeys through the forms, with the error summary."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.content import selectors, services
from shiftpractice.content.models import ContentItem, LicenceRecord, ModelVersion
from tests.factories import UserFactory

# The personas' world is built once for the module; each test's writes are rolled back (root conftest.py).
pytestmark = pytest.mark.world_per_module

ALL = ["lead", "coach", "participant", "other_participant", "critical_friend", "outsider", "anonymous"]


def expect(default, anonymous, **overrides):
    result = {p: default for p in ALL}
    result["anonymous"] = anonymous
    result.update(overrides)
    return result


PUBLIC = expect(200, 200)
DRAFT_READ = expect(404, 404, lead=200)  # drafts are not known to exist outside the editors
DRAFT_WRITE = expect(404, 302, lead=200)
EDITOR = expect(403, 302, lead=200)

CASES = {
    "model page": (lambda w: reverse("content:model"), PUBLIC),
    "lens page": (lambda w: reverse("content:lens", args=["systems"]), PUBLIC),
    "lens of a version": (lambda w: reverse("content:version_lens", args=["v1-pilot", "ecology"]), PUBLIC),
    "attribution": (lambda w: reverse("content:attribution"), PUBLIC),
    "version attribution": (lambda w: reverse("content:version_attribution", args=["v1-pilot"]), PUBLIC),
    "version list": (lambda w: reverse("content:versions"), PUBLIC),
    "published version": (lambda w: reverse("content:version", args=["v1-pilot"]), PUBLIC),
    "published item": (
        lambda w: reverse("content:item", args=["v1-pilot", "instrument.ihi-progress-scale"]),
        PUBLIC,
    ),
    "published diff": (lambda w: reverse("content:version_diff", args=["v1-pilot"]), PUBLIC),
    "draft version": (lambda w: reverse("content:version", args=[w.draft.slug]), DRAFT_READ),
    "draft diff": (lambda w: reverse("content:version_diff", args=[w.draft.slug]), DRAFT_READ),
    "draft item": (lambda w: reverse("content:item", args=[w.draft.slug, "tool.iceberg"]), DRAFT_READ),
    "draft lens": (lambda w: reverse("content:version_lens", args=[w.draft.slug, "systems"]), DRAFT_READ),
    "draft edit": (lambda w: reverse("content:version_edit", args=[w.draft.slug]), DRAFT_WRITE),
    "draft publish": (lambda w: reverse("content:version_publish", args=[w.draft.slug]), DRAFT_WRITE),
    "draft item edit": (
        lambda w: reverse("content:item_edit", args=[w.draft.slug, "lens.systems"]),
        DRAFT_WRITE,
    ),
    "draft item edit (tool)": (
        lambda w: reverse("content:item_edit", args=[w.draft.slug, "tool.iceberg"]),
        DRAFT_WRITE,
    ),
    "draft item new": (lambda w: reverse("content:item_new", args=[w.draft.slug]), DRAFT_WRITE),
    "new version": (lambda w: reverse("content:version_new"), EDITOR),
    "pending": (lambda w: reverse("content:pending"), EDITOR),
    "verify": (lambda w: reverse("content:item_verify", args=["factors.health-specific", 1]), EDITOR),
    "delete": (lambda w: reverse("content:item_delete", args=["factors.health-specific", 1]), EDITOR),
    "licence": (lambda w: reverse("content:licence", args=["instrument.swemwbs"]), EDITOR),
    "published version edit": (
        lambda w: reverse("content:version_edit", args=["v1-pilot"]),
        expect(403, 302, lead=302),  # the lead is sent back: published versions never change
    ),
}


@pytest.fixture
def people(world, v1):
    world.people["outsider"] = UserFactory(email="outsider@example.org")
    world.draft = services.version_draft(actor=world.people["lead"], source=v1, name="v2 draft")
    return world


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("case", CASES)
def test_get_permissions(client, people, case, persona):
    url_of, expected = CASES[case]
    response = client_for(client, people.people.get(persona)).get(url_of(people))
    assert response.status_code == expected[persona], f"{case} as {persona}"
    if response.status_code == 302 and persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


WRITES = {
    "publish": lambda w: (reverse("content:version_publish", args=[w.draft.slug]), {}),
    "retire": lambda w: (reverse("content:item_retire", args=[w.draft.slug, "lens.systems"]), {}),
    "include": lambda w: (reverse("content:item_include", args=[w.draft.slug, "instrument.swemwbs"]), {}),
    "edit item": lambda w: (
        reverse("content:item_edit", args=[w.draft.slug, "lens.systems"]),
        {
            "title": "Hijacked",
            "questions": "Q?",
            "sources": "A | https://example.org | 2026-01-01",
            "licence_flag": "own",
        },
    ),
    "new version": lambda w: (reverse("content:version_new"), {"name": "v9", "dated": "2030-01-01"}),
    "verify": lambda w: (reverse("content:item_verify", args=["factors.health-specific", 1]), {"note": "x"}),
    "delete": lambda w: (reverse("content:item_delete", args=["factors.health-specific", 1]), {}),
    "licence": lambda w: (reverse("content:licence", args=["instrument.swemwbs"]), {"reference": "R1"}),
}


def state():
    return (
        list(ContentItem.objects.order_by("pk").values_list("pk", "title", "status", "verified_at")),
        list(ModelVersion.objects.order_by("pk").values_list("pk", "status", "name")),
        list(ModelVersion.objects.get(name="v2 draft").memberships.values_list("slug", flat=True)),
        LicenceRecord.objects.count(),
    )


@pytest.mark.parametrize("persona", [p for p in ALL if p != "lead"])
@pytest.mark.parametrize("case", WRITES)
def test_writes_refused_for_everyone_but_leads(client, people, case, persona):
    url, data = WRITES[case](people)
    before = state()
    response = client_for(client, people.people.get(persona)).post(url, data)
    assert response.status_code in {302, 403, 404}
    if response.status_code == 302:
        assert response.url.startswith(reverse("accounts:login"))
    assert state() == before


def test_lead_drafts_edits_a_lens_sees_the_diff_and_publishes(client, people):
    client_for(client, people.people["lead"])
    today = timezone.localdate().isoformat()  # a version takes effect on its date: this one at once
    response = client.post(reverse("content:version_new"), {"name": "v3 from the lead", "dated": today})
    version = ModelVersion.objects.get(name="v3 from the lead")
    assert response.url == version.get_absolute_url() and version.parent.name == "v1 pilot"
    page = client.get(reverse("content:item_edit", args=[version.slug, "lens.systems"]))
    assert "Key questions" in page.content.decode()
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["pillars"] = ["systems"]
    data["questions"] = "Which loops keep the problem going?\nWho sees the problem differently?"
    data["title"] = "Systems and loops"
    response = client.post(reverse("content:item_edit", args=[version.slug, "lens.systems"]), data)
    assert response.status_code == 302, response.context["form"].errors
    diff = client.get(reverse("content:version_diff", args=[version.slug])).content.decode()
    assert "Systems and loops" in diff and "Who sees the problem differently?" in diff
    # Publishing without a change note is refused with the error summary, and nothing changes.
    response = client.post(reverse("content:version_publish", args=[version.slug]))
    assert response.status_code == 200 and "There is a problem" not in response.content.decode()
    assert "Write what changed and why before publishing." in response.content.decode()
    assert ModelVersion.objects.get(pk=version.pk).is_draft
    client.post(
        reverse("content:version_edit", args=[version.slug]),
        {"name": version.name, "dated": today, "change_note": "Loops first, after cohort 2."},
    )
    response = client.post(reverse("content:version_publish", args=[version.slug]))
    assert response.status_code == 302
    assert selectors.current_version().name == "v3 from the lead"
    public = client.get(reverse("content:lens", args=["systems"])).content.decode()
    assert "Systems and loops" in public and "lens.systems@2" in public


def test_bad_input_shows_the_error_summary_and_changes_nothing(client, people):
    client_for(client, people.people["lead"])
    url = reverse("content:item_edit", args=[people.draft.slug, "instrument.ons4"])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["schema"] = '{"items": [{"key": "a", "theme": "A"}], "scoring": {"method": "separate"}}'
    before = state()
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in body and "An instrument needs a response scale." in body
    assert state() == before
    data["schema"] = "{not json"
    assert "This is not valid JSON" in client.post(url, data).content.decode()
    data["schema"] = form.initial["schema"]
    data["sources"] = "just a citation"
    assert "give the citation, web address and date" in client.post(url, data).content.decode()
    assert state() == before


def test_editing_a_published_version_is_refused_with_a_message(client, people):
    client_for(client, people.people["lead"])
    before = state()
    response = client.post(
        reverse("content:item_edit", args=["v1-pilot", "lens.systems"]), {"title": "Changed"}, follow=True
    )
    assert "is published and cannot change" in response.content.decode()
    assert state() == before


def test_deleting_a_published_item_is_refused_with_a_message(client, people):
    client_for(client, people.people["lead"])
    before = state()
    response = client.post(reverse("content:item_delete", args=["lens.systems", 1]))
    assert response.status_code == 200 and "Retire it instead" in response.content.decode()
    assert state() == before


def test_lead_records_a_verification_and_a_licence(client, people):
    client_for(client, people.people["lead"])
    client.post(
        reverse("content:item_verify", args=["factors.health-specific", 1]), {"note": "Paper, table 3."}
    )
    assert ContentItem.objects.get(slug="factors.health-specific").verified_at is not None
    client.post(reverse("content:licence", args=["instrument.swemwbs"]), {"reference": "WEMWBS-42"})
    assert LicenceRecord.objects.get(slug="instrument.swemwbs").reference == "WEMWBS-42"
    page = client.get(reverse("content:pending")).content.decode()
    assert "licence recorded" in page


def test_public_pages_show_sources_and_the_picture(client, people):
    model = client.get(reverse("content:model")).content.decode()
    assert 'role="img"' in model and '<title id="model-picture-title">' in model
    assert "The picture in words" in model and "Influence and activism" in model
    lens = client.get(reverse("content:lens", args=["ecology"])).content.decode()
    assert "CC BY-SA 4.0" in lens and "accessed" in lens
    attribution = client.get(reverse("content:attribution")).content.decode()
    assert "Open Government Licence" not in attribution  # the factor sets are not in v1 yet
    assert (
        "Mortimer F" in attribution
        and "https://q.health.org.uk/idea/2020/shifting-mindsets-shifting-practice/" in attribution
    )


def test_cohort_and_programme_pages_show_the_model_version(client, people, v1):
    people.cohort.model_version = v1
    people.cohort.save()
    client_for(client, people.people["participant"])
    page = client.get(reverse("cohorts:detail", args=[people.cohort.slug])).content.decode()
    assert "v1 pilot" in page and v1.get_absolute_url() in page
    page = client.get(reverse("cohorts:programme", args=[people.programme.slug])).content.decode()
    assert "Versions of the model" in page and "Used by Cohort A" in page


def test_lead_chooses_a_version_on_the_cohort_form(client, people, v1):
    client_for(client, people.people["lead"])
    form = client.get(reverse("cohorts:edit", args=[people.cohort.slug])).context["form"]
    choices = [label for _, label in form.fields["model_version"].choices]
    assert "v1 pilot" in choices and "v2 draft" not in choices  # drafts cannot be chosen
