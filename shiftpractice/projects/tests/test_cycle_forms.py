"""The PDSA cycle's forms and pages: both buttons keep what was typed, labels and errors say what they mean, and
every field comes from the one stage declaration (stages.py)."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from conftest import client_for
from shiftpractice.projects import services, stages
from shiftpractice.projects.forms import CycleForm
from shiftpractice.projects.models import Cycle
from shiftpractice.projects.services.cycles import CYCLE_FIELDS

from .formdata import merged, stage_form

BOOKKEEPING = {"id", "public_id", "created_at", "updated_at", "project", "number", "previous", "status"}
BOOKKEEPING |= {"revision", "completed_at"}


def make_cycle(project, **plan):
    return services.cycle_create(project=project, title="Try a nature leaflet", actor=project.owner, **plan)


def at_stage(project, status, **plan):
    cycle = make_cycle(project, objective="o", prediction="p", **plan)
    steps = {"doing": [{}], "studying": [{}, {"what_happened": "w"}]}[status]
    for fields in steps:
        if fields:
            services.cycle_update(cycle=cycle, revision=cycle.revision, actor=project.owner, **fields)
        services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=project.owner)
    return cycle


def url_of(cycle):
    return reverse("projects:cycle", args=[cycle.project.public_id, cycle.number])


def textarea(body: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', body, re.S)
    assert match, f"no textarea {name}"
    return unescape(match.group(1))


def summary_errors(body: str) -> list[tuple[str, str]]:
    """(target id, message) of each link in the error summary."""
    if "nhsuk-error-summary__list" not in body:
        return []
    block = body.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [(t, unescape(m).strip()) for t, m in re.findall(r'<a href="#([^"]+)">(.*?)</a>', block, re.S)]


def label_of(body: str, target: str) -> str:
    """The visible label (or legend) of the field an error summary link points at."""
    field_id = re.sub(r"_0$", "", target)
    match = re.search(rf'<label class="nhsuk-label" for="{field_id}">(.*?)</label>', body, re.S)
    if not match:  # a radio group: its legend names it
        group = body.split(f'id="{target}"', 1)[0]
        match = re.search(r".*<legend[^>]*>(.*?)</legend>", group, re.S)
    assert match, f"no label for {target}"
    return unescape(re.sub(r"\s*\(optional\)", "", match.group(1))).strip()


def assert_errors_name_their_fields(body: str) -> None:
    errors = summary_errors(body)
    assert errors, "expected errors in the summary"
    for target, message in errors:
        label = label_of(body, target)
        short = next((f.title for f in stages.FIELDS if f.label == label), label)
        assert label.lower() in message.lower() or short.lower() in message.lower(), (target, message)


# Both buttons submit what was typed ------------------------------------------------------------------------


def test_the_move_on_button_saves_what_was_typed_and_moves_on(client, project):
    cycle = make_cycle(project)
    client_for(client, project.owner)
    typed = merged(
        stage_form(client.get(url_of(cycle))), objective="Test it", prediction="Half", action="advance"
    )
    response = client.post(url_of(cycle), typed, follow=True)
    saved = Cycle.objects.get(pk=cycle.pk)
    assert (saved.status, saved.objective, saved.prediction) == ("doing", "Test it", "Half")
    assert "PDSA cycle 1 moved on to do." in response.content.decode()


@pytest.mark.parametrize(
    ("status", "typed", "needed"),
    [
        ("planning", {"objective": "", "questions": "Will they read it?"}, ["objective", "prediction"]),
        ("doing", {"observations": "Busy clinic"}, ["what_happened"]),
        ("studying", {"results": "8 took one", "next_step": "Try reception"}, ["learning", "decision"]),
    ],
)
def test_a_refused_move_keeps_the_text_and_puts_each_error_on_its_field(
    client, project, status, typed, needed
):
    cycle = make_cycle(project) if status == "planning" else at_stage(project, status)
    client_for(client, project.owner)
    response = client.post(
        url_of(cycle), merged(stage_form(client.get(url_of(cycle))), **typed, action="advance")
    )
    body = response.content.decode()
    assert response.status_code == 200
    for name, text in typed.items():
        assert textarea(body, name) == text  # still in the box
    targets = [t for t, _ in summary_errors(body)]
    for name in needed:
        assert f"id_{name}-error" in body
        assert f"id_{name}" in targets or f"id_{name}_0" in targets
    assert_errors_name_their_fields(body)
    assert "Your changes are saved." in body
    saved = Cycle.objects.get(pk=cycle.pk)
    assert saved.status == status
    assert all(getattr(saved, n) == t for n, t in typed.items())


def test_the_save_button_saves_without_moving_on(client, project):
    cycle = make_cycle(project)
    client_for(client, project.owner)
    response = client.post(
        url_of(cycle), merged(stage_form(client.get(url_of(cycle))), objective="x", action="save")
    )
    assert response.status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).status == "planning"


# Labels, choices, order and errors -------------------------------------------------------------------------


def test_labels_say_optional_only_where_optional_at_every_step(client, project):
    client_for(client, project.owner)
    pages = {"planning": make_cycle(project), "doing": at_stage(project, "doing")}
    pages["studying"] = at_stage(project, "studying")
    bodies = {s: client.get(url_of(c)).content.decode() for s, c in pages.items()}
    bodies["create"] = client.get(reverse("projects:cycle_create", args=[project.public_id])).content.decode()
    for stage, body in bodies.items():
        for f in stages.fields_edited_in("planning" if stage == "create" else stage):
            if f.kind in (stages.RADIO, stages.YES_NO):
                continue  # a legend, which never says optional
            label = re.search(rf'<label class="nhsuk-label" for="id_{f.name}">(.*?)</label>', body).group(1)
            assert label.endswith("(optional)") == f.optional, (stage, f.name, label)
    others = ["value", "edit"]
    for name in others:
        bodies[name] = client.get(reverse(f"projects:{name}", args=[project.public_id])).content.decode()
    for name, body in bodies.items():
        assert "(optional) (optional)" not in body, name
        assert "Optional. " not in body, name


def test_radios_offer_no_empty_choice(client, project):
    cycle = at_stage(project, "studying")
    body = client_for(client, project.owner).get(url_of(cycle)).content.decode()
    assert "---------" not in body
    assert body.count('name="decision"') == 3 and body.count('name="learning_loop"') == 3


def test_forms_are_in_natural_order(client, project):
    client_for(client, project.owner)
    create = client.get(reverse("projects:cycle_create", args=[project.public_id])).content.decode()
    planning = client.get(url_of(make_cycle(project))).content.decode()
    for body in (create, planning):
        at = {
            n: body.index(f'id="id_{n}"')
            for n in ("title", "change_idea", "objective", "start_date", "end_date")
        }
        assert at["title"] < at["change_idea"] < at["objective"] < at["start_date"] < at["end_date"]
    doing = client.get(url_of(at_stage(project, "doing"))).content.decode()
    assert doing.index('id="id_what_happened"') < doing.index('id="id_end_date"')


def test_every_error_in_the_summary_names_its_field(client, project):
    client_for(client, project.owner)
    create = reverse("projects:cycle_create", args=[project.public_id])
    body = client.post(create, {"title": "", "start_date": "soon", "end_date": "2025-01-01"}).content.decode()
    assert_errors_name_their_fields(body)
    assert {t for t, _ in summary_errors(body)} == {"id_title", "id_start_date"}
    body = client.post(
        create, {"title": "T", "start_date": "2025-03-01", "end_date": "2025-02-01", "tasks": "x" * 10}
    ).content.decode()
    assert summary_errors(body) == [("id_end_date", "The end date must be on or after the start date.")]
    cycle = at_stage(project, "doing", start_date=date(2025, 3, 1))
    body = client.post(url_of(cycle), merged(stage_form(client.get(url_of(cycle))), end_date="2025-02-01"))
    assert_errors_name_their_fields(body.content.decode())


# What the cycle page shows ---------------------------------------------------------------------------------


def test_the_cycle_page_shows_the_dates(client, project):
    cycle = make_cycle(project, start_date=date(2025, 3, 3), end_date=date(2025, 3, 14))
    body = client_for(client, project.owner).get(url_of(cycle)).content.decode()
    assert "Start date</dt>" in body and "3 March 2025" in body and "14 March 2025" in body


def test_the_correction_form_asks_which_entry_then_starts_with_its_recorded_text(client, project):
    cycle = at_stage(project, "studying")
    services.cycle_update(
        cycle=cycle,
        revision=cycle.revision,
        actor=project.owner,
        results="r",
        learning="What we saw",
        decision="adopt",
    )
    services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=project.owner)
    client_for(client, project.owner)
    page = client.get(url_of(cycle)).content.decode()
    correct = reverse("projects:cycle_correct", args=[project.public_id, cycle.number])
    assert f'href="{correct}?field=learning"' in page  # each correctable entry links to its correction
    choose = client.get(correct).content.decode()
    assert "Which entry to correct" in choose and "---------" not in choose
    assert ">Data collection plan<" in choose and ">data_plan<" not in choose
    body = client.get(f"{correct}?field=learning").content.decode()
    assert textarea(body, "new_value") == "What we saw"
    assert "Corrected text of “What we learned”" in body
    bad = client.post(f"{correct}?field=learning", {"field": "learning", "revision": cycle.revision})
    assert_errors_name_their_fields(bad.content.decode())


def test_a_cycle_completed_while_someone_types_shows_them_their_text(client, project):
    cycle = at_stage(project, "studying")
    client_for(client, project.owner)
    opened = stage_form(client.get(url_of(cycle)))
    services.cycle_update(
        cycle=cycle, revision=cycle.revision, actor=project.owner, results="r", learning="l", decision="adopt"
    )
    services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=project.owner)
    response = client.post(url_of(cycle), merged(opened, next_step="My unsaved next step"))
    assert response.status_code == 409 and "My unsaved next step" in response.content.decode()


# One declaration, read everywhere --------------------------------------------------------------------------


def test_every_entry_of_the_cycle_is_declared_once_and_the_forms_services_and_pages_read_it():
    model_fields = {f.name for f in Cycle._meta.concrete_fields} - BOOKKEEPING
    assert model_fields == set(stages.NAMES)
    assert set(CYCLE_FIELDS) == set(stages.NAMES) == set(CycleForm._meta.fields)
    for status in stages.STAGES:
        assert stages.gates(status), status  # every stage asks for something before moving on
    for f in stages.FIELDS:
        field = Cycle._meta.get_field(f.name)
        assert f.required == (not field.blank), f.name


def filled_cycle(project):
    cycle = make_cycle(project, start_date=date(2025, 3, 3), end_date=date(2025, 3, 14))
    values = {
        f.name: f"Entry for {f.label}"
        for f in stages.FIELDS
        if f.kind in (stages.TEXT,) and f.name != "title"
    }
    Cycle.objects.filter(pk=cycle.pk).update(
        **values, carried_out_as_planned=False, learning_loop="double", decision="adapt"
    )
    return Cycle.objects.get(pk=cycle.pk), values


def test_the_cycle_page_and_the_story_show_the_declared_entries(client, project):
    cycle, values = filled_cycle(project)
    client_for(client, project.owner)
    page = client.get(url_of(cycle)).content.decode()
    story = client.get(reverse("projects:detail", args=[project.public_id])).content.decode()
    for f in stages.FIELDS:
        if f.name in values:
            assert values[f.name] in page, f.name
            assert (values[f.name] in story) == f.in_story, f.name
    for body in (page, story):
        assert "Double loop" in body and "Adapt: change it and test again" in body and "3 March 2025" in body
    assert "Carried out as planned</dt>" in page


def test_the_story_pdf_shows_the_declared_entries(client, project):
    from io import BytesIO

    from pypdf import PdfReader

    _cycle, values = filled_cycle(project)
    response = client_for(client, project.owner).get(reverse("projects:pdf", args=[project.public_id]))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for f in stages.FIELDS:
        if f.name in values and f.in_story:
            assert values[f.name] in text, f.name
    assert "Adapt: change it and test again" in text and "14 March 2025" in text
