"""The editable data table (with and without htmx) and large imports on the task worker with progress."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from shiftpractice.measures import imports
from shiftpractice.measures.models import DataImport, DataPoint

from .conftest import make_measure, month


def test_adding_editing_and_deleting_rows_without_javascript(client, project):
    measure = make_measure(project, values=[1, 2])
    client_for(client, project.owner)
    url = reverse("measures:data", args=[measure.public_id])
    response = client.post(url, {"add-period": "2021-03-01", "add-value": "7"})
    assert response.status_code == 302
    assert client.post(url, {"period": "2021-01-01", "value": "4", "note": "Recount"}).status_code == 302
    confirm = reverse("measures:point_delete", args=[measure.public_id, "2021-02-01"])
    response = client.post(url, {"period": "2021-02-01", "delete": "1"})  # a one-click delete only asks
    assert response.status_code == 302 and response.url == confirm and DataPoint.objects.count() == 3
    assert client.post(confirm, {"confirm": "yes"}).status_code == 302
    assert dict(DataPoint.objects.values_list("period", "value")) == {month(0): 4, month(2): 7}
    response = client.post(url, {"period": "2021-01-01", "value": "-3"})
    body = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in body and "whole number" in body
    assert DataPoint.objects.get(period=month(0)).value == 4


def test_a_row_saves_in_place_with_htmx(client, project):
    measure = make_measure(project, values=[1])
    client_for(client, project.owner)
    url = reverse("measures:data", args=[measure.public_id])
    response = client.post(url, {"period": "2021-01-01", "value": "5"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<tr") and "Saved" in body
    response = client.post(url, {"period": "2021-01-01", "value": "x"}, headers={"HX-Request": "true"})
    assert "nhsuk-error-message" in response.content.decode()
    response = client.post(url, {"period": "2021-01-01", "delete": "1"}, headers={"HX-Request": "true"})
    confirm = reverse("measures:point_delete", args=[measure.public_id, "2021-01-01"])
    assert response["HX-Redirect"] == confirm and DataPoint.objects.count() == 1  # it asks first


def test_a_large_file_is_checked_and_imported_on_the_task_worker(
    client, project, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "INLINE_BYTES", 10)
    measure = make_measure(project, values=[])
    client_for(client, project.owner)
    content = b"period,value\n" + b"".join(f"2021-{m:02d}-01,{m}\n".encode() for m in range(1, 13))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("measures:upload", args=[measure.public_id]),
            {"file": SimpleUploadedFile("d.csv", content)},
        )
    imp = DataImport.objects.get()
    assert imp.status == "ready" and imp.rows_new == 12
    status_url = reverse("measures:import_status", args=[imp.public_id])
    assert client.get(status_url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("measures:import_commit", args=[imp.public_id]))
    imp.refresh_from_db()
    assert imp.status == "done" and DataPoint.objects.filter(measure=measure).count() == 12


def test_progress_is_shown_while_checking(client, project):
    measure = make_measure(project, values=[])
    imp = imports.import_upload(
        measure=measure,
        uploaded=SimpleUploadedFile("d.csv", b"period,value\n2021-01-01,1\n"),
        actor=project.owner,
    )
    client_for(client, project.owner)
    body = client.get(imp.get_absolute_url()).content.decode()
    assert "Checking the file: 0 rows checked so far" in body and 'hx-trigger="every 1s"' in body
    assert "Refresh to see the progress" in body


def test_cancelling_deletes_the_file_and_writes_nothing(client, project):
    measure = make_measure(project, values=[])
    imp = imports.import_upload(
        measure=measure,
        uploaded=SimpleUploadedFile("d.csv", b"period,value\n2021-01-01,1\n"),
        actor=project.owner,
    )
    imports.import_check(imp)
    client_for(client, project.owner)
    client.post(reverse("measures:import_cancel", args=[imp.public_id]))
    imp.refresh_from_db()
    assert imp.status == "cancelled" and not imp.file and not DataPoint.objects.exists()


def test_an_export_imports_again_unchanged(client, project):
    measure = make_measure(project, kind="proportion", values=[(3, 10), (5, 10)])
    client_for(client, project.owner)
    exported = client.get(reverse("measures:export_csv", args=[measure.public_id])).content
    imp = imports.import_upload(
        measure=measure, uploaded=SimpleUploadedFile("e.csv", exported), actor=project.owner
    )
    imports.import_check(imp)
    assert (imp.status, imp.rows_unchanged, imp.rows_new) == ("ready", 2, 0), imp.errors
    assert any("not imported" in n for n in imp.notices)
    response = client.get(reverse("measures:project_xlsx", args=[project.public_id]))
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(response.content), read_only=True)
    assert wb.sheetnames[0] == "Measures" and len(wb.sheetnames) == 2
