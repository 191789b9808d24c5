"""Coach assignments, contacts, agreed actions: the happy path and every kind of bad input."""

import contextlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.coaching import selectors
from shiftpractice.coaching.models import Action, CoachNote, SupportContact
from shiftpractice.coaching.selectors import participant_support
from shiftpractice.coaching.services import support as services
from shiftpractice.cohorts.models import Membership
from shiftpractice.cohorts.roles import request_roles
from shiftpractice.core import memo
from shiftpractice.notifications.models import Notification
from shiftpractice.projects.models.project import grants_whole_cohorts

TODAY = timezone.localdate


def contact_form(**overrides):
    data = {
        "occurred_on": TODAY().isoformat(),
        "mode": "telephone",
        "duration_minutes": "25",
        "initiated_by": "coach",
        "summary": "We looked at the run chart together.",
        "notes": "Worried about capacity.",
        "next_contact_on": (TODAY() + timedelta(days=14)).isoformat(),
        "action_1_description": "Share the chart with the ward team",
        "action_1_owner": "participant",
        "action_1_due_on": (TODAY() + timedelta(days=7)).isoformat(),
        "action_1_project": "",
        "action_2_description": "",
    }
    data.update(overrides)
    return data


def test_the_coach_logs_a_contact_with_an_agreed_action_and_the_participant_sees_it(client, coaching):
    client_for(client, coaching.people["coach"])
    url = reverse("coaching:contact_log", args=[coaching.assignment.public_id])
    response = client.post(url, contact_form(action_1_project=f"c{coaching.cycle.public_id}"))
    assert response.status_code == 302
    contact = SupportContact.objects.get()
    action = Action.objects.get()
    assert action.contact == contact and action.cycle == coaching.cycle and action.project == coaching.project
    assert CoachNote.objects.get().text == "Worried about capacity."
    assert Notification.objects.filter(
        recipient=coaching.people["participant"], kind="contact_logged"
    ).exists()

    client_for(client, coaching.people["participant"])
    page = client.get(coaching.assignment.get_absolute_url()).content.decode()
    assert "We looked at the run chart together." in page and "Share the chart with the ward team" in page
    assert "Worried about capacity." not in page
    client.post(reverse("coaching:action_status", args=[action.public_id]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done" and action.closed_at is not None
    row = participant_support(coaching.people["participant"])[0]
    assert row.last_contact == TODAY() and row.open_actions == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"occurred_on": 1},
            "occurred_on",
            "cannot be in the future",
        ),
        (
            {"occurred_on": -400},
            "occurred_on",
            "before the coaching began",
        ),
        ({"duration_minutes": "-5"}, "duration_minutes", "greater than or equal to 0"),
        ({"duration_minutes": "600"}, "duration_minutes", "less than or equal to 480"),
        ({"summary": "   "}, "summary", "required"),
        ({"action_1_due_on": -1}, "action_1_due_on", "today or later"),
        ({"action_1_due_on": ""}, "action_1_due_on", "Enter the date action 1 is due"),
        ({"next_contact_on": -3}, "next_contact_on", "on or after"),
    ],
)
def test_bad_contacts_are_refused_with_a_clear_message_and_nothing_is_saved(
    client, coaching, overrides, field, message
):
    # A date is given as days from today and made into one here, when the test runs: worked out when the tests
    # were collected, "tomorrow" had become today in a run that crossed midnight.
    overrides = {
        k: (TODAY() + timedelta(days=v)).isoformat() if isinstance(v, int) else v
        for k, v in overrides.items()
    }
    client_for(client, coaching.people["coach"])
    url = reverse("coaching:contact_log", args=[coaching.assignment.public_id])
    response = client.post(url, contact_form(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert (
        not SupportContact.objects.exists() and not Action.objects.exists() and not CoachNote.objects.exists()
    )


def test_the_service_refuses_the_same_bad_input_the_form_does(coaching):
    kwargs = dict(
        assignment=coaching.assignment,
        actor=coaching.people["coach"],
        occurred_on=TODAY(),
        mode="telephone",
        duration_minutes=-1,
        initiated_by="coach",
        summary=" ",
        actions=[services.ActionSpec("Do it", "participant", TODAY() - timedelta(days=1))],
    )
    with pytest.raises(ValidationError) as exc:
        services.contact_log(**kwargs)
    assert {"duration_minutes", "summary", "action_1_due_on"} <= set(exc.value.message_dict)
    assert not SupportContact.objects.exists()


def test_the_database_refuses_an_impossible_duration(coaching):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportContact.objects.create(
            assignment=coaching.assignment,
            occurred_on=TODAY(),
            mode="email",
            duration_minutes=10_000,
            initiated_by="coach",
            summary="x",
        )


def test_an_action_may_only_link_to_the_participants_own_projects(coaching, world):
    from shiftpractice.projects import services as project_services
    from tests.factories import MembershipFactory, UserFactory

    stranger = UserFactory()
    MembershipFactory(cohort=world.cohort, user=stranger)
    other = project_services.project_create(
        owner=stranger, cohort=world.cohort, title="Theirs", actor=stranger
    )
    spec = services.ActionSpec("Look", "coach", TODAY(), project=other)
    with pytest.raises(ValidationError, match="own projects"):
        services.action_create(assignment=coaching.assignment, spec=spec, actor=coaching.people["coach"])


def test_assignments_need_a_coach_and_a_participant_of_the_cohort_and_one_coach_each(coaching, world):
    people = coaching.people
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(
            cohort=world.cohort,
            coach=people["peer"],
            participant=people["other_participant"],
            starts_on=TODAY(),
            actor=people["lead"],
        )
    assert set(exc.value.message_dict) == {"coach", "participant"}
    with pytest.raises(ValidationError, match="already has a coach"):
        services.assignment_create(
            cohort=world.cohort,
            coach=people["coach"],
            participant=people["participant"],
            starts_on=TODAY(),
            actor=people["lead"],
        )
    with pytest.raises(ValidationError, match="on or after the start"):
        services.assignment_create(
            cohort=world.cohort,
            coach=people["coach"],
            participant=people["peer"],
            starts_on=TODAY(),
            ends_on=TODAY() - timedelta(days=1),
            actor=people["lead"],
        )


def test_the_lead_assigns_a_coach_from_the_cohort_page(client, coaching, world):
    client_for(client, coaching.people["lead"])
    url = reverse("coaching:cohort", args=[world.cohort.slug])
    page = client.get(url)
    assert "Petra Peer" in page.content.decode()  # unassigned participants are offered
    response = client.post(
        url,
        {
            "participant": coaching.people["peer"].pk,
            "coach": coaching.people["coach"].pk,
            "starts_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    assert coaching.people["peer"].coach_assignments.get().coach == coaching.people["coach"]
    assert Notification.objects.filter(recipient=coaching.people["peer"], kind="coach_assigned").exists()


def test_overdue_actions_are_highlighted_and_the_nudge_shows_after_quiet_days(client, coaching):
    action = services.action_create(
        assignment=coaching.assignment,
        spec=services.ActionSpec("Book the room", "participant", TODAY()),
        actor=coaching.people["coach"],
    )
    Action.objects.filter(pk=action.pk).update(due_on=TODAY() - timedelta(days=2))
    client_for(client, coaching.people["coach"])
    page = client.get(reverse("coaching:dashboard")).content.decode()
    assert "1 overdue" in page
    assert "No contact for 60 days" in page  # the assignment began 60 days ago and nobody has been in touch
    assert "Not available yet" not in page  # chart signals come from the measures app
    detail = client.get(coaching.assignment.get_absolute_url()).content.decode()
    assert "Overdue" in detail and "Time to get in touch" in detail


def test_support_that_starts_later_says_so_everywhere(client, coaching):
    """Support dated to start next week is neither "current" nor "ended": every page says when it starts."""
    people = coaching.people
    starts = timezone.localdate() + timedelta(days=7)
    later = services.assignment_create(
        cohort=coaching.world.cohort,
        coach=people["coach"],
        participant=people["peer"],
        starts_on=starts,
        actor=people["lead"],
    )
    phrase = f"starts on {starts:%-d %B %Y}"
    assert later.period_phrase == phrase
    client_for(client, people["coach"])
    dashboard = client.get(reverse("coaching:dashboard")).content.decode()
    assert "Starting later (1)" in dashboard and "Ended (0)" in dashboard
    dashboard = client.get(reverse("coaching:dashboard"), {"period": "upcoming"}).content.decode()
    assert "Coachees whose support starts later" in dashboard and phrase in dashboard
    assert phrase in client.get(later.get_absolute_url()).content.decode()
    client_for(client, people["peer"])
    assert phrase in client.get(reverse("home:index")).content.decode()
    assert phrase in client.get(reverse("coaching:dashboard")).content.decode()


def test_a_measure_with_many_new_signals_tells_three_and_counts_the_rest(client, coaching, monkeypatch):
    """The coachee page spells out a measure's first three new signals and links its chart for the others,
    so a long series with dozens of signals does not fill the page."""
    from shiftpractice.measures import selectors as measure_selectors

    def signal(k):
        return measure_selectors.SignalSummary(
            project_id=coaching.project.pk,
            measure_id=1,
            measure_name="Inhalers prescribed",
            measure_url="/measures/m/",
            rule="shift",
            rule_label="Shift",
            nature="improvement",
            text=f"Signal number {k} explained.",
            period=TODAY() - timedelta(days=k),
            changed_at=timezone.now(),
        )

    monkeypatch.setattr(
        measure_selectors,
        "new_signals_for_projects",
        lambda ids, since=None: {pk: [signal(k) for k in range(7)] for pk in ids},
    )
    client_for(client, coaching.people["coach"])
    page = client.get(coaching.assignment.get_absolute_url()).content.decode()
    assert all(f"Signal number {k} explained." in page for k in range(3))
    assert "Signal number 3 explained." not in page
    assert '<a href="/measures/m/">4 more signals on the chart of Inhalers prescribed</a>' in page


def test_the_dashboard_names_each_measure_with_new_signals_once_with_their_kinds(
    client, coaching, monkeypatch
):
    """The coach dashboard's cell: how many new signals, then each measure once with the kinds of its signals
    (made in Python as one line, escaped like any text)."""
    from shiftpractice.measures import selectors as measure_selectors

    def signal(measure_id, name, label):
        return measure_selectors.SignalSummary(
            project_id=coaching.project.pk,
            measure_id=measure_id,
            measure_name=name,
            measure_url="/measures/m/",
            rule=label.lower(),
            rule_label=label,
            nature="improvement",
            text="Explained.",
            period=TODAY(),
            changed_at=timezone.now(),
        )

    found = [signal(1, "Falls", "Shift"), signal(2, "<b>Waits</b>", "Run"), signal(1, "Falls", "Trend")]
    found.append(signal(1, "Falls", "Shift"))
    monkeypatch.setattr(
        measure_selectors, "new_signals_for_projects", lambda ids, since=None: {pk: found for pk in ids}
    )
    page = client_for(client, coaching.people["coach"]).get(reverse("coaching:dashboard")).content.decode()
    assert "4: Falls (shift, trend); &lt;b&gt;Waits&lt;/b&gt; (run)</td>" in page


def _call_three_days_ago(coaching, *more_actions):
    """A call three days ago that agreed an action now overdue (and any more), the next call in a week."""
    services.contact_log(
        assignment=coaching.assignment,
        actor=coaching.people["coach"],
        occurred_on=TODAY() - timedelta(days=3),
        mode="telephone",
        duration_minutes=20,
        initiated_by="coach",
        summary="A call",
        next_contact_on=TODAY() + timedelta(days=7),
        actions=[
            services.ActionSpec("Print leaflets", "participant", TODAY() - timedelta(days=1)),
            *more_actions,
        ],
        backdated=True,
    )


def test_the_support_summary_without_projects_agrees_with_the_full_rows_and_reads_no_project(
    coaching, django_assert_num_queries
):
    """The home pages show contacts and actions only: their rows skip the projects' query, and say so."""
    participant = coaching.people["participant"]
    _call_three_days_ago(coaching)
    full = participant_support(participant)[0]
    assert [p.pk for p in full.projects] == [coaching.project.pk]
    with django_assert_num_queries(2):  # the existence check, then the assignments with contacts and actions
        summary = participant_support(participant, projects=False)[0]
    assert summary.projects is None and summary.cycles_waiting == 0
    facts = ("last_contact", "next_contact", "open_actions", "overdue_actions", "days_quiet", "needs_nudge")
    assert [getattr(summary, f) for f in facts] == [getattr(full, f) for f in facts]
    assert (full.open_actions, full.overdue_actions) == (1, 1)


@pytest.mark.parametrize("sort", ["name", "quiet", "next"])
def test_the_dashboards_rows_read_with_their_page_agree_with_the_support_rows(coaching, sort):
    """The dashboard reads a page of coachees with their rows' figures in one query (``coachee_rows``): the
    same rows, figures and order as reading the page's ids and then their support rows."""
    people, coach = coaching.people, coaching.people["coach"]
    services.assignment_create(
        cohort=coaching.world.cohort,
        coach=coach,
        participant=people["peer"],
        starts_on=TODAY() - timedelta(days=30),
        actor=people["lead"],
    )
    _call_three_days_ago(
        coaching, services.ActionSpec("Book a room", "participant", TODAY() + timedelta(days=5))
    )
    facts = (
        "participant_name",
        "last_contact",
        "next_contact",
        "open_actions",
        "overdue_actions",
        "days_quiet",
    )
    for q in ("", people["peer"].full_name):
        ids = list(
            selectors.coachee_list(coach, period="current", q=q, sort=sort).values_list("pk", flat=True)
        )
        by_ids = selectors.rows_for_page(ids, viewer=coach)
        read = selectors.rows_of(
            selectors.coachee_rows(coach, period="current", q=q, sort=sort), viewer=coach
        )
        assert [[getattr(r, f) for f in facts] for r in read] == [
            [getattr(r, f) for f in facts] for r in by_ids
        ]
        assert [r.assignment.pk for r in read] == ids and len(ids) == (2 if not q else 1)
    rows = {r.assignment.pk: r for r in read} | {
        r.assignment.pk: r
        for r in selectors.rows_of(selectors.coachee_rows(coach, period="current"), viewer=coach)
    }
    assert (rows[coaching.assignment.pk].open_actions, rows[coaching.assignment.pk].overdue_actions) == (2, 1)


def test_the_rows_projects_are_those_the_sharing_rule_grants_whether_or_not_it_is_asked(coaching):
    """In a request that has read the coach's roles and finds them coaching every cohort of the rows, the rows'
    projects are read without the sharing rule (it grants a cohort's coaches all its projects); a coach whose
    place in the cohort has gone (the assignment left behind) is back to the rule, which hides a team-only
    project. Either way the rows show what the rule alone gives."""
    coach, team_only = coaching.people["coach"], coaching.project
    assert team_only.visibility == "team"

    def projects(in_request: bool):
        with memo.request_scope() if in_request else contextlib.nullcontext():
            if in_request:
                request_roles(coach)
                asks_the_rule = not grants_whole_cohorts(coach, [coaching.world.cohort.pk])
            rows = selectors.rows_of(selectors.coachee_rows(coach, period="current"), viewer=coach)
        return asks_the_rule if in_request else None, [[p.pk for p in r.projects] for r in rows]

    assert projects(in_request=True) == (False, [[team_only.pk]])
    assert projects(in_request=False)[1] == [[team_only.pk]]
    Membership.objects.filter(cohort=coaching.world.cohort, user=coach, role="coach").delete()
    assert projects(in_request=True) == (True, [[]])
    assert projects(in_request=False)[1] == [[]]
