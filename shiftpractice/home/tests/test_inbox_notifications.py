"""The lead's inbox arrives as notifications too: a project that asks to be public and a model item to verify
tell the leads once per item and lead (and by email when they asked for it straight away)."""

import pytest
from django.core import mail

from shiftpractice.content import selectors as content_selectors
from shiftpractice.content import services as content_services
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.models import Notification, NotificationPreference
from shiftpractice.projects import services as project_services
from tests.factories import ProgrammeFactory, UserFactory

AWAITING = Kind.AWAITING_LEAD


def awaiting(user):
    return list(Notification.objects.filter(recipient=user, kind=AWAITING))


@pytest.fixture
def project(world):
    return project_services.project_create(
        owner=world.people["participant"],
        cohort=world.cohort,
        title="Fewer missed appointments",
        actor=world.people["participant"],
    )


def test_a_project_asking_to_be_public_tells_each_lead_once(world, project):
    second_lead = UserFactory(full_name="Second Lead")
    world.programme.leads.add(second_lead)
    owner = world.people["participant"]
    project_services.project_update(project=project, visibility="public", actor=owner)
    for lead in (world.people["lead"], second_lead):
        [note] = awaiting(lead)
        assert "Fewer missed appointments" in note.title and "awaits your approval" in note.title
        assert note.url == project.get_absolute_url() and note.actor == owner
    # Saved again while it waits: nobody is told twice.
    project_services.project_update(project=project, title="Fewer missed appointments", actor=owner)
    project_services.project_update(project=project, background="More text", actor=owner)
    assert len(awaiting(world.people["lead"])) == 1 and len(awaiting(second_lead)) == 1
    # Nobody else hears of it: not the owner, the coach, or another programme's lead.
    other_lead = UserFactory()
    ProgrammeFactory().leads.add(other_lead)
    for person in (owner, world.people["coach"], other_lead):
        assert not awaiting(person)


def test_a_project_that_stays_private_tells_nobody(world, project):
    project_services.project_update(
        project=project, visibility="programme", actor=world.people["participant"]
    )
    assert not Notification.objects.filter(kind=AWAITING).exists()


def test_an_approved_project_edited_asks_again_once_per_round_of_approval(world, project):
    owner, lead = world.people["participant"], world.people["lead"]
    project_services.project_update(project=project, visibility="public", actor=owner)
    project_services.project_approve_public(project=project, actor=lead)
    project_services.project_update(project=project, background="Changed", actor=owner)
    project.refresh_from_db()
    assert project.public_approved_at is None  # it awaits approval again (the home page's inbox shows it)
    assert len(awaiting(lead)) == 2  # the edit withdrew the approval: the lead is asked again
    project_services.project_update(project=project, background="Changed again", actor=owner)
    assert len(awaiting(lead)) == 2  # saved again while it waits: not a third time
    project_services.project_approve_public(project=project, actor=lead)
    project_services.project_update(project=project, background="Third round", actor=owner)
    assert len(awaiting(lead)) == 3


def test_a_lead_who_wants_it_straight_away_is_emailed(world, project, django_capture_on_commit_callbacks):
    lead = world.people["lead"]
    NotificationPreference.objects.create(user=lead, kind=AWAITING, delivery="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_update(
            project=project, visibility="public", actor=world.people["participant"]
        )
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert "awaits your approval" in mail.outbox[0].subject


def _verify_source(n=0):
    return [
        {"citation": f"Paper {n}", "url": "https://example.org/p", "accessed": "2026-01-01", "verify": True}
    ]


def test_a_model_item_to_verify_tells_every_programmes_leads_once(world):
    content_services.default_model_ensure()
    lead = world.people["lead"]
    other_lead = UserFactory(full_name="Other Lead")
    ProgrammeFactory().leads.add(other_lead)
    draft = content_services.version_draft(actor=lead, source=content_selectors.current_version(), name="v2")
    item = content_services.item_add(
        version=draft,
        actor=lead,
        kind="prompt",
        slug="prompt.what-changed",
        title="What changed?",
        schema={"questions": ["What changed this month?"]},
        sources=_verify_source(),
    )
    assert not awaiting(lead)  # the lead who added it knows
    [note] = awaiting(other_lead)
    assert item.ref in note.title and note.url.endswith("/model/pending/")
    content_services.item_revise(
        version=draft, slug=item.slug, actor=other_lead, title="What changed, really?"
    )
    assert len(awaiting(other_lead)) == 1  # edited while it waits: not told again
    assert len(awaiting(lead)) == 1  # the first lead hears of the other lead's edit, once
    # An item citing nothing to verify tells nobody.
    content_services.item_add(
        version=draft,
        actor=lead,
        kind="prompt",
        slug="prompt.quiet",
        title="Quiet",
        schema={"questions": ["Anything?"]},
        sources=[{"citation": "Ours", "url": "https://example.org", "accessed": "2026-01-01"}],
    )
    assert Notification.objects.filter(kind=AWAITING).count() == 2
