"""The rules of most significant change, through the services and selectors."""

import pytest
from django.core.exceptions import ValidationError

from shiftpractice.msc import selectors, services
from shiftpractice.msc.models import Choice, Story
from shiftpractice.notifications.models import Notification

from .helpers import cohort_round, domains, participants, write

pytestmark = pytest.mark.world_per_module


def test_one_story_per_domain_and_person(world):
    practice, organisation, _ = domains(world)
    me = world.people["participant"]
    write(practice, me)
    with pytest.raises(ValidationError, match="already written"):
        write(practice, me, title="Another one")
    write(organisation, me, title="A different domain is fine")
    assert Story.objects.filter(author=me).count() == 2


def test_only_participants_write_and_consent_is_needed(world):
    practice = domains(world)[0]
    for persona in ("lead", "coach", "critical_friend", "outsider"):
        with pytest.raises(ValidationError, match="participants"):
            write(practice, world.people[persona])
    with pytest.raises(ValidationError) as error:
        services.story_write(
            domain=practice, title="T", story="S", why="W", consent=False, actor=world.people["participant"]
        )
    assert "consent" in error.value.message_dict
    assert not Story.objects.exists()


def test_a_domain_with_stories_can_be_renamed_but_not_removed(world):
    practice, organisation, _ = domains(world)
    write(practice, world.people["participant"])
    lead = world.people["lead"]
    services.domain_update(domain=practice, name="Changes in how I work", actor=lead)
    with pytest.raises(ValidationError, match="cannot be removed: 1 story is written"):
        services.domain_delete(domain=practice, actor=lead)
    services.domain_delete(domain=organisation, actor=lead)
    assert [d.name for d in selectors.domain_list(world.programme)] == [
        "Changes in how I work",
        "Changes for patients, communities or nature",
    ]
    with pytest.raises(ValidationError, match="leads"):
        services.domain_create(programme=world.programme, name="X", actor=world.people["critical_friend"])


def test_a_story_is_editable_until_a_round_that_read_it_closes(world):
    practice = domains(world)[0]
    me = world.people["participant"]
    story = write(practice, me)
    round_ = cohort_round(world)
    services.story_update(story=story, title="Better title", text="Text", why="Why", show_name=True, actor=me)
    services.round_close(round_=round_, actor=world.people["lead"])
    with pytest.raises(ValidationError, match="has closed"):
        services.story_update(story=story, title="Late", text="Text", why="Why", show_name=True, actor=me)
    story.refresh_from_db()
    assert story.title == "Better title"
    services.story_withdraw(story=story, actor=me)  # consent can be withdrawn at any time
    assert Story.objects.get(pk=story.pk).withdrawn_at is not None


def test_withdrawing_takes_a_story_out_of_open_rounds_and_reports(world):
    practice = domains(world)[0]
    me = world.people["participant"]
    story = write(practice, me, show_name=True)
    round_ = cohort_round(world)
    friend = world.people["critical_friend"]
    services.choice_record(round_=round_, story=story, reasons="It changed a whole ward.", actor=friend)
    with pytest.raises(ValidationError, match="author"):
        services.story_withdraw(story=story, actor=friend)
    services.story_withdraw(story=story, actor=me)
    assert not Choice.objects.filter(round=round_).exists()
    assert list(selectors.round_candidates(round_, practice)) == []
    with pytest.raises(ValidationError, match="withdrawn"):
        services.choice_record(round_=round_, story=story, reasons="Again", actor=friend)
    assert selectors.story_counts(world.programme)["stories"] == 0


def test_a_withdrawn_story_in_a_closed_round_shows_as_withdrawn_with_no_words(world):
    practice = domains(world)[0]
    me = world.people["participant"]
    story = write(practice, me, show_name=True)
    round_ = cohort_round(world)
    services.choice_record(round_=round_, story=story, reasons="Bold.", actor=world.people["lead"])
    services.round_close(round_=round_, actor=world.people["lead"])
    before = selectors.chosen_for_report(world.programme, world.cohort)
    assert before[0]["title"] == story.title and before[0]["author"] == "Pat Participant"
    services.story_withdraw(story=story, actor=me)
    after = selectors.chosen_for_report(world.programme, world.cohort)
    assert after[0] == {
        "id": story.pk,  # so a published report that quoted it can say it was withdrawn
        "domain": practice.name,
        "title": "",
        "story": "",
        "why": "",
        "reasons": "",
        "author": "",
        "withdrawn": True,
    }


def test_a_choice_by_someone_not_on_the_panel_is_refused(world):
    practice = domains(world)[0]
    story = write(practice, world.people["participant"])
    round_ = cohort_round(world, panel=[world.people["critical_friend"]])
    for persona in ("lead", "coach", "participant", "other_participant", "outsider"):
        with pytest.raises(ValidationError, match="Only the round's panel"):
            services.choice_record(round_=round_, story=story, reasons="Because", actor=world.people[persona])
    assert not Choice.objects.exists()
    services.choice_record(
        round_=round_, story=story, reasons="Because", actor=world.people["critical_friend"]
    )
    assert Choice.objects.get().reasons == "Because"


def test_the_panel_is_chosen_from_leads_critical_friends_and_coaches(world):
    with pytest.raises(ValidationError) as error:
        cohort_round(world, panel=[world.people["participant"]])
    assert "panel" in error.value.message_dict
    round_ = cohort_round(world, panel=[world.people["coach"], world.people["lead"]])
    assert set(round_.panel.all()) == {world.people["coach"], world.people["lead"]}


def test_a_programme_round_reads_only_the_stories_chosen_in_the_rounds_it_stacks(world):
    practice, organisation, _ = domains(world)
    lead = world.people["lead"]
    a1, a2 = participants(world.cohort, 2, prefix="a")
    (b1,) = participants(world.other_cohort, 1, prefix="b")
    chosen_a = write(practice, a1, title="Chosen in A")
    write(practice, a2, title="Not chosen in A")
    write(organisation, a2, title="Nothing chosen here")
    chosen_b = write(practice, b1, title="Chosen in B")
    round_a = cohort_round(world, panel=[lead])
    round_b = cohort_round(world, panel=[lead], cohort=world.other_cohort, title="Cohort B panel")
    services.choice_record(round_=round_a, story=chosen_a, reasons="A's best", actor=lead)
    services.choice_record(round_=round_b, story=chosen_b, reasons="B's best", actor=lead)
    with pytest.raises(ValidationError, match="closed cohort rounds"):
        services.round_create(
            programme=world.programme, title="Too soon", panel=[lead], stacked=[round_a], actor=lead
        )
    services.round_close(round_=round_a, actor=lead)
    services.round_close(round_=round_b, actor=lead)
    programme_round = services.round_create(
        programme=world.programme,
        title="Programme panel",
        panel=[lead],
        stacked=[round_a, round_b],
        actor=lead,
    )
    read = selectors.round_candidates(programme_round, practice)
    assert [(s.title, selectors.letter(s.number)) for s in read] == [
        ("Chosen in A", "A"),
        ("Chosen in B", "B"),
    ]
    assert not selectors.round_candidates(programme_round, organisation).exists()
    not_read = Story.objects.get(title="Not chosen in A")
    with pytest.raises(ValidationError, match="not one the round reads"):
        services.choice_record(round_=programme_round, story=not_read, reasons="No", actor=lead)
    services.choice_record(
        round_=programme_round, story=chosen_b, reasons="The most far-reaching", actor=lead
    )
    services.round_close(round_=programme_round, actor=lead)
    report = selectors.chosen_for_report(world.programme)
    assert [(r["domain"], r["title"], r["reasons"]) for r in report] == [
        (practice.name, "Chosen in B", "The most far-reaching"),
        (organisation.name, "", ""),
        ("Changes for patients, communities or nature", "", ""),
    ]
    # Every storyteller of the stacked rounds hears of the programme round's results.
    told = Notification.objects.filter(url__contains=str(programme_round.public_id))
    assert set(told.values_list("recipient_id", flat=True)) == {a1.pk, a2.pk, b1.pk}


def test_closing_tells_every_storyteller_once_and_the_letters_are_stable(world):
    practice = domains(world)[0]
    lead = world.people["lead"]
    people = participants(world.cohort, 3)
    stories = [write(practice, p, title=f"Story by {p.full_name}") for p in people]
    round_ = cohort_round(world)
    assert [selectors.letter(s.number) for s in selectors.round_candidates(round_, practice)] == [
        "A",
        "B",
        "C",
    ]
    services.story_withdraw(story=stories[1], actor=people[1])
    assert [selectors.letter(s.number) for s in selectors.round_candidates(round_, practice)] == ["A", "C"]
    assert selectors.letter_of(round_, stories[2]) == "C"
    told = services.round_close(round_=round_, actor=lead)
    assert told == 2  # the storyteller who withdrew is not sent results
    with pytest.raises(ValidationError, match="already closed"):
        services.round_close(round_=round_, actor=lead)
    notes = Notification.objects.filter(recipient__in=people)
    assert notes.count() == 2
    assert all(n.kind == "case_study" and n.url.endswith("/results/") for n in notes)
    with pytest.raises(ValidationError, match="leads"):
        services.round_close(round_=cohort_round(world), actor=world.people["critical_friend"])


def test_chosen_for_report_falls_back_to_each_cohorts_latest_round(world):
    practice = domains(world)[0]
    lead = world.people["lead"]
    assert selectors.chosen_for_report(world.programme) == []
    story = write(practice, world.people["participant"])
    round_a = cohort_round(world, panel=[lead])
    services.choice_record(round_=round_a, story=story, reasons="Clear", actor=lead)
    services.round_close(round_=round_a, actor=lead)
    report = selectors.chosen_for_report(world.programme)
    assert len(report) == 3 and report[0]["title"] == story.title and report[0]["author"] == ""
    assert selectors.chosen_for_report(world.programme, world.other_cohort) == []


def test_story_counts(world):
    practice, organisation, nature = domains(world)
    write(practice, world.people["participant"])
    write(organisation, world.people["participant"])
    withdrawn = write(practice, world.people["other_participant"])
    services.story_withdraw(story=withdrawn, actor=world.people["other_participant"])
    assert selectors.story_counts(world.programme) == {
        "stories": 2,
        "storytellers": 1,
        "by_domain": {practice.name: 1, organisation.name: 1, nature.name: 0},
    }
    assert selectors.story_counts(world.programme, world.other_cohort)["stories"] == 0


def test_every_write_is_audited_against_the_programme(world):
    from shiftpractice.core.models import AuditEvent

    practice = domains(world)[0]
    story = write(practice, world.people["participant"])
    round_ = cohort_round(world)
    services.choice_record(round_=round_, story=story, reasons="Yes", actor=world.people["lead"])
    services.round_close(round_=round_, actor=world.people["lead"])
    verbs = set(AuditEvent.objects.filter(programme_id=world.programme.pk).values_list("verb", flat=True))
    assert {
        "msc.domain_create",
        "msc.story_write",
        "msc.round_create",
        "msc.choose",
        "msc.round_close",
    } <= verbs
