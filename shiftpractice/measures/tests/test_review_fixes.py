"""Review fixes: exports never carry a formula, charts are cached until their data change, accessible rows."""

import csv
import io
import itertools
from datetime import date

import pytest
from django.urls import reverse

from conftest import client_for
from shiftpractice.measures import exports, selectors, services
from shiftpractice.measures.charts import compute
from shiftpractice.projects import services as project_services

from .conftest import make_measure, month

# Cells a spreadsheet would run: =, +, -, @ (after any spaces or line breaks), or a leading tab or CR.
EVIL = {
    "name": "@SUM(1+1)*cmd|' /C calc'!A0",
    "unit": "-2+3",
    "definition": '  =HYPERLINK("http://evil.example","click")',
    "collected_by": "+1",
}
EVIL_NOTE = "=1+1"
EVIL_REASON = "-1 point: @import"


def dangerous(text: str) -> bool:
    return text[:1] in ("\t", "\r", "\n") or text.lstrip()[:1] in ("=", "+", "-", "@")


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@A1", "\t=1", "\r=1", "  =1", "\n+1", " \t@x"])
def test_safe_neutralises_every_formula_start(text):
    assert exports._safe(text) == "'" + text
    assert exports._safe("plain text") == "plain text" and exports._safe("") == ""


@pytest.fixture
def evil_measure(project):
    measure = make_measure(project, values=[3, 4, 5], **EVIL)
    services.point_save(measure=measure, period=month(3), value=6, note=EVIL_NOTE, actor=project.owner)
    services.point_save(
        measure=measure,
        period=month(4),
        value=7,
        excluded=True,
        exclusion_reason=EVIL_REASON,
        actor=project.owner,
    )
    return measure


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode())) for cell in row]


def _xlsx_cells(content: bytes) -> list:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), data_only=False)
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def test_every_text_cell_of_every_export_is_neutralised(client, project, evil_measure):
    client_for(client, project.owner)
    urls = {
        "measure csv": reverse("measures:export_csv", args=[evil_measure.public_id]),
        "project csv": reverse("measures:project_csv", args=[project.public_id]),
        "measure xlsx": reverse("measures:export_xlsx", args=[evil_measure.public_id]),
        "project xlsx": reverse("measures:project_xlsx", args=[project.public_id]),
    }
    seen = {}
    for name, url in urls.items():
        content = client.get(url).content
        if name.endswith("csv"):
            texts = _csv_cells(content)
        else:
            cells = _xlsx_cells(content)
            assert not [c.coordinate for c in cells if c.data_type == "f"], f"{name}: a formula cell"
            texts = [c.value for c in cells if isinstance(c.value, str)]
        bad = [t for t in texts if dangerous(t)]
        assert not bad, f"{name}: {bad}"
        seen[name] = set(texts)
    assert "'" + EVIL_NOTE in seen["measure csv"] and "'" + EVIL_REASON in seen["measure xlsx"]
    for name in ("project csv", "project xlsx"):
        assert {"'" + EVIL["name"], "'" + EVIL["unit"]} <= seen[name], name
    assert "'" + EVIL["definition"] in seen["project xlsx"]


def test_exports_of_a_project_that_is_not_public_are_not_cached(client, project, measure):
    client_for(client, project.owner)
    for url in (
        reverse("measures:export_csv", args=[measure.public_id]),
        reverse("measures:export_xlsx", args=[measure.public_id]),
        reverse("measures:chart_svg", args=[measure.public_id]),
        reverse("measures:project_csv", args=[project.public_id]),
        reverse("measures:project_xlsx", args=[project.public_id]),
    ):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


# The chart cache ---------------------------------------------------------------------------------------


@pytest.fixture
def engine_calls(monkeypatch):
    """Counts the charts computed (engine calls) and the drawings built (SVG geometry)."""
    from shiftpractice.measures.charts import presentation

    calls = {"charts": 0, "drawings": 0}
    real_build, real_geometry = selectors.build_chart, presentation.build_geometry

    def build(*args, **kwargs):
        calls["charts"] += 1
        return real_build(*args, **kwargs)

    def geometry(*args, **kwargs):
        calls["drawings"] += 1
        return real_geometry(*args, **kwargs)

    monkeypatch.setattr(selectors, "build_chart", build)
    monkeypatch.setattr(presentation, "build_geometry", geometry)
    return calls


def test_a_repeat_view_of_an_unchanged_measure_computes_and_draws_nothing(
    client, project, measure, engine_calls
):
    client_for(client, project.owner)
    url = measure.get_absolute_url()
    first = _chart_section(client, url)
    assert engine_calls == {"charts": 1, "drawings": 1}
    assert _chart_section(client, url) == first and "<svg" in first
    assert engine_calls == {"charts": 1, "drawings": 1}
    client.get(project.get_absolute_url())
    client.get(reverse("measures:project", args=[project.public_id]))
    # The small multiple was drawn with the stored summary when the data were written (``summaries``).
    assert engine_calls == {"charts": 1, "drawings": 1}
    client.get(project.get_absolute_url())
    client.get(reverse("measures:project", args=[project.public_id]))
    selectors.new_signals_for_projects([project.pk])
    selectors.new_signals_for_projects([project.pk])
    assert engine_calls == {"charts": 1, "drawings": 1}  # signals are read from the stored summary


def _chart_section(client, url) -> str:
    body = client.get(url).content.decode()
    return body[
        body.index('<section aria-labelledby="chart-heading">') : body.index(
            '<section aria-labelledby="def-heading">'
        )
    ]


WRITES = {
    "a point saved": lambda m, who: services.point_save(measure=m, period=month(30), value=99, actor=who),
    "a point deleted": lambda m, who: services.point_delete(measure=m, period=month(0), actor=who),
    "a phase added": lambda m, who: services.phase_add(
        measure=m, start=month(12), reason="New pathway", actor=who
    ),
    "the measure changed": lambda m, who: services.measure_update(
        measure=m, actor=who, name="Referrals (all)"
    ),
    "a file imported": lambda m, who: _import(m, who, "period,value\n2023-06-01,99\n"),
    "the programme's rules changed": lambda m, who: services.programme_settings_set(
        programme=m.project.cohort.programme, rule_set="ihi", prefer_xmr=False, actor=who
    ),
    "a PDSA cycle added": lambda m, who: project_services.cycle_create(
        project=m.project, title="Reminder calls", actor=who, start_date=month(14)
    ),
}


def _import(measure, actor, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shiftpractice.measures import imports

    imp = imports.import_upload(
        measure=measure, uploaded=SimpleUploadedFile("d.csv", text.encode()), actor=actor
    )
    imports.import_check(imp)
    imports.import_commit(data_import=imp, actor=actor)


@pytest.mark.parametrize("write", WRITES)
def test_every_change_to_what_a_chart_shows_invalidates_its_cache(
    client, project, measure, engine_calls, write
):
    client_for(client, project.owner)
    urls = [measure.get_absolute_url(), project.get_absolute_url()]
    before = [client.get(u).content.decode() for u in urls]
    signals_before = selectors.new_signals_for_projects([project.pk])[project.pk]
    computed = engine_calls["charts"]
    WRITES[write](measure, project.owner)
    after = [client.get(u).content.decode() for u in urls]
    signals_after = selectors.new_signals_for_projects([project.pk])[project.pk]
    # A write of the measure's data or definition computes its stored summary (signals and small multiple) in
    # its transaction, then the measure page computes its chart. A new cycle changes the drawings but not the
    # summary: the measure page and the small multiple are drawn again. New settings reach the summaries on
    # the task worker (not run in this test): the small multiple, the signals and the page compute them.
    again = {"a PDSA cycle added": 2, "the programme's rules changed": 3}.get(write, 2)
    assert engine_calls["charts"] == computed + again
    assert after[0] != before[0] and after[1] != before[1]
    if write in ("a point saved", "a file imported"):
        assert "99" in after[0]
        assert [s.changed_at for s in signals_after] != [s.changed_at for s in signals_before]


def test_a_phase_is_removed_by_its_date_and_the_chart_follows(client, project, measure):
    client_for(client, project.owner)
    services.phase_add(measure=measure, start=month(12), reason="New pathway", actor=project.owner)
    assert "New pathway" in client.get(measure.get_absolute_url()).content.decode()
    url = reverse("measures:phase_delete", args=[measure.public_id, "2022-01-01"])
    page = client.get(url).content.decode()
    assert "Remove the phase that starts on 1 January 2022?" in page and "New pathway" in page
    assert client.post(url).status_code == 200 and measure.phases.exists()  # unconfirmed: asked again
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not measure.phases.exists()
    assert "New pathway" not in client.get(measure.get_absolute_url()).content.decode()
    assert (
        client.post(reverse("measures:phase_delete", args=[measure.public_id, "not-a-date"])).status_code
        == 404
    )


# Accessibility ----------------------------------------------------------------------------------------


def test_a_row_that_fails_to_save_says_why_in_an_alert_tied_to_its_inputs(client, project):
    import re

    measure = make_measure(project, values=[1])
    client_for(client, project.owner)
    url = reverse("measures:data", args=[measure.public_id])
    body = client.post(
        url, {"period": "2021-01-01", "value": "x"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert re.search(r'role="alert"[^>]*>.*1 Jan 2021 was not saved: Enter a number', body, re.S)
    value_input = re.search(r'<input[^>]*name="value"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in value_input
    described = re.search(r'aria-describedby="([^"]+)"', value_input).group(1)
    assert f'id="{described}"' in body


def test_the_measures_page_has_an_h2_above_its_h3_cards(client, project, measure):
    import re

    client_for(client, project.owner)
    body = client.get(reverse("measures:project", args=[project.public_id])).content.decode()
    content = body[body.index("<h1") :]
    levels = [int(n) for n in re.findall(r"<h([1-6])", content)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_the_chart_engine_is_pure_python_on_dates(project):
    # guard: the cached digest holds plain dates, not numpy types (it is pickled into Redis)
    make_measure(project, freeze_at=12)
    found = selectors.new_signals_for_projects([project.pk])[project.pk]
    assert found and all(type(s.period) is date for s in found)
    assert compute.MIN_POINTS_FOR_LIMITS == 12
