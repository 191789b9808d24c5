"""Pasting many periods at once: how text is read, the preview, saving all or nothing through the import,
and who may do it."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from shiftpractice.core.models import AuditEvent
from shiftpractice.measures import paste, services
from shiftpractice.measures.choices import ImportStatus
from shiftpractice.measures.models import DataImport, DataPoint, DataPointChange
from shiftpractice.projects import services as project_services
from tests.factories import MembershipFactory, UserFactory

from .conftest import make_measure, month
from .test_permissions import people, set_visibility

TWENTY = "\n".join(str(10 + i % 4) for i in range(20))


@pytest.fixture
def empty(project):
    return make_measure(project, name="Waiting time", kind="continuous", values=[])


@pytest.fixture
def ratio(project):
    return make_measure(project, name="Seen in time", kind="proportion", values=[])


def values(measure):
    return dict(DataPoint.objects.filter(measure=measure).values_list("period", "value"))


# Reading the text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("1,234", "1234"),
        ("12,345,678.5", "12345678.5"),
        ("3,5", "3.5"),
        ("0,25", "0.25"),
        ("1,2345", "1.2345"),
        ("-2,5", "-2.5"),
        (" 7 ", "7"),
        ("1\u00a0234", "1234"),
        ("12,34,5", "12,34,5"),  # neither rule: left for the import's checker to name
    ],
)
def test_commas_in_numbers_follow_one_rule(cell, text):
    assert paste.number_text(cell) == text


def test_a_column_of_values_takes_consecutive_periods_from_the_first(empty):
    result = paste.read_paste(empty, "12\n\n 14 \n1,234\n3,5\n", date(2024, 3, 17))
    assert result.ok, result.field_errors
    assert [(r.period, r.value) for r in result.parsed] == [
        (date(2024, 3, 1), 12.0),
        (date(2024, 4, 1), 14.0),
        (date(2024, 5, 1), 1234.0),
        (date(2024, 6, 1), 3.5),
    ]
    assert [r.line for r in result.rows] == [
        1,
        3,
        4,
        5,
    ]  # the blank line is skipped, lines keep their numbers
    assert result.new == 4 and not result.changed


def test_weekly_and_quarterly_periods_step_by_their_frequency(project):
    weekly = make_measure(project, name="Weekly", values=[], frequency="week")
    result = paste.read_paste(weekly, "1\n2\n3", date(2024, 1, 3))
    assert [r.period for r in result.parsed] == [date(2024, 1, 1), date(2024, 1, 8), date(2024, 1, 15)]
    quarterly = make_measure(project, name="Quarterly", values=[], frequency="quarter")
    result = paste.read_paste(quarterly, "1\n2\n3", date(2024, 11, 3))
    assert [r.period for r in result.parsed] == [date(2024, 10, 1), date(2025, 1, 1), date(2025, 4, 1)]


def test_period_and_value_pairs_from_a_spreadsheet_with_a_header(empty):
    text = "Month\tReferrals\n01/01/2024\t1,234\n01/02/2024\t17\n\t\n01/03/2024\t2,5\n"
    result = paste.read_paste(empty, text)
    assert result.ok, result.field_errors
    assert result.header == ["Month", "Referrals"]
    assert "read as column names" in result.notices[0]
    assert [(r.period, r.value) for r in result.parsed] == [
        (date(2024, 1, 1), 1234.0),
        (date(2024, 2, 1), 17.0),
        (date(2024, 3, 1), 2.5),
    ]


def test_semicolons_and_commas_separate_columns(empty, ratio):
    result = paste.read_paste(empty, "2024-01-01;3,5\n2024-02-01;4")
    assert [r.value for r in result.parsed] == [3.5, 4.0]
    result = paste.read_paste(ratio, "3,5\n4,8", date(2024, 1, 1))
    assert [(r.numerator, r.denominator) for r in result.parsed] == [(3.0, 5.0), (4.0, 8.0)]


def test_named_columns_choose_the_order(ratio):
    result = paste.read_paste(ratio, "denominator\tnumerator\tdate\n10\t3\t2024-01-01\n")
    assert result.ok, result.field_errors
    assert (result.parsed[0].numerator, result.parsed[0].denominator) == (3.0, 10.0)


def test_a_ratio_measure_needs_both_numbers_and_the_field_says_so(ratio):
    form_hint = paste.read_paste(ratio, "3\n4", date(2024, 1, 1))
    assert "needs a numerator and a denominator" in form_hint.field_errors["text"]
    result = paste.read_paste(ratio, "3\t5\n\t5\n6\t5", date(2024, 1, 1))
    assert not result.ok
    problems = {r.line: r.problems for r in result.rows if r.problems}
    assert list(problems) == [2, 3]
    assert "Enter the numerator" in problems[2][0]
    assert "larger than the denominator" in problems[3][0]
    assert result.field_errors["text"].startswith("2 problems")


def test_row_level_problems_name_the_line_and_column(empty):
    text = "2024-01-01\t5\n2024-02-01\tabc\n2024-01-15\t6\n2024-03-01\t=A1\n2024-04-01\t1\t2\t3\n"
    result = paste.read_paste(empty, text)
    assert (not result.ok and not result.parsed) or result.problem_count == 4
    by_line = {r.line: " ".join(r.problems) for r in result.rows}
    assert "“abc” is not a number" in by_line[2]
    assert "also on row 1" in by_line[3]  # 15 January is January's period, already on line 1
    assert "formula" in by_line[4]
    assert "4 columns" in by_line[5]
    assert by_line[1] == ""


def test_nothing_pasted_and_no_first_period_are_field_errors(empty):
    assert "at least one row" in paste.read_paste(empty, "\n \n\t\n").field_errors["text"]
    assert "at least one row" in paste.read_paste(empty, "Month\tValue\n").field_errors["text"]
    assert "period of the first row" in paste.read_paste(empty, "1\n2").field_errors["first_period"]


def test_each_event_needs_dates(project):
    events = make_measure(project, name="Falls", values=[], frequency="event")
    assert (
        "every line needs its date" in paste.read_paste(events, "1\n2", date(2024, 1, 1)).field_errors["text"]
    )


def test_more_rows_than_the_limit_are_refused_whole(empty, settings):
    text = "\n".join("1" for _ in range(paste.PASTE_MAX_ROWS + 1))
    result = paste.read_paste(empty, text, date(2000, 1, 1))
    assert f"at most {paste.PASTE_MAX_ROWS:,}" in result.field_errors["text"] and not result.parsed
    # The import's own row limit bounds a paste too.
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_ROWS": 5}
    result = paste.read_paste(empty, "1\n2\n3\n4\n5\n6", date(2024, 1, 1))
    assert "You pasted 6 rows; at most 5" in result.field_errors["text"]


def test_periods_with_data_are_said_to_be_replaced(measure):
    # measure has SHIFT values from Jan 2021: 10, 11, 9...
    result = paste.read_paste(measure, "2021-01-01\t10\n2021-02-01\t20\n2023-01-01\t5\n")
    assert (result.unchanged, result.changed, result.new) == (1, 1, 1)
    change = next(r for r in result.rows if r.action == "change")
    assert change.old == "11"


def test_values_continue_after_the_latest_period_by_default(measure, client, world):
    client_for(client, world.people["participant"])
    response = client.get(reverse("measures:paste", args=[measure.public_id]))
    assert "Leave blank to start at 1 Nov 2022" in response.content.decode()  # SHIFT has 22 months


# Saving --------------------------------------------------------------------------------------------------


def _check_then_save(client, measure, data):
    url = reverse("measures:paste", args=[measure.public_id])
    checked = client.post(url, {**data, "check": "1"})
    fingerprint = checked.context["checked"]
    return checked, client.post(url, {**data, "save": "1", "checked": fingerprint})


def test_check_then_save_writes_through_the_import(client, world, empty):
    client_for(client, world.people["participant"])
    url = reverse("measures:paste", args=[empty.public_id])
    data = {"text": TWENTY, "first_period": "2024-01-01"}
    checked = client.post(url, {**data, "check": "1"})
    assert checked.status_code == 200 and not DataPoint.objects.filter(measure=empty).exists()
    body = checked.content.decode()
    assert "Save 20 periods" in body and TWENTY in body and "<strong>20 new</strong>" in body
    saved = client.post(url, {**data, "save": "1", "checked": checked.context["checked"]})
    assert saved.status_code == 302 and saved["Location"] == empty.get_absolute_url()
    assert len(values(empty)) == 20 and values(empty)[date(2025, 8, 1)] == 13.0
    data_import = DataImport.objects.get(measure=empty)
    assert data_import.status == ImportStatus.DONE and data_import.original_name == paste.FILE_NAME
    assert DataPointChange.objects.filter(measure=empty, source=data_import).count() == 20
    assert AuditEvent.objects.filter(verb="measure.imported").exists()


def test_save_replaces_periods_and_keeps_their_notes(client, world, measure):
    DataPoint.objects.filter(measure=measure, period=month(0)).update(note="bank holiday")
    client_for(client, world.people["participant"])
    _check_then_save(client, measure, {"text": "2021-01-01\t99\n2021-02-01\t11\n"})
    point = DataPoint.objects.get(measure=measure, period=month(0))
    assert (point.value, point.note) == (99.0, "bank holiday")
    assert DataPointChange.objects.filter(measure=measure, action="changed").count() == 1


def test_a_paste_with_any_problem_saves_nothing_and_keeps_the_text(client, world, empty):
    client_for(client, world.people["participant"])
    url = reverse("measures:paste", args=[empty.public_id])
    text = "2024-01-01\t5\n2024-02-01\tfive\n"
    response = client.post(url, {"text": text, "save": "1", "checked": "x"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body and "“five” is not a number" in body
    assert "2024-02-01\tfive" in body  # what was typed is kept
    assert not DataPoint.objects.filter(measure=empty).exists() and not DataImport.objects.exists()


def test_saving_what_was_not_checked_shows_the_preview_again(client, world, empty):
    client_for(client, world.people["participant"])
    url = reverse("measures:paste", args=[empty.public_id])
    response = client.post(url, {"text": "1\n2", "first_period": "2024-01-01", "save": "1", "checked": "old"})
    assert response.status_code == 200 and "changed after it was checked" in response.content.decode()
    assert not DataPoint.objects.filter(measure=empty).exists()
    # ...and a change to the measure's data between check and save does the same.
    checked = client.post(url, {"text": "1\n2", "first_period": "2024-01-01", "check": "1"})
    services.point_save(measure=empty, period=date(2023, 1, 1), value=1, actor=empty.project.owner)
    response = client.post(
        url,
        {"text": "1\n2", "first_period": "2024-01-01", "save": "1", "checked": checked.context["checked"]},
    )
    assert "changed after it was checked" in response.content.decode()
    assert list(values(empty)) == [date(2023, 1, 1)]


def test_the_save_is_all_or_nothing_when_the_import_refuses(empty, world, monkeypatch):
    """A problem found by the import's own check (here: rows that changed after the paste was read) cancels
    the import and writes nothing."""
    monkeypatch.setattr(paste, "as_csv", lambda measure, rows: b"period,value\n2024-01-01,1\n2024-01-01,2\n")
    with pytest.raises(Exception, match="one row per period"):
        paste.paste_save(measure=empty, text="1\n2", first_period=date(2024, 1, 1), actor=empty.project.owner)
    assert not DataPoint.objects.filter(measure=empty).exists()
    assert DataImport.objects.get(measure=empty).status == ImportStatus.CANCELLED


# Who may paste ------------------------------------------------------------------------------------------


@pytest.fixture
def teammate(world, project):
    person = UserFactory(full_name="Tia Teammate")
    MembershipFactory(cohort=world.cohort, user=person, role="participant")
    project_services.member_add(project=project, user=person, actor=project.owner)
    return person


@pytest.mark.parametrize("setting", ["team", "programme", "public"])
def test_only_the_team_may_paste(client, world, project, empty, teammate, setting):
    set_visibility(project, setting, world)
    who = {**people(world), "teammate": teammate}
    url = reverse("measures:paste", args=[empty.public_id])
    refused = {
        "coach": 403,
        "lead": 403,
        "critical_friend": 403,
        "other_participant": 403 if setting != "team" else 404,
        "outsider": 404,
        "anonymous": 302,
    }
    for persona, person in who.items():
        client.logout()
        client_for(client, person)
        get = client.get(url)
        post = client.post(url, {"text": "7", "first_period": "2024-01-01", "save": "1"})
        if persona in ("owner", "teammate"):
            assert get.status_code == 200, persona
            assert post.status_code == 200, persona  # unchecked: the preview, not a save
        else:
            assert (get.status_code, post.status_code) == (refused[persona], refused[persona]), (
                persona,
                setting,
            )
    assert not DataPoint.objects.filter(measure=empty).exists()


def test_the_measure_page_links_to_paste_for_the_team_only(client, world, project, empty):
    set_visibility(project, "programme", world)
    link = reverse("measures:paste", args=[empty.public_id])
    assert (
        link in client_for(client, world.people["participant"]).get(empty.get_absolute_url()).content.decode()
    )
    client.logout()
    assert link not in client_for(client, world.people["lead"]).get(empty.get_absolute_url()).content.decode()


def test_the_preview_and_the_save_run_a_fixed_number_of_queries(client, world, project):
    client_for(client, world.people["participant"])

    def queries(measure, n, action):
        url = reverse("measures:paste", args=[measure.public_id])
        data = {"text": "\n".join(f"{month(i).isoformat()}\t{i}" for i in range(n)), "check": "1"}
        if action == "save":
            data = {**data, "save": "1", "checked": client.post(url, data).context["checked"]}
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, data)
        assert response.status_code == (302 if action == "save" else 200)
        return len(ctx.captured_queries)

    for action in ("check", "save"):
        small = make_measure(project, name=f"Small {action}", values=[1] * 3)
        large = make_measure(project, name=f"Large {action}", values=[1] * 300)
        assert queries(small, 5, action) == queries(large, 600, action), action


def test_text_longer_than_a_form_takes_is_refused_with_its_length(client, world, empty, settings):
    client_for(client, world.people["participant"])
    text = "\n".join(["12345.678"] * 2100)  # 20,999 characters
    response = client.post(
        reverse("measures:paste", args=[empty.public_id]), {"text": text, "first_period": "2000-01-01"}
    )
    assert response.status_code == 400
    assert f"must be {settings.FORM_TEXT_MAX_LENGTH:,} characters or fewer" in response.content.decode()
    assert not DataImport.objects.exists()
