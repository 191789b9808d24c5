"""PDSA cycles: numbering, stage gates, locking, corrections and two people saving at once."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from shiftpractice.projects import services
from shiftpractice.projects.models import Cycle
from shiftpractice.projects.services.cycles import StaleCycleError

from .formdata import merged, stage_form


def make_cycle(project, world, **plan):
    return services.cycle_create(
        project=project, title="Try a nature leaflet", actor=world.people["participant"], **plan
    )


def test_cycles_are_numbered_per_project(project, world):
    assert [make_cycle(project, world).number for _ in range(3)] == [1, 2, 3]


def test_a_cycle_moves_through_its_stages_only_with_each_stage_written(project, world):
    actor = world.people["participant"]
    cycle = make_cycle(project, world)
    with pytest.raises(ValidationError) as err:
        services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=actor)
    assert "objective" in str(err.value) and "prediction" in str(err.value)
    services.cycle_update(
        cycle=cycle, revision=cycle.revision, actor=actor, objective="Test a leaflet", prediction="5 take it"
    )
    services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=actor)
    assert cycle.status == "doing"
    services.cycle_update(cycle=cycle, revision=cycle.revision, actor=actor, what_happened="We gave out 30")
    services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=actor)
    with pytest.raises(ValidationError, match="adopt, adapt or abandon"):
        services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=actor)
    services.cycle_update(
        cycle=cycle,
        revision=cycle.revision,
        actor=actor,
        results="8 took it",
        learning="People like it",
        decision="adopt",
    )
    services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=actor)
    cycle.refresh_from_db()
    assert cycle.status == "complete" and cycle.completed_at is not None


def completed_cycle(project, world):
    actor = world.people["participant"]
    cycle = make_cycle(project, world, objective="o", prediction="p")
    for fields in (
        {},
        {"what_happened": "w"},
        {"results": "r", "learning": "l", "decision": "adapt", "next_step": "Try at reception"},
    ):
        if fields:
            services.cycle_update(cycle=cycle, revision=cycle.revision, actor=actor, **fields)
        services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=actor)
    return cycle


def test_a_completed_cycle_is_locked_and_corrections_are_kept(project, world):
    actor = world.people["participant"]
    cycle = completed_cycle(project, world)
    with pytest.raises(ValidationError, match="locked"):
        services.cycle_update(cycle=cycle, revision=cycle.revision, actor=actor, learning="changed")
    correction = services.cycle_correct(
        cycle=cycle,
        field="learning",
        new_value="People like it a lot",
        reason="Typo",
        actor=actor,
        revision=cycle.revision,
    )
    cycle.refresh_from_db()
    assert cycle.learning == "People like it a lot"
    assert (correction.old_value, correction.made_by) == ("l", actor)
    with pytest.raises(ValidationError):
        services.cycle_correct(
            cycle=cycle, field="learning", new_value="x", reason="  ", actor=actor, revision=cycle.revision
        )


def test_next_cycle_is_prefilled_from_the_act_step(project, world):
    cycle = completed_cycle(project, world)
    new = services.cycle_start_next(cycle=cycle, actor=world.people["participant"])
    assert (new.number, new.previous, new.objective) == (2, cycle, "Try at reception")
    assert new.title.startswith("Adapt:")


def test_the_second_of_two_people_saving_at_once_is_told_and_nothing_is_lost(client, project, world):
    cycle = make_cycle(project, world)
    url = reverse("projects:cycle", args=[project.public_id, cycle.number])
    data = {"revision": cycle.revision, "title": cycle.title, "objective": "First person's objective"}
    client_for(client, world.people["participant"])
    assert client.post(url, data).status_code == 302
    second = {**data, "objective": "Second person's objective"}
    response = client.post(url, second)  # the same revision: the form was opened before the first save
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this cycle" in body
    assert "Second person&#x27;s objective" in body  # their text is still in the form
    assert Cycle.objects.get(pk=cycle.pk).objective == "First person's objective"
    with pytest.raises(StaleCycleError):
        services.cycle_update(
            cycle=Cycle.objects.get(pk=cycle.pk), revision=1, actor=world.people["participant"], objective="x"
        )


def test_editing_a_locked_cycle_through_the_page_changes_nothing(client, project, world):
    cycle = completed_cycle(project, world)
    client_for(client, world.people["participant"])
    url = reverse("projects:cycle", args=[project.public_id, cycle.number])
    client.post(url, {"revision": cycle.revision, "learning": "sneaky"})
    assert Cycle.objects.get(pk=cycle.pk).learning == "l"


def test_completing_without_study_and_act_is_refused_in_the_browser_flow(client, project, world):
    cycle = make_cycle(project, world, objective="o", prediction="p")
    actor = world.people["participant"]
    services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=actor)
    services.cycle_update(cycle=cycle, revision=cycle.revision, actor=actor, what_happened="w")
    services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=actor)
    client_for(client, actor)
    url = reverse("projects:cycle", args=[project.public_id, cycle.number])
    response = client.post(url, {**stage_form(client.get(url)), "action": "advance"})
    assert "Write the results against the prediction" in response.content.decode()
    assert Cycle.objects.get(pk=cycle.pk).status == "studying"


def test_after_a_clash_the_second_person_can_save_their_text(client, project, world):
    cycle = make_cycle(project, world)
    url = reverse("projects:cycle", args=[project.public_id, cycle.number])
    client_for(client, world.people["participant"])
    opened = stage_form(client.get(url))
    client.post(url, merged(opened, objective="First"))
    clash = client.post(url, merged(opened, objective="Second"))
    assert clash.status_code == 409
    # The redrawn form carries the saved revision and asks which version to keep; keeping theirs saves it.
    again = client.post(url, merged(stage_form(clash), choose_objective="mine"))
    assert again.status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).objective == "Second"


def test_a_forged_revision_is_a_message_not_an_error(client, project, world):
    cycle = make_cycle(project, world, objective="o", prediction="p")
    client_for(client, world.people["participant"])
    url = reverse("projects:cycle", args=[project.public_id, cycle.number])
    data = merged(stage_form(client.get(url)), revision="x", action="advance")
    response = client.post(url, data)
    assert response.status_code == 200 and "reload the page" in response.content.decode()
    assert Cycle.objects.get(pk=cycle.pk).status == "planning"
