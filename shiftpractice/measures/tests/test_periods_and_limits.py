"""One point per period whatever the path, dates within bounds, and the limits and claims of imports."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.measures import imports, services
from shiftpractice.measures.models import DataImport, DataPoint, DataPointChange

from .conftest import make_measure


@pytest.mark.parametrize(
    ("frequency", "typed", "period"),
    [
        ("month", date(2021, 3, 17), date(2021, 3, 1)),
        ("quarter", date(2021, 8, 30), date(2021, 7, 1)),
        ("week", date(2021, 1, 7), date(2021, 1, 4)),  # a Thursday -> its Monday
        ("day", date(2021, 1, 7), date(2021, 1, 7)),
        ("event", date(2021, 1, 7), date(2021, 1, 7)),
    ],
)
def test_the_table_and_an_import_read_a_date_as_the_same_period(client, project, frequency, typed, period):
    from shiftpractice.measures.periods import normalise_period

    assert normalise_period(frequency, typed) == period
    measure = make_measure(project, values=[], frequency=frequency)
    services.point_save(measure=measure, period=typed, value=1, actor=project.owner)
    services.point_save(measure=measure, period=typed + timedelta(days=1), value=2, actor=project.owner)
    client_for(client, project.owner)
    client.post(
        reverse("measures:data", args=[measure.public_id]),
        {"add-period": typed.isoformat(), "add-value": "3"},
    )
    imp = imports.import_upload(
        measure=measure,
        uploaded=SimpleUploadedFile("d.csv", f"period,value\n{typed},4\n".encode()),
        actor=project.owner,
    )
    imports.import_check(imp)
    assert (imp.rows_new, imp.rows_changed) == (0, 1), imp.errors
    imports.import_commit(data_import=imp, actor=project.owner)
    points = list(DataPoint.objects.filter(measure=measure).values_list("period", "value"))
    if frequency in ("day", "event"):
        assert points == [(period, 4), (period + timedelta(days=1), 2)]
    else:
        assert points == [(period, 4)]


def test_a_monthly_measure_never_has_two_points_in_a_month(project):
    measure = make_measure(project, values=[], frequency="month")
    services.point_save(measure=measure, period=date(2021, 4, 1), value=1, actor=project.owner)
    services.point_save(measure=measure, period=date(2021, 4, 20), value=2, actor=project.owner)
    assert list(DataPoint.objects.values_list("period", "value")) == [(date(2021, 4, 1), 2)]
    services.point_delete(measure=measure, period=date(2021, 4, 30), actor=project.owner)
    assert not DataPoint.objects.exists()


def test_changing_the_frequency_moves_points_to_their_periods_or_says_what_clashes(project):
    measure = make_measure(project, values=[], frequency="day")
    for d in (date(2021, 1, 6), date(2021, 2, 10)):
        services.point_save(measure=measure, period=d, value=1, actor=project.owner)
    services.measure_update(measure=measure, actor=project.owner, frequency="month")
    assert list(DataPoint.objects.values_list("period", flat=True)) == [date(2021, 1, 1), date(2021, 2, 1)]
    assert DataPointChange.objects.filter(measure=measure, old__period="2021-01-06").exists()
    measure.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.measure_update(measure=measure, actor=project.owner, frequency="quarter")
    assert "would both be the period 1 Jan 2021" in str(caught.value)
    assert DataPoint.objects.filter(measure=measure).count() == 2


@pytest.mark.parametrize("typed", ["0021-04-01", "2201-01-01", "1799-12-31"])
def test_dates_out_of_range_are_refused_with_a_clear_message(client, project, typed):
    measure = make_measure(project, values=[], frequency="day")
    client_for(client, project.owner)
    response = client.post(
        reverse("measures:data", args=[measure.public_id]), {"add-period": typed, "add-value": "3"}
    )
    assert response.status_code == 400
    assert "Enter a date between 1 Jan 1800 and 31 Dec 2199" in response.content.decode()
    with pytest.raises(ValidationError):
        services.point_save(measure=measure, period=date.fromisoformat(typed), value=1, actor=project.owner)
    imp = imports.import_upload(
        measure=measure,
        uploaded=SimpleUploadedFile("d.csv", f"period,value\n{typed},4\n".encode()),
        actor=project.owner,
    )
    imports.import_check(imp)
    assert imp.status == "invalid"
    assert imp.errors[0]["row"] == 2 and "between 1 Jan 1800" in imp.errors[0]["problem"]
    assert not DataPoint.objects.exists()


# Limits of an import ----------------------------------------------------------------------------------


def _upload(project, measure, text: str):
    return imports.import_upload(
        measure=measure, uploaded=SimpleUploadedFile("d.csv", text.encode()), actor=project.owner
    )


def test_a_file_with_too_many_rows_is_refused_without_reading_it_all(project, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_ROWS": 5}
    measure = make_measure(project, values=[], frequency="day")
    with pytest.raises(imports.FileRefused) as refused:
        _upload(project, measure, "period,value\n" + "".join(f"2021-01-{d:02d},1\n" for d in range(1, 8)))
    assert refused.value.messages == [
        "The file has more than 5 rows; at most 5 can be imported at once. Split it into smaller files."
    ]
    assert not DataImport.objects.exists()


def test_a_file_with_too_many_columns_is_refused_at_upload(project, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_COLUMNS": 3}
    measure = make_measure(project, values=[], frequency="day")
    with pytest.raises(imports.FileRefused, match="The file has 4 columns; at most 3"):
        _upload(project, measure, "period,value,note,extra\n2021-01-01,1,,\n")
    assert not DataImport.objects.exists()
    imp = _upload(project, measure, "period,value,note,,\n2021-01-01,1,,,,,,\n")  # empty trailing columns
    imports.import_check(imp)
    assert imp.status == "ready", imp.errors


def test_an_import_is_written_once_however_many_times_it_is_confirmed(client, project):
    measure = make_measure(project, values=[], frequency="day")
    imp = _upload(project, measure, "period,value\n2021-01-01,1\n2021-01-02,2\n")
    imports.import_check(imp)
    stale = DataImport.objects.get(pk=imp.pk)  # a second request that loaded the import as READY
    imports.import_commit(data_import=imp, actor=project.owner)
    with pytest.raises(ValidationError, match="only once"):
        imports.import_commit(data_import=stale, actor=project.owner)
    assert DataPointChange.objects.filter(source=imp).count() == 2
    assert DataImport.objects.get(pk=imp.pk).status == "done"


def test_the_page_enqueues_a_large_import_only_for_the_request_that_claims_it(
    client, project, monkeypatch, django_capture_on_commit_callbacks
):
    from shiftpractice.measures import tasks
    from shiftpractice.measures.views import imports as import_views

    monkeypatch.setattr(imports, "INLINE_BYTES", 10)
    measure = make_measure(project, values=[], frequency="day")
    imp = _upload(project, measure, "period,value\n2021-01-01,1\n")
    imports.import_check(imp)
    queued = []
    monkeypatch.setattr(tasks, "commit_import", SimpleNamespace(enqueue=lambda **kw: queued.append(kw)))
    client_for(client, project.owner)
    url = reverse("measures:import_commit", args=[imp.public_id])
    # Both requests read the import while it is READY; only the one whose UPDATE claims it enqueues.
    real_get = import_views.get_import_for_user
    monkeypatch.setattr(import_views, "get_import_for_user", lambda *a: DataImport.objects.get(pk=imp.pk))
    ready = real_get(project.owner, imp.public_id)
    assert ready.status == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        DataImport.objects.filter(pk=imp.pk).update(status="ready")  # as the second request saw it...
        imports.claim(ready)  # ...but the first request's claim is already in place
        client.post(url)
    assert len(queued) == 1


def test_a_file_removed_before_the_commit_fails_the_import_clearly(project):
    measure = make_measure(project, values=[], frequency="day")
    imp = _upload(project, measure, "period,value\n2021-01-01,1\n")
    imports.import_check(imp)
    imp.file.storage.delete(imp.file.name)
    with pytest.raises(ValidationError, match="no longer stored"):
        imports.import_commit(data_import=imp, actor=project.owner)
    imp.refresh_from_db()
    assert imp.status == "failed" and "Upload it again" in imp.notices[-1]
    assert not DataPoint.objects.exists()


def test_prune_imports_removes_old_stored_files_only(project):
    measure = make_measure(project, values=[], frequency="day")
    made = {}
    for status in ("ready", "invalid", "failed", "done", "checking", "importing"):
        imp = _upload(project, measure, "period,value\n2021-01-01,1\n")
        DataImport.objects.filter(pk=imp.pk).update(
            status=status, created_at=timezone.now() - timedelta(days=8)
        )
        made[status] = imp
    recent = _upload(project, measure, "period,value\n2021-01-01,1\n")
    DataImport.objects.filter(pk=recent.pk).update(status="ready")
    call_command("prune_imports")
    storage = recent.file.storage
    for status, imp in made.items():
        imp.refresh_from_db()
        if status in ("checking", "importing"):
            assert imp.file and storage.exists(imp.file.name), status
        else:
            assert not imp.file, status
    assert not storage.exists(made["ready"].file.name or "measure-imports/" + made["ready"].public_id.hex)
    assert made["ready"].status == "failed" and "no longer stored" in made["ready"].notices[-1]
    recent.refresh_from_db()
    assert recent.file and storage.exists(recent.file.name) and recent.status == "ready"
    call_command("prune_imports", days=0)
    recent.refresh_from_db()
    assert not recent.file
