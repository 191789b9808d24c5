"""The demo programme: the pilot from the proposal, loaded idempotently, never by accident in production."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from shiftpractice.accounts.models import User
from shiftpractice.cohorts.models import Attendance, Cohort, Membership, Workshop
from shiftpractice.content import selectors as content_selectors
from shiftpractice.content.models import ContentItem, ModelVersion
from shiftpractice.home.demo import DEMO_PASSWORD
from shiftpractice.programmes.models import Milestone, Programme
from shiftpractice.projects.models import (
    ChangeProject,
    Cycle,
    DriverNode,
    LensAnswer,
    ProgressScore,
    Stakeholder,
)


def counts():
    models = (
        User,
        Programme,
        Milestone,
        Cohort,
        Membership,
        Workshop,
        Attendance,
        ModelVersion,
        ContentItem,
        ChangeProject,
        Cycle,
        Stakeholder,
        DriverNode,
        LensAnswer,
        ProgressScore,
    )
    return [m.objects.count() for m in models]


@pytest.mark.django_db
def test_demo_projects_tell_realistic_stories(settings):
    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    assert ChangeProject.objects.count() == 10
    for project in ChangeProject.objects.prefetch_related(
        "cycles", "stakeholders", "driver_nodes", "lens_answers"
    ):
        assert 2 <= len(project.cycles.all()) <= 6, project
        assert project.stakeholders.all() and project.driver_nodes.all() and project.lens_answers.all(), (
            project
        )
        for cycle in project.cycles.all():
            if cycle.completed_at:  # completed when the pilot ran, not when the demo was loaded
                assert cycle.completed_at.year in (2021, 2022)
    assert set(Cycle.objects.values_list("status", flat=True)) >= {"planning", "doing", "complete"}


@pytest.mark.django_db
def test_reloading_the_demo_keeps_changes_made_while_trying_it(settings):
    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    cohort = Cohort.objects.get(slug="cohort-1")
    cohort.capacity = 9
    cohort.save()
    call_command("load_demo", "--quiet-logins")
    cohort.refresh_from_db()
    assert cohort.capacity == 9


@pytest.mark.django_db
def test_demo_loads_the_pilot_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    programme = Programme.objects.get()
    assert programme.name == "Shifting mindsets, shifting practice"
    assert [m.due_date for m in programme.milestones.all()][0] == date(2021, 5, 31)
    assert [m.due_date for m in programme.milestones.all()][-1] == date(2022, 3, 31)
    assert (
        programme.milestones.count() == 10
    )  # the proposal's eight, and the interim and final evaluation reports
    interim = programme.milestones.get(title="Interim evaluation report for Cohort 1")
    assert interim.status == "done" and interim.link_url.startswith("/reports/")
    assert Cohort.objects.count() == 2
    for cohort in Cohort.objects.all():
        assert cohort.memberships.filter(role="participant").count() == 5
        assert cohort.workshops.count() == 3  # two of its own and the shared learning workshop
    shared = Workshop.objects.get(title__startswith="Shared learning")
    assert shared.cohorts.count() == 2
    assert User.objects.get(email="lead@shiftpractice.example").led_programmes.exists()
    admin = User.objects.get(email="admin@shiftpractice.example")
    assert admin.is_staff and admin.check_password(DEMO_PASSWORD)
    assert "password for all" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_cohort_1_keeps_v1_and_cohort_2_uses_v2(settings):
    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    one, two = Cohort.objects.get(slug="cohort-1"), Cohort.objects.get(slug="cohort-2")
    assert one.model_version.name == "v1 pilot"
    assert two.model_version.name == "v2 after reflections"
    assert two.model_version.parent == one.model_version and two.model_version.status == "published"
    assert "systems lens" in two.model_version.change_note.lower()
    diff = content_selectors.version_diff(one.model_version, two.model_version)
    assert [c.after.ref for c in diff.changed] == ["lens.systems@2"] and not diff.added and not diff.removed
    assert content_selectors.model_for_cohort(one).ref("lens.systems") == "lens.systems@1"
    assert content_selectors.model_for_cohort(two).ref("lens.systems") == "lens.systems@2"


@pytest.mark.django_db
def test_demo_refuses_with_debug_off_unless_told_it_is_a_demo_site(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"Refusing.*--demo"):
        call_command("load_demo")
    assert Programme.objects.count() == 0
    call_command("load_demo", "--demo", "--quiet-logins")  # what `make run` passes (--force still works)
    assert Programme.objects.count() == 1
