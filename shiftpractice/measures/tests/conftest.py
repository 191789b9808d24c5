from datetime import date, timedelta

import pytest

from shiftpractice.measures import services
from shiftpractice.projects import services as project_services


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def project(world):
    return project_services.project_create(
        owner=world.people["participant"],
        cohort=world.cohort,
        title="Green social prescribing for low mood",
        actor=world.people["participant"],
        aim_what="Increase referrals to nature-based activities",
        aim_by_when="2030-12-31",
    )


def month(i: int, start: date = date(2021, 1, 1)) -> date:
    y, m = divmod(start.month - 1 + i, 12)
    return date(start.year + y, m + 1, 1)


def week(i: int, start: date = date(2021, 1, 4)) -> date:
    return start + timedelta(weeks=i)


SHIFT = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 15, 16, 14, 15, 16, 17, 15, 16, 14, 15]


def make_measure(project, *, name="Referrals a month", values=SHIFT, kind="count", mtype="outcome", **fields):
    actor = project.owner
    measure = services.measure_create(
        project=project, name=name, measure_type=mtype, data_kind=kind, actor=actor, **fields
    )
    for i, v in enumerate(values):
        if isinstance(v, tuple):
            services.point_save(
                measure=measure, period=month(i), numerator=v[0], denominator=v[1], actor=actor
            )
        else:
            services.point_save(measure=measure, period=month(i), value=v, actor=actor)
    return measure


@pytest.fixture
def measure(project):
    return make_measure(project)


@pytest.fixture(autouse=True)
def _fresh_chart_cache():
    """Charts are cached (locmem in tests): every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
