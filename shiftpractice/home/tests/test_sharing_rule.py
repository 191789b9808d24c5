"""The sharing rule of issue 14 seen from the top of the layering: existing demo projects follow it with nothing
migrated (the rule is computed), and it opens projects to the programme's overseers, not reflections."""

import pytest

from shiftpractice.coaching.models import JournalEntry
from shiftpractice.cohorts.models import Membership
from shiftpractice.projects.models import ChangeProject
from shiftpractice.projects.permissions import Access, project_access


@pytest.mark.django_db(transaction=True)
def test_existing_demo_projects_follow_the_rule():
    """The demo's projects were made under the old rule, most of them not shared with the programme; with
    nothing migrated, the demo lead and critical friend now read every one of them and edit none."""
    from shiftpractice.home.demo import load_demo

    load_demo()
    projects = ChangeProject.objects.select_related("cohort__programme")
    programme = projects.first().cohort.programme
    in_programme = set(projects.filter(cohort__programme=programme).values_list("pk", flat=True))
    assert projects.filter(cohort__programme=programme).exclude(visibility="programme").exists()
    lead = programme.leads.first()
    friend = Membership.objects.filter(cohort__programme=programme, role="critical_friend").first().user
    for person in (lead, friend):
        assert set(ChangeProject.objects.visible_to(person).values_list("pk", flat=True)) >= in_programme
        assert not any(project_access(person, p) == Access.EDIT for p in projects.filter(pk__in=in_programme))


def test_journal_entries_stay_private_from_overseers(world):
    entry = JournalEntry.objects.create(
        author=world.people["participant"], cohort=world.cohort, title="Mine", body="b", privacy="private"
    )
    shared = JournalEntry.objects.create(
        author=world.people["participant"], cohort=world.cohort, title="Ours", body="b", privacy="cohort"
    )
    for persona in ("lead", "critical_friend"):
        visible = JournalEntry.objects.visible_to(world.people[persona])
        assert not visible.filter(pk__in=[entry.pk, shared.pk]).exists()
