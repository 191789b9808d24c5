"""Data points: one per period, checked for the kind of data, every change recorded with who and when."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shiftpractice.measures import services
from shiftpractice.measures.models import DataPoint, DataPointChange

from .conftest import make_measure, month


def test_every_change_is_recorded_with_who_and_when(project):
    measure = make_measure(project, values=[])
    owner = project.owner
    services.point_save(measure=measure, period=month(0), value=3, actor=owner)
    services.point_save(measure=measure, period=month(0), value=3, actor=owner)  # no change, no record
    services.point_save(measure=measure, period=month(0), value=4, note="Recount", actor=owner)
    services.point_delete(measure=measure, period=month(0), actor=owner)
    changes = list(DataPointChange.objects.filter(measure=measure).order_by("id"))
    assert [c.action for c in changes] == ["created", "changed", "deleted"]
    assert changes[1].old["value"] == 3 and changes[1].new["value"] == 4 and changes[1].changed_by == owner
    assert all(c.changed_at for c in changes)
    assert not DataPoint.objects.filter(measure=measure).exists()


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("proportion", {"numerator": 12, "denominator": 10}, "numerator"),
        ("proportion", {"numerator": 1, "denominator": 0}, "denominator"),
        ("rate", {"numerator": 1}, "denominator"),
        ("count", {"value": 2.5}, "value"),
        ("count", {"value": -1}, "value"),
        ("continuous", {}, "value"),
        ("continuous", {"value": 1e13}, "value"),
    ],
)
def test_values_the_kind_of_data_cannot_hold_are_refused(project, kind, values, field):
    measure = make_measure(project, kind=kind, values=[])
    with pytest.raises(ValidationError) as err:
        services.point_save(measure=measure, period=month(0), actor=project.owner, **values)
    assert field in err.value.message_dict
    assert not DataPoint.objects.exists()


def test_a_rate_may_exceed_one(project):
    measure = make_measure(project, kind="rate", values=[])
    services.point_save(measure=measure, period=month(0), numerator=50, denominator=20, actor=project.owner)


def test_an_excluded_point_needs_a_reason(project):
    measure = make_measure(project, values=[1])
    with pytest.raises(ValidationError):
        services.point_save(measure=measure, period=month(0), value=1, excluded=True, actor=project.owner)


def test_the_database_keeps_one_point_per_period_and_positive_denominators(project):
    measure = make_measure(project, values=[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        DataPoint.objects.create(measure=measure, period=month(0), value=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataPoint.objects.create(measure=measure, period=month(1), numerator=1, denominator=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataPoint.objects.create(measure=measure, period=month(2))


def test_an_xmr_baseline_needs_twelve_points(project):
    with pytest.raises(ValidationError) as err:
        make_measure(project, kind="continuous", chart="xmr", freeze_at=5, values=[])
    assert "freeze_at" in err.value.message_dict


def test_the_kind_of_data_cannot_change_under_existing_points(project):
    measure = make_measure(project, values=[1, 2])
    with pytest.raises(ValidationError) as err:
        services.measure_update(measure=measure, data_kind="proportion", actor=project.owner)
    assert "data_kind" in err.value.message_dict


def test_a_manual_chart_that_new_data_cannot_support_is_refused(project):
    measure = make_measure(project, kind="days_between", values=[2, 3], chart="t")
    with pytest.raises(ValidationError, match="more than 0"):
        services.point_save(measure=measure, period=month(5), value=0, actor=project.owner)
    assert not DataPoint.objects.filter(measure=measure, period=month(5)).exists()


def test_every_write_of_a_measure_its_points_and_phases_is_the_projects_activity(project):
    """The project's ``updated_at`` is its last activity (the portfolio sorts and flags by it): each write
    moves it forward."""
    from datetime import timedelta

    from django.utils import timezone

    from shiftpractice.projects.models import ChangeProject

    owner = project.owner

    def went_quiet():
        ChangeProject.objects.filter(pk=project.pk).update(updated_at=timezone.now() - timedelta(days=60))

    def active() -> bool:
        moved = ChangeProject.objects.get(pk=project.pk).updated_at
        return moved > timezone.now() - timedelta(minutes=1)

    went_quiet()
    measure = services.measure_create(
        project=project, name="Referrals", measure_type="outcome", data_kind="count", actor=owner
    )
    assert active()
    for write in (
        lambda: services.point_save(measure=measure, period=month(0), value=3, actor=owner),
        lambda: services.phase_add(measure=measure, start=month(0), reason="New form", actor=owner),
        lambda: services.measure_update(measure=measure, name="Referrals a week", actor=owner),
        lambda: services.point_delete(measure=measure, period=month(0), actor=owner),
        lambda: services.measure_delete(measure=measure, actor=owner),
    ):
        went_quiet()
        assert not active()
        write()
        assert active()


def test_admin_edits_of_cycles_and_measures_are_the_projects_activity(project, rf):
    """The admin bypasses the services, so its hooks move the project's last activity themselves."""
    from datetime import timedelta
    from types import SimpleNamespace

    from django.contrib import admin
    from django.utils import timezone

    from shiftpractice.measures.models import Measure
    from shiftpractice.projects.models import ChangeProject, Cycle

    def went_quiet(*projects):
        ChangeProject.objects.filter(pk__in=[p.pk for p in projects]).update(
            updated_at=timezone.now() - timedelta(days=60)
        )

    def active(p) -> bool:
        return ChangeProject.objects.get(pk=p.pk).updated_at > timezone.now() - timedelta(minutes=1)

    request = rf.post("/")
    cycle = Cycle.objects.create(project=project, number=1, title="Try it")
    went_quiet(project)
    admin.site._registry[Cycle].save_model(request, cycle, SimpleNamespace(), True)
    assert active(project)

    measure = make_measure(project, values=[])
    other = ChangeProject.objects.create(owner=project.owner, cohort=project.cohort, title="Other")
    went_quiet(project, other)
    measure_admin = admin.site._registry[Measure]
    measure.project = other
    form = SimpleNamespace(
        initial={"project": project.pk}, changed_data=["project"], instance=measure, save_m2m=lambda: None
    )
    measure_admin.save_model(request, measure, form, True)
    measure_admin.save_related(request, form, [], True)
    assert active(project) and active(other)  # the project it left, and the one it joined

    went_quiet(other)
    measure_admin.delete_model(request, measure)
    assert active(other)
