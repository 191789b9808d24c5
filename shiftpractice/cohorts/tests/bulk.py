"""Many cohorts in one insert, for the tests that prove a page does not grow with them."""

from collections.abc import Callable

from shiftpractice.cohorts.models import Cohort


def add_cohorts(world, n: int, *, status_for: Callable[[int], str] | None = None, **fields) -> None:
    """``n`` cohorts of the world's programme, named alike (so pages of them are the same size), dated like its
    first cohort; ``status_for(i)`` gives the i-th a status when the test needs a mix."""
    first = Cohort.objects.filter(slug__startswith="bulk-").count()
    Cohort.objects.bulk_create(
        Cohort(
            programme=world.programme,
            name=f"Cohort {i:05d}",
            slug=f"bulk-{i:05d}",
            start_date=world.cohort.start_date,
            end_date=world.cohort.end_date,
            capacity=10,
            model_version_id=world.cohort.model_version_id,
            **({"status": status_for(i)} if status_for else {}),
            **fields,
        )
        for i in range(first, first + n)
    )
