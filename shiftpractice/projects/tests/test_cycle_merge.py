"""No edit of a PDSA cycle is lost to another: saves merge field by field against the revision the form was
opened at, a real clash shows both versions, every edit is kept as history, and corrections are locked the
same way."""

import importlib
import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from conftest import client_for
from shiftpractice.projects import services
from shiftpractice.projects.models import Cycle, CycleCorrection, CycleEdit
from shiftpractice.projects.services.cycles import CycleConflict, StaleCycleError
from tests.factories import UserFactory

from .formdata import merged, stage_form


def make_cycle(project, world, **plan):
    return services.cycle_create(
        project=project, title="Try a nature leaflet", actor=world.people["participant"], **plan
    )


def completed(project, world):
    actor = world.people["participant"]
    cycle = make_cycle(project, world, objective="o", prediction="p")
    for fields in ({}, {"what_happened": "w"}, {"results": "r", "learning": "l", "decision": "adapt"}):
        if fields:
            services.cycle_update(cycle=cycle, revision=cycle.revision, actor=actor, **fields)
        services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=actor)
    return cycle


def url_of(cycle):
    return reverse("projects:cycle", args=[cycle.project.public_id, cycle.number])


# Saving from a form opened before someone else saved --------------------------------------------------------


def test_a_stale_save_keeps_what_the_first_editor_saved(client, project, world):
    """Two people open the plan; the first writes the objective, the second the prediction.

    Before: the second was warned, and saving the redrawn form again put the objective back to empty.
    """
    cycle = make_cycle(project, world)
    client_for(client, world.people["participant"])
    first = second = stage_form(client.get(url_of(cycle)))
    assert (
        client.post(url_of(cycle), merged(first, objective="Test a leaflet at reception")).status_code == 302
    )
    response = client.post(url_of(cycle), merged(second, prediction="Half will take one"))
    if response.status_code == 409:  # a warning is fine, as long as saving again loses nothing
        response = client.post(url_of(cycle), stage_form(response))
    assert response.status_code == 302
    saved = Cycle.objects.get(pk=cycle.pk)
    assert (saved.objective, saved.prediction) == ("Test a leaflet at reception", "Half will take one")


def test_each_field_keeps_the_last_change_made_to_it_whoever_opened_the_form_first(project, world):
    cycle = make_cycle(project, world, objective="o")
    people = [world.people["participant"], world.people["coach"], UserFactory()]
    opened = cycle.revision
    changes = [
        {"objective": "o", "prediction": "p1"},
        {"tasks": "t2"},
        {"questions": "q3", "prediction": "p1"},
    ]
    for person, fields in zip(people, changes, strict=True):
        base = Cycle.objects.get(pk=cycle.pk)
        base.project = project
        # Each form was opened at the same revision and sends every field, changed or not.
        everything = {"objective": "o", "prediction": "", "tasks": "", "questions": "", **fields}
        services.cycle_update(cycle=base, revision=opened, actor=person, **everything)
    saved = Cycle.objects.get(pk=cycle.pk)
    assert (saved.objective, saved.prediction, saved.tasks, saved.questions) == ("o", "p1", "t2", "q3")
    assert saved.revision == opened + 3


def test_a_clash_on_one_field_shows_both_versions_and_saves_nothing_until_chosen(client, project, world):
    cycle = make_cycle(project, world)
    client_for(client, world.people["participant"])
    opened = stage_form(client.get(url_of(cycle)))
    client.post(url_of(cycle), merged(opened, objective="Theirs: leaflets at reception", tasks="Ann prints"))
    response = client.post(
        url_of(cycle), merged(opened, objective="Mine: leaflets in clinic", prediction="Half take one")
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Theirs: leaflets at reception" in body and "Mine: leaflets in clinic" in body
    assert "Which version of “Objective” to keep" in body and 'href="#id_choose_objective_0"' in body
    saved = Cycle.objects.get(pk=cycle.pk)
    assert saved.prediction == ""  # nothing of the clashing save is written yet
    # The redrawn form carries the other person's tasks, so saving it keeps them.
    form = stage_form(response)
    assert form["tasks"] == ["Ann prints"] and form["prediction"] == ["Half take one"]

    missing = client.post(url_of(cycle), form)
    assert (
        missing.status_code == 200
        and "Choose which version of “Objective” to keep" in missing.content.decode()
    )

    assert client.post(url_of(cycle), merged(form, choose_objective="saved")).status_code == 302
    saved = Cycle.objects.get(pk=cycle.pk)
    assert (saved.objective, saved.prediction, saved.tasks) == (
        "Theirs: leaflets at reception",
        "Half take one",
        "Ann prints",
    )


def test_choosing_mine_after_a_clash_saves_mine_and_keeps_theirs_in_the_history(client, project, world):
    cycle = make_cycle(project, world)
    client_for(client, world.people["participant"])
    opened = stage_form(client.get(url_of(cycle)))
    client.post(url_of(cycle), merged(opened, objective="Theirs"))
    clash = client.post(url_of(cycle), merged(opened, objective="Mine"))
    assert client.post(url_of(cycle), merged(stage_form(clash), choose_objective="mine")).status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).objective == "Mine"
    history = list(
        CycleEdit.objects.filter(cycle=cycle, field="objective").values_list("old_value", "new_value")
    )
    assert history == [("", "Theirs"), ("Theirs", "Mine")]


def test_both_making_the_same_change_is_no_clash(project, world):
    cycle = make_cycle(project, world)
    actor = world.people["participant"]
    opened = cycle.revision
    services.cycle_update(cycle=cycle, revision=opened, actor=actor, objective="Same")
    services.cycle_update(cycle=cycle, revision=opened, actor=actor, objective="Same\r\n")
    assert Cycle.objects.get(pk=cycle.pk).revision == opened + 1
    with pytest.raises(CycleConflict) as clash:
        services.cycle_update(cycle=cycle, revision=opened, actor=actor, objective="Different")
    assert [c.field.name for c in clash.value.clashes] == ["objective"] and clash.value.clashes[
        0
    ].saved == "Same"


def test_a_merge_that_breaks_a_rule_of_the_whole_is_refused_and_writes_nothing(project, world):
    import datetime

    cycle = make_cycle(project, world, start_date=datetime.date(2025, 3, 1))
    actor = world.people["participant"]
    opened = cycle.revision
    services.cycle_update(cycle=cycle, revision=opened, actor=actor, start_date=datetime.date(2025, 3, 20))
    stale = Cycle.objects.get(pk=cycle.pk)
    stale.project = project
    with pytest.raises(ValidationError, match="end date"):
        services.cycle_update(cycle=stale, revision=opened, actor=actor, end_date=datetime.date(2025, 3, 10))
    assert Cycle.objects.get(pk=cycle.pk).end_date is None


def test_a_move_on_from_a_stage_that_is_over_does_not_skip_a_stage(client, project, world):
    cycle = make_cycle(project, world, objective="o", prediction="p")
    client_for(client, world.people["participant"])
    opened = stage_form(client.get(url_of(cycle)))
    services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=world.people["coach"])
    response = client.post(url_of(cycle), merged(opened, tasks="Ann prints", action="advance"), follow=True)
    saved = Cycle.objects.get(pk=cycle.pk)
    assert saved.status == "doing" and saved.tasks == "Ann prints"
    assert "moved this cycle on to do" in response.content.decode()


# History ---------------------------------------------------------------------------------------------------


def test_every_edit_is_kept_and_the_history_names_fields_as_people_do(client, project, world):
    cycle = completed(project, world)
    services.cycle_correct(
        cycle=cycle,
        field="what_happened",
        new_value="We gave out 30",
        reason="Miscounted",
        actor=world.people["participant"],
        revision=cycle.revision,
    )
    fields = list(CycleEdit.objects.filter(cycle=cycle).values_list("field", flat=True))
    assert fields == [
        "status",
        "what_happened",
        "status",
        "results",
        "learning",
        "decision",
        "status",
        "what_happened",
    ]
    assert all(e.made_by == world.people["participant"] for e in CycleEdit.objects.filter(cycle=cycle))
    body = client_for(client, world.people["participant"]).get(url_of(cycle)).content.decode()
    history = body[body.index("History of changes") :]
    assert "What happened</strong>: changed from “w” to “We gave out 30”" in history
    assert "Why: Miscounted" in history and "Moved the cycle from study to complete" in history
    assert "Decision</strong>: written: “Adapt: change it and test again”" in history
    for raw in ("what_happened", "learning_loop", "data_plan", "next_step", "status"):
        assert raw not in history


def test_the_backfill_copies_earlier_corrections_into_the_history(project, world):
    cycle = completed(project, world)
    old = CycleCorrection.objects.create(
        cycle=cycle, field="learning", old_value="l", new_value="L", reason="Typo", made_by=project.owner
    )
    migration = importlib.import_module("shiftpractice.projects.migrations.0003_cycle_edit_history")
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # running it again adds nothing
    edit = CycleEdit.objects.get(correction=old)
    assert (edit.revision, edit.field, edit.old_value, edit.new_value) == (0, "learning", "l", "L")
    assert CycleEdit.objects.filter(correction=old).count() == 1


# Corrections take the same lock ----------------------------------------------------------------------------


def test_interleaved_corrections_of_one_entry_are_refused_not_lost(project, world):
    """Five people open the correction form at the same revision and record a correction of the same entry.

    Before: all five "succeeded" and four were silently overwritten.
    """
    cycle = completed(project, world)
    opened = cycle.revision
    outcomes = []
    for i in range(5):
        try:
            services.cycle_correct(
                cycle=Cycle.objects.get(pk=cycle.pk),
                field="learning",
                new_value=f"Correction {i}",
                reason="r",
                actor=UserFactory(),
                revision=opened,
            )
            outcomes.append("saved")
        except StaleCycleError:
            outcomes.append("refused")
    assert outcomes == ["saved", "refused", "refused", "refused", "refused"]
    assert Cycle.objects.get(pk=cycle.pk).learning == "Correction 0"
    assert CycleCorrection.objects.filter(cycle=cycle).count() == 1


def test_interleaved_corrections_of_different_entries_all_hold(project, world):
    cycle = completed(project, world)
    opened = cycle.revision
    entries = ["objective", "prediction", "what_happened", "results", "learning"]
    for name in entries:
        services.cycle_correct(
            cycle=Cycle.objects.get(pk=cycle.pk),
            field=name,
            new_value=f"Corrected {name}",
            reason="r",
            actor=UserFactory(),
            revision=opened,
        )
    saved = Cycle.objects.get(pk=cycle.pk)
    assert [getattr(saved, n) for n in entries] == [f"Corrected {n}" for n in entries]


def test_a_stale_correction_on_the_page_keeps_the_persons_text(client, project, world):
    cycle = completed(project, world)
    client_for(client, world.people["participant"])
    url = reverse("projects:cycle_correct", args=[project.public_id, cycle.number]) + "?field=learning"
    page = client.get(url)
    assert "People" not in page.content.decode()
    form = page.context["form"]
    assert form["new_value"].value() == "l"  # the correction starts with the recorded text
    data = {"field": "learning", "revision": form["revision"].value(), "reason": "Typo"}
    assert client.post(url, {**data, "new_value": "First correction"}).status_code == 302
    response = client.post(url, {**data, "new_value": "Second correction"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "corrected “What we learned” after you opened this page" in body
    assert "First correction" in body and "Second correction" in body
    assert Cycle.objects.get(pk=cycle.pk).learning == "First correction"
    again = {
        **data,
        "revision": response.context["form"]["revision"].value(),
        "new_value": "Second correction",
    }
    assert client.post(url, again).status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).learning == "Second correction"


# Real concurrency (PostgreSQL: SQLite runs one writer at a time by design) ---------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads writing at once need PostgreSQL's row locks"
)


def run_at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        from django.db import connection as conn

        try:
            barrier.wait()
            job()
            results[i] = "saved"
        except StaleCycleError:
            results[i] = "refused"
        except Exception as exc:  # reported by the assertion on the results
            results[i] = repr(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_five_concurrent_corrections_lose_nothing(project, world):
    cycle = completed(project, world)
    opened = cycle.revision
    people = [UserFactory() for _ in range(5)]

    def correct(field, text, person):
        return lambda: services.cycle_correct(
            cycle=Cycle.objects.select_related("project").get(pk=cycle.pk),
            field=field,
            new_value=text,
            reason="r",
            actor=person,
            revision=opened,
        )

    same = run_at_once([correct("learning", f"Learning {i}", people[i]) for i in range(5)])
    assert sorted(same) == ["refused"] * 4 + ["saved"], same
    winner = Cycle.objects.get(pk=cycle.pk).learning
    assert CycleCorrection.objects.get(cycle=cycle).new_value == winner

    opened = Cycle.objects.get(pk=cycle.pk).revision
    entries = ["objective", "prediction", "what_happened", "results", "next_step"]
    different = run_at_once([correct(n, f"Corrected {n}", p) for n, p in zip(entries, people, strict=True)])
    assert different == ["saved"] * 5, different
    saved = Cycle.objects.get(pk=cycle.pk)
    assert [getattr(saved, n) for n in entries] == [f"Corrected {n}" for n in entries]
    assert CycleEdit.objects.filter(cycle=cycle, field__in=entries, correction__isnull=False).count() == 5


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_five_concurrent_stage_saves_merge(project, world):
    cycle = make_cycle(project, world)
    opened = cycle.revision
    entries = ["objective", "questions", "prediction", "tasks", "data_plan"]

    def save(name):
        def job():
            mine = {n: "" for n in entries} | {name: f"{name} by its writer"}
            services.cycle_update(
                cycle=Cycle.objects.select_related("project").get(pk=cycle.pk),
                revision=opened,
                actor=world.people["participant"],
                **mine,
            )

        return job

    assert run_at_once([save(n) for n in entries]) == ["saved"] * 5
    saved = Cycle.objects.get(pk=cycle.pk)
    assert [getattr(saved, n) for n in entries] == [f"{n} by its writer" for n in entries]
    assert saved.revision == opened + 5

    def rewrite(i):
        return lambda: services.cycle_update(
            cycle=Cycle.objects.select_related("project").get(pk=cycle.pk),
            revision=saved.revision,
            actor=world.people["participant"],
            objective=f"Version {i}",
        )

    results = run_at_once([rewrite(i) for i in range(5)])
    assert sorted(results) == ["refused"] * 4 + ["saved"], results  # refused: each told, to choose


def test_the_history_costs_the_same_queries_however_long_it_is(client, project, world):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    short, long = make_cycle(project, world), make_cycle(project, world)
    actor = world.people["participant"]
    services.cycle_update(cycle=short, revision=short.revision, actor=actor, objective="once")
    for i in range(25):
        person = world.people["participant" if i % 2 else "coach"]
        services.cycle_update(
            cycle=long, revision=long.revision, actor=person, objective=f"v{i}", tasks=f"t{i}"
        )
    client_for(client, actor)
    counts = []
    for cycle in (short, long):
        with CaptureQueriesContext(conn) as queries:
            assert client.get(url_of(cycle)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
