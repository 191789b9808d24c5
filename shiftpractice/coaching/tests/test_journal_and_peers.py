"""Journal prompts at the right time, prompt references, tags, peer groups and their meetings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from shiftpractice.coaching.choices import PeerGroupKind, Privacy
from shiftpractice.coaching.models import JournalEntry, MeetingRole
from shiftpractice.coaching.services import journal, peers
from shiftpractice.content import services as content_services
from shiftpractice.content.models import ContentReference
from tests.factories import WorkshopFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def timed(coaching, world):
    content_services.default_model_ensure()
    world.workshop.delete()
    world.shared_workshop.delete()
    WorkshopFactory(
        programme=world.programme,
        cohorts=[world.cohort],
        number=1,
        starts_at=datetime(2030, 2, 1, 10, tzinfo=LONDON),
    )
    WorkshopFactory(
        programme=world.programme,
        cohorts=[world.cohort],
        number=2,
        starts_at=datetime(2030, 4, 1, 10, tzinfo=LONDON),
    )
    return coaching


@pytest.mark.parametrize(
    ("when", "shown", "hidden"),
    [
        ("2030-01-10", [], ["Your story of self", "What kind of learning", "most significant change"]),
        ("2030-01-28", ["Your story of self", "Concern, influence and control"], ["What kind of learning"]),
        ("2030-02-15", ["Your story of self", "What kind of learning"], ["The most significant change"]),
        ("2030-03-28", ["What kind of learning", "The most significant change"], ["Your story of self"]),
        ("2030-04-20", ["The most significant change"], ["Your story of self"]),
        ("2030-06-01", [], ["The most significant change", "What kind of learning"]),
    ],
)
def test_the_workshop_prompts_appear_at_the_right_time(client, timed, when, shown, hidden):
    with time_machine.travel(datetime.fromisoformat(when).replace(hour=12, tzinfo=LONDON), tick=False):
        client_for(client, timed.people["participant"])  # sessions made before the journey would have expired
        page = client.get(reverse("coaching:journal")).content.decode()
    assert "Your reflective journal" in page
    now_section = (
        page.split("Prompts for now")[1].split("Other reflection prompts")[0]
        if "Prompts for now" in page
        else ""
    )
    for title in shown:
        assert title in now_section, f"{title} on {when}"
    for title in hidden:
        assert title not in now_section, f"{title} on {when}"


def test_an_entry_to_a_prompt_records_the_prompt_version(client, timed):
    client_for(client, timed.people["participant"])
    url = (
        reverse("coaching:journal_new") + f"?cohort={timed.world.cohort.slug}&prompt=prompt.public-narrative"
    )
    form = client.get(url)
    assert "what challenge did you face" in form.content.decode().lower()
    response = client.post(
        url,
        {
            "title": "Why me",
            "body": "Because **it matters**",
            "tags": "story, Story, influence",
            "privacy": "coach",
        },
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.prompt_ref == "prompt.public-narrative@1" and entry.tags == ["story", "influence"]
    assert "<strong>it matters</strong>" in entry.body_html
    assert ContentReference.objects.filter(ref="prompt.public-narrative@1", object_id=str(entry.pk)).exists()
    assert client.get(reverse("coaching:journal_new") + "?prompt=lens.systems").status_code == 404
    client.post(reverse("coaching:journal_delete", args=[entry.public_id]), {"confirm": "yes"})
    assert (
        not JournalEntry.objects.exists()
        and not ContentReference.objects.filter(object_id=str(entry.pk)).exists()
    )


def test_bad_journal_input_is_refused(client, coaching):
    client_for(client, coaching.people["participant"])
    response = client.post(
        reverse("coaching:journal_new"), {"title": "Empty", "body": "  \n ", "privacy": "private"}
    )
    assert response.status_code == 400 and "the entry is empty" in response.content.decode()
    response = client.post(
        reverse("coaching:journal_new"), {"title": "t", "body": "b", "privacy": "peer_group"}
    )
    assert "Choose which of your peer groups" in response.content.decode()
    with pytest.raises(ValidationError, match="no coach"):
        journal.entry_create(
            author=coaching.people["peer"],
            cohort=coaching.world.cohort,
            title="t",
            body="b",
            privacy=Privacy.COACH,
        )
    assert not JournalEntry.objects.exists()


def test_peer_groups_have_a_size_and_members_from_the_cohort(coaching, world):
    people = coaching.people
    with pytest.raises(ValidationError, match="exactly 3"):
        peers.peer_group_create(
            cohort=world.cohort,
            kind=PeerGroupKind.TRIAD,
            name="Two",
            members=[people["participant"], people["peer"]],
            actor=people["lead"],
        )
    with pytest.raises(ValidationError, match="Not participants"):
        peers.peer_group_create(
            cohort=world.cohort,
            kind=PeerGroupKind.ACTION_LEARNING_SET,
            name="Mixed",
            members=[people["participant"], people["peer"], people["other_participant"]],
            actor=people["lead"],
        )


def test_a_meeting_is_logged_with_roles_and_commitments_and_roles_rotate(client, coaching):
    people, triad = coaching.people, coaching.triad
    client_for(client, people["peer"])
    url = reverse("coaching:meeting_log", args=[triad.public_id])
    form = client.get(url).context["form"]
    first = {name: form.fields[name].initial for name in form.fields if name.startswith("role_")}
    assert sorted(first.values()) == ["coach", "coachee", "observer"]
    data = {"met_on": "2000-01-01", "notes": "Good session", **first}
    data[f"commitment_{people['participant'].pk}"] = "Email the GP partners by Friday"
    assert client.post(url, data).status_code == 302
    assert MeetingRole.objects.filter(commitment__startswith="Email the GP").exists()
    page = client.get(triad.get_absolute_url()).content.decode()
    assert "Email the GP partners by Friday" in page and "Coachee" in page
    second = client.get(url).context["form"]
    for name, role in first.items():
        order = ["coachee", "coach", "observer"]
        assert second.fields[name].initial == order[(order.index(role) + 1) % 3]
    future = client.post(url, {**data, "met_on": "2999-01-01"})
    assert "cannot be in the future" in future.content.decode()


def test_an_action_learning_set_rotates_one_presenter_and_one_adviser():
    """Whatever roles the last meeting recorded, the suggestion has one presenter (the next person in turn)
    and one adviser, and over as many meetings as members everyone presents once."""

    class Person:
        def __init__(self, pk):
            self.pk = pk

    members = [Person(n) for n in range(1, 6)]
    group = type("Group", (), {"kind": PeerGroupKind.ACTION_LEARNING_SET})()
    # Two questioners at the last meeting: a step-along-the-roles rule made them both advisers next time.
    last = {1: "presenter", 2: "questioner", 3: "adviser", 4: "questioner", 5: "questioner"}
    presenters = []
    for _ in members:
        roles = [role for _, role in peers.next_rotation(group, members, last)]
        assert roles.count("presenter") == 1 and roles.count("adviser") == 1, roles
        assert roles.count("questioner") == len(members) - 2
        suggestion = peers.next_rotation(group, members, last)
        assert [user for user, _ in suggestion] == members  # listed in the group's order
        presenters.append(next(user.pk for user, role in suggestion if role == "presenter"))
        last = {user.pk: role for user, role in suggestion}
    assert presenters == [2, 3, 4, 5, 1]
