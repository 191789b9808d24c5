"""The sharing rule of issue 14: a programme's leads and critical friends read every change project in it,
read-only, whatever its visibility setting; peers and the public still follow the owner's choice; journals stay
private (``home/tests/test_sharing_rule.py`` checks the demo data and journals, which sit above this app)."""

from django.core import mail
from django.urls import reverse

from conftest import client_for
from shiftpractice.cohorts.models import Membership
from shiftpractice.core.models import AuditEvent
from shiftpractice.projects import services
from shiftpractice.projects.models import ChangeProject
from shiftpractice.projects.permissions import Access, project_access, reads_private_parts
from tests.factories import CohortFactory, MembershipFactory, ProgrammeFactory


def test_overseers_read_a_team_only_project_but_cannot_change_it(client, world, project):
    assert project.visibility == "team"
    for persona in ("lead", "critical_friend"):
        person = world.people[persona]
        client.logout()
        client_for(client, person)
        assert client.get(project.get_absolute_url()).status_code == 200
        assert client.get(reverse("projects:edit", args=[project.public_id])).status_code == 403
        response = client.post(reverse("projects:edit", args=[project.public_id]), {"title": "Changed"})
        assert response.status_code == 403
        fresh = ChangeProject.objects.get(pk=project.pk)
        assert project_access(person, fresh) == Access.READ and reads_private_parts(person, fresh)
    project.refresh_from_db()
    assert project.title == "Green social prescribing for low mood"


def test_peers_and_the_public_still_follow_the_owners_choice(client, world, project):
    for persona in ("other_participant", "outsider"):
        client.logout()
        assert client_for(client, world.people[persona]).get(project.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(project.get_absolute_url()).status_code == 404  # the story is public only once approved


def test_a_critical_friend_of_another_cohort_of_the_programme_reads_it_too(world, project):
    friend = MembershipFactory(cohort=world.other_cohort, role="critical_friend").user
    assert ChangeProject.objects.visible_to(friend).filter(pk=project.pk).exists()


def test_overseers_of_another_programme_do_not(world, project):
    elsewhere = CohortFactory(programme=ProgrammeFactory())
    friend = MembershipFactory(cohort=elsewhere, role="critical_friend").user
    lead = MembershipFactory(cohort=elsewhere, role="coach").user
    elsewhere.programme.leads.add(lead)
    for person in (friend, lead):
        assert not ChangeProject.objects.visible_to(person).filter(pk=project.pk).exists()


def test_the_lead_sees_every_project_on_the_projects_page(client, world):
    titles = []
    for n in range(3):
        owner = MembershipFactory(cohort=world.cohort, role="participant").user
        project = services.project_create(owner=owner, cohort=world.cohort, title=f"Project {n}", actor=owner)
        titles.append(project.title)
    page = client_for(client, world.people["lead"]).get(reverse("projects:list")).content.decode()
    assert all(title in page for title in titles)


def test_removing_a_member_ends_their_access_keeps_their_work_and_tells_them(
    client, world, django_capture_on_commit_callbacks
):
    participant = world.people["participant"]
    project = services.project_create(owner=participant, cohort=world.cohort, title="Kept", actor=participant)
    client_for(client, world.people["lead"])
    url = reverse("cohorts:member_remove", args=[world.cohort.slug, participant.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not Membership.objects.filter(cohort=world.cohort, user=participant).exists()
    assert AuditEvent.objects.filter(verb="membership.removed").exists()
    assert [m.to for m in mail.outbox] == [[participant.email]]
    assert "no longer a member of Cohort A" in mail.outbox[0].subject
    client.logout()
    client_for(client, participant)
    assert client.get(reverse("cohorts:detail", args=[world.cohort.slug])).status_code == 404
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.get(reverse("projects:edit", args=[project.public_id])).status_code == 200
    client.logout()
    client_for(client, world.people["lead"])
    assert client.get(project.get_absolute_url()).status_code == 200  # still in the programme's work
