"""Imports: preview before anything is written, row-level errors, all or nothing, streamed."""

import io
import time
import tracemalloc
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import client_for
from shiftpractice.measures import imports
from shiftpractice.measures.models import DataImport, DataPoint, DataPointChange

from .conftest import make_measure, month


def upload(client, measure, name, content: bytes):
    return client.post(
        reverse("measures:upload", args=[measure.public_id]), {"file": SimpleUploadedFile(name, content)}
    )


def csv_of(rows, header="period,value,note") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_upload_previews_then_commits_everything_at_once(client, project):
    measure = make_measure(project, values=[1, 2])
    client_for(client, project.owner)
    response = upload(
        client, measure, "data.csv", csv_of(["2021-01-01,1,", "2021-02-01,5,recount", "2021-03-01,7,"])
    )
    imp = DataImport.objects.get()
    assert response.status_code == 302 and response["Location"] == imp.get_absolute_url()
    assert (imp.status, imp.rows_new, imp.rows_changed, imp.rows_unchanged) == ("ready", 1, 1, 1)
    page = client.get(imp.get_absolute_url()).content.decode()
    assert "1 new" in page and "Nothing has been saved yet" in page
    assert DataPoint.objects.filter(measure=measure).count() == 2  # nothing written before confirming
    response = client.post(reverse("measures:import_commit", args=[imp.public_id]))
    assert response.status_code == 302
    values = dict(DataPoint.objects.filter(measure=measure).values_list("period", "value"))
    assert values == {month(0): 1, month(1): 5, month(2): 7}
    imp.refresh_from_db()
    assert imp.status == "done" and not imp.file
    assert DataPointChange.objects.filter(source=imp).count() == 2


def test_an_xlsx_workbook_imports(client, project):
    from openpyxl import Workbook

    measure = make_measure(project, kind="proportion", frequency="week", values=[])
    wb = Workbook()
    ws = wb.active
    ws.append(["Week", "Numerator", "Denominator"])
    for i in range(3):
        ws.append([datetime(2021, 1, 4) + timedelta(weeks=i), i + 1, 10])
    buf = io.BytesIO()
    wb.save(buf)
    client_for(client, project.owner)
    upload(client, measure, "data.xlsx", buf.getvalue())
    imp = DataImport.objects.get()
    assert imp.status == "ready", imp.errors
    client.post(reverse("measures:import_commit", args=[imp.public_id]))
    assert DataPoint.objects.filter(measure=measure, numerator=3, denominator=10).exists()


def _xlsx_with_formula() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["period", "value"])
    ws.append([date(2021, 1, 1), 4])
    ws.append([date(2021, 2, 1), "=B2*2"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


BAD_FILES = {
    "text in a number column": (
        "d.csv",
        csv_of(["2021-01-01,4,", "2021-02-01,four,"]),
        3,
        "value",
        "not a number",
    ),
    "duplicate periods": ("d.csv", csv_of(["2021-01-01,4,", "2021-01-01,5,"]), 3, "period", "also on row 2"),
    "mixed date formats": (
        "d.csv",
        csv_of(["2021-01-01,4,", "01/02/2021,5,"]),
        3,
        "period",
        "more than one way",
    ),
    "a formula in a CSV cell": (
        "d.csv",
        csv_of(["2021-01-01,4,", "2021-02-01,=1+1,"]),
        3,
        "value",
        "formula",
    ),
    "a formula in an XLSX cell": ("d.xlsx", _xlsx_with_formula(), 3, "value", "formula"),
    "wrong columns": (
        "d.csv",
        csv_of(["2021-01-01,4"], header="when,amount"),
        1,
        "Period (date)",
        "No column",
    ),
    "a date that is not a date": ("d.csv", csv_of(["2021-13-45,4,"]), 2, "period", "not a date"),
    "a negative count": ("d.csv", csv_of(["2021-01-01,-4,"]), 2, "value", "whole number"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_get_a_per_row_report_and_nothing_is_written(client, project, case):
    name, content, row, column, problem = BAD_FILES[case]
    measure = make_measure(project, values=[1])
    client_for(client, project.owner)
    upload(client, measure, name, content)
    imp = DataImport.objects.get()
    assert imp.status == "invalid"
    assert any(e["row"] == row and e["column"] == column and problem in e["problem"] for e in imp.errors), (
        imp.errors
    )
    page = client.get(imp.get_absolute_url()).content.decode()
    assert "nothing has been imported" in page and "Import 1 row" not in page
    response = client.post(reverse("measures:import_commit", args=[imp.public_id]))
    assert response.status_code == 302
    assert list(DataPoint.objects.filter(measure=measure).values_list("value", flat=True)) == [1]


def test_numerators_above_denominators_are_reported_by_row(client, project):
    measure = make_measure(project, kind="proportion", values=[])
    client_for(client, project.owner)
    upload(
        client,
        measure,
        "d.csv",
        csv_of(["2021-01-01,3,10", "2021-02-01,12,10"], header="period,numerator,denominator"),
    )
    imp = DataImport.objects.get()
    assert imp.errors == [{"row": 3, "column": "numerator", "problem": imp.errors[0]["problem"]}]
    assert "larger than the denominator" in imp.errors[0]["problem"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"%PDF-1.4", "Upload a CSV file"),
        ("data.xlsx", b"period,value\n", "not an Excel workbook"),
        ("data.csv", b"PK\x03\x04rest", "not text"),
        ("data.xls", b"\xd0\xcf\x11\xe0", "Old Excel files"),
        ("data.csv", "period,value\n2021-01-01,4\n".encode("utf-16"), "not text"),
        ("data.csv", "period,value\n2021-01-01,4,caf\u00e9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_files_that_are_not_csv_or_xlsx_are_refused(client, project, name, content, message):
    measure = make_measure(project, values=[])
    client_for(client, project.owner)
    response = upload(client, measure, name, content)
    body = response.content.decode()
    if response.status_code == 302:  # read as a file, refused when its rows are read
        imp = DataImport.objects.get()
        assert imp.status == "invalid" and message in imp.errors[0]["problem"]
    else:
        assert "There is a problem" in body and message in body
    assert not DataPoint.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read_in_full(client, project, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_BYTES": 2048}
    measure = make_measure(project, values=[])
    client_for(client, project.owner)
    content = csv_of([f"2021-01-{d:02d},1,{'x' * 200}" for d in range(1, 20)])
    assert len(content) > 4000
    response = upload(client, measure, "d.csv", content)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The file is larger than 2 KB, the largest file that can be imported." in body
    assert not DataImport.objects.exists()


def test_choosing_the_columns_fixes_a_file_with_other_names(client, project):
    measure = make_measure(project, values=[])
    client_for(client, project.owner)
    upload(client, measure, "d.csv", csv_of(["2021-01-01,4", "2021-02-01,5"], header="when,amount"))
    imp = DataImport.objects.get()
    assert imp.status == "invalid"
    client.post(
        reverse("measures:import_mapping", args=[imp.public_id]), {"period": "when", "value": "amount"}
    )
    imp.refresh_from_db()
    assert imp.status == "ready" and imp.rows_new == 2


def test_columns_changed_then_import_pressed_are_checked_again_not_imported_unseen(client, project):
    """The columns and the Import button are one form: changing a column and pressing Import checks the file
    with the new columns and shows the preview again; pressing Import once more imports what was previewed."""
    measure = make_measure(project, values=[])
    client_for(client, project.owner)
    upload(client, measure, "d.csv", csv_of(["2021-01-01,4,9", "2021-02-01,5,8"], header="when,amount,other"))
    imp = DataImport.objects.get()
    client.post(
        reverse("measures:import_mapping", args=[imp.public_id]), {"period": "when", "value": "amount"}
    )
    imp.refresh_from_db()
    assert imp.status == "ready" and imp.mapping["value"] == "amount"
    page = client.get(imp.get_absolute_url()).content.decode()
    assert 'formaction="' + reverse("measures:import_commit", args=[imp.public_id]) in page
    commit = reverse("measures:import_commit", args=[imp.public_id])
    response = client.post(commit, {"period": "when", "value": "other"}, follow=True)
    imp.refresh_from_db()
    assert imp.status == "ready" and imp.mapping["value"] == "other"  # checked again, nothing written
    assert not measure.points.exists()
    assert "You changed the columns, so nothing was imported yet" in response.content.decode()
    client.post(commit, {"period": "when", "value": "other"})
    assert sorted(measure.points.values_list("value", flat=True)) == [8, 9]


def test_a_failure_while_writing_leaves_nothing_half_written(client, project, monkeypatch):
    measure = make_measure(project, values=[1])
    client_for(client, project.owner)
    monkeypatch.setattr(imports, "BATCH", 5)
    upload(client, measure, "d.csv", csv_of([f"2022-{m:02d}-01,{m}," for m in range(1, 13)]))
    imp = DataImport.objects.get()
    calls = {"n": 0}
    real = imports._executemany

    def failing(cursor, sql, rows):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(cursor, sql, rows)

    monkeypatch.setattr(imports, "_executemany", failing)
    with pytest.raises(RuntimeError):
        imports.import_commit(data_import=imp, actor=project.owner)
    assert DataPoint.objects.filter(measure=measure).count() == 1
    assert not DataPointChange.objects.filter(source=imp).exists()
    imp.refresh_from_db()
    assert imp.status == "failed"


row = st.tuples(
    st.one_of(
        st.dates(date(2020, 1, 1), date(2020, 3, 31)).map(str), st.sampled_from(["", "31/02/2020", "x"])
    ),
    st.one_of(st.integers(-2, 50).map(str), st.sampled_from(["", "1.5", "=A1", "ten", "1e400"])),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=30), fail_after=st.one_of(st.none(), st.integers(1, 4)))
def test_a_generated_file_is_imported_whole_or_not_at_all(project, monkeypatch, rows, fail_after):
    """Any file, and a write that fails after ``fail_after`` batches (of 3 rows): all of it, or none of it."""
    from shiftpractice.measures.models import Measure

    Measure.objects.filter(project=project).delete()
    measure = make_measure(project, values=[7], frequency="day")
    before = set(DataPoint.objects.filter(measure=measure).values_list("period", "value"))
    content = csv_of([f"{p},{v}" for p, v in rows], header="period,value")
    imp = imports.import_upload(
        measure=measure, uploaded=SimpleUploadedFile("g.csv", content), actor=project.owner
    )
    imports.import_check(imp)
    batches = {"n": 0}
    real = imports._executemany

    def flaky(cursor, sql, batch):
        batches["n"] += 1
        if fail_after is not None and batches["n"] > fail_after:
            raise RuntimeError("the database went away mid-import")
        return real(cursor, sql, batch)

    with monkeypatch.context() as m:
        m.setattr(imports, "BATCH", 3)
        m.setattr(imports, "_executemany", flaky)
        try:
            imports.import_commit(data_import=imp, actor=project.owner)
        except Exception:  # refused (ValidationError) or failed (RuntimeError): both checked below
            imp.refresh_from_db()  # what was recorded, not what the instance in memory says
            assert imp.status in ("invalid", "failed"), imp.status
            assert set(DataPoint.objects.filter(measure=measure).values_list("period", "value")) == before
            assert not DataPointChange.objects.filter(source=imp).exists()
            return
    imp.refresh_from_db()
    assert imp.status == "done"
    assert fail_after is None or batches["n"] <= fail_after  # a write that did not fail wrote few batches
    # Blank rows are skipped; every other row has a date and was written.
    periods = {date.fromisoformat(p) for p, v in rows if p or v}
    stored = set(DataPoint.objects.filter(measure=measure).values_list("period", flat=True))
    assert periods <= stored
    assert len(stored) == len(periods | {date(2021, 1, 1)})
    assert DataPointChange.objects.filter(source=imp).count() == imp.rows_new + imp.rows_changed


def test_a_large_file_is_checked_and_imported_streamed_in_bounded_time_and_memory(project):
    """20,000 rows here (100,000 in benchmarks/pages_bench.py): the cost is linear, the memory flat."""
    measure = make_measure(project, kind="continuous", frequency="day", values=[])
    start = date(1970, 1, 1)
    lines = ["period,value,note"] + [f"{start + timedelta(days=i)},{i % 97}.5," for i in range(20_000)]
    content = "\n".join(lines).encode()
    tracemalloc.start()
    t0 = time.perf_counter()
    imp = imports.import_upload(
        measure=measure, uploaded=SimpleUploadedFile("big.csv", content), actor=project.owner
    )
    imports.import_check(imp)
    assert imp.status == "ready", imp.errors
    imports.import_commit(data_import=imp, actor=project.owner)
    elapsed = time.perf_counter() - t0
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert DataPoint.objects.filter(measure=measure).count() == 20_000
    assert elapsed < 60
    assert peak < 80 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
