"""A test with real transactions empties the database when it ends; the next test on the same worker still
starts from a migrated database, default model included (conftest's ``pytest_runtest_teardown``).

pytest-django runs the transactional test first here and the test without a database mark after it."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_a_test_with_real_transactions():
    from shiftpractice.content.models import ModelVersion

    assert ModelVersion.objects.exists()


def test_after_it_the_default_model_is_back(django_db_setup, django_db_blocker):
    from shiftpractice.content.models import ModelVersion

    with django_db_blocker.unblock():
        assert ModelVersion.objects.exists()
