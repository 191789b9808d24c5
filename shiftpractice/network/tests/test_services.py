"""The network's services: a submission reaches the leads only once its address is confirmed; links work once;
the same address twice is one record; triage changes are audited; an invitation goes through the cohorts app."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from shiftpractice.cohorts.models import Invitation
from shiftpractice.core.models import AuditEvent, EmailDelivery
from shiftpractice.core.sealing import unseal
from shiftpractice.network import services
from shiftpractice.network.choices import ApproachStatus
from shiftpractice.network.models import Approach
from shiftpractice.notifications.models import Notification
from tests.factories import CohortFactory

from .helpers import ANSWERS, confirmed, links, open_call

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_module]


@pytest.fixture
def programme(world):
    open_call(world.programme, world.people["lead"])
    return world.programme


def test_a_submission_waits_for_its_confirmation_then_reaches_the_leads(world, programme):
    approach = services.approach_submit(
        programme=programme, kind="interest", email=" Gita@Example.org ", data=ANSWERS
    )
    assert approach.status == ApproachStatus.UNCONFIRMED
    assert approach.email == "gita@example.org"
    assert not Notification.objects.filter(recipient=world.people["lead"], kind="new_approach").exists()
    delivery = EmailDelivery.objects.get(to_address="gita@example.org")
    assert delivery.text == "" and delivery.sealed  # the working links travel sealed, never stored readable
    services.approach_confirm(token=links("gita@example.org")[0])
    approach.refresh_from_db()
    assert approach.status == ApproachStatus.NEW and approach.confirmed_at is not None
    note = Notification.objects.get(recipient=world.people["lead"], kind="new_approach")
    assert approach.get_absolute_url() in note.url
    assert AuditEvent.objects.filter(verb="approach.confirmed", object_id=str(approach.pk)).exists()


def test_a_confirmation_link_works_once(programme):
    services.approach_submit(programme=programme, kind="interest", email="gita@example.org", data=ANSWERS)
    token = links("gita@example.org")[0]
    services.approach_confirm(token=token)
    with pytest.raises(ValidationError, match="used already"):
        services.approach_confirm(token=token)


def test_a_forged_link_changes_nothing(programme):
    services.approach_submit(programme=programme, kind="interest", email="gita@example.org", data=ANSWERS)
    with pytest.raises(ValidationError, match="not a link we sent"):
        services.approach_confirm(token="made-up-token")
    with pytest.raises(ValidationError, match="not a link we sent"):
        services.approach_withdraw(token="made-up-token")
    assert Approach.objects.get().status == ApproachStatus.UNCONFIRMED


def test_an_expired_link_changes_nothing(programme):
    services.approach_submit(programme=programme, kind="interest", email="gita@example.org", data=ANSWERS)
    token = links("gita@example.org")[0]
    with (
        time_machine.travel(timezone.now() + timedelta(days=8)),
        pytest.raises(ValidationError, match="expired"),
    ):
        services.approach_confirm(token=token)
    assert Approach.objects.get().status == ApproachStatus.UNCONFIRMED


def test_the_same_address_twice_is_one_record_updated_only_when_confirmed(programme):
    approach = confirmed(programme)
    services.approach_submit(
        programme=programme,
        kind="interest",
        email="GITA@example.org",
        data={**ANSWERS, "name": "Someone Else"},
    )
    approach.refresh_from_db()
    assert Approach.objects.count() == 1
    assert approach.name == "Gita Green"  # typing someone's address does not change their answers
    assert approach.pending["name"] == "Someone Else"
    services.approach_confirm(token=links("gita@example.org")[0])
    approach.refresh_from_db()
    assert approach.name == "Someone Else" and approach.pending is None
    assert approach.status == ApproachStatus.NEW


def test_an_interest_and_an_offer_from_one_address_are_two_records(programme):
    confirmed(programme)
    confirmed(programme, kind="offer", offers=["coach"])
    assert Approach.objects.count() == 2


def test_a_closed_call_takes_nothing(world, programme):
    services.open_call_set(programme=programme, is_open=False, invitation="", actor=world.people["lead"])
    with pytest.raises(ValidationError, match="not taking"):
        services.approach_submit(programme=programme, kind="interest", email="gita@example.org", data=ANSWERS)
    assert not Approach.objects.exists()


def test_withdrawing_closes_the_approach_and_the_link_works_once(world, programme):
    approach = confirmed(programme)
    withdraw = links("gita@example.org")[1]
    services.approach_withdraw(token=withdraw)
    approach.refresh_from_db()
    assert approach.status == ApproachStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.approach_withdraw(token=withdraw)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.approach_set_status(approach=approach, status="shortlisted", actor=world.people["lead"])


def test_triage_changes_are_audited(world, programme):
    lead = world.people["lead"]
    approach = confirmed(programme)
    services.approach_set_status(approach=approach, status="shortlisted", actor=lead)
    services.approach_note_add(approach=approach, text="Strong case for the spring cohort.", actor=lead)
    verbs = set(
        AuditEvent.objects.filter(object_id=str(approach.pk), actor=lead).values_list("verb", flat=True)
    )
    assert {"approach.status_changed", "approach.note_added"} <= verbs
    event = AuditEvent.objects.get(verb="approach.status_changed", object_id=str(approach.pk))
    assert event.data == {"before": "new", "after": "shortlisted"}
    assert event.programme_id == programme.pk
    with pytest.raises(ValidationError):
        services.approach_set_status(approach=approach, status="invited", actor=lead)  # only by inviting


def test_inviting_uses_the_cohort_invitation_and_its_capacity_check(world, programme):
    lead = world.people["lead"]
    approach = confirmed(programme)
    services.approach_invite(approach=approach, cohort=world.other_cohort, role="participant", actor=lead)
    approach.refresh_from_db()
    assert approach.status == ApproachStatus.INVITED
    invitation = Invitation.objects.get(email="gita@example.org")
    assert approach.invitation == invitation and invitation.cohort == world.other_cohort
    full = CohortFactory(programme=programme, capacity=0)
    second = confirmed(programme, email="hari@example.org", name="Hari")
    with pytest.raises(ValidationError, match="no participant places"):
        services.approach_invite(approach=second, cohort=full, role="participant", actor=lead)
    second.refresh_from_db()
    assert second.status == ApproachStatus.NEW and second.invitation is None


def test_an_offer_is_invited_only_into_a_role_it_offers(world, programme):
    offer = confirmed(programme, kind="offer", offers=["coach", "data"])
    assert services.invite_roles(offer) == ["coach"]
    with pytest.raises(ValidationError, match="did not offer"):
        services.approach_invite(
            approach=offer, cohort=world.cohort, role="critical_friend", actor=world.people["lead"]
        )


def test_a_decline_sends_one_kind_email(world, programme):
    approach = confirmed(programme)
    services.approach_decline(
        approach=approach, message="We hope to run another cohort in the autumn.", actor=world.people["lead"]
    )
    email = EmailDelivery.objects.filter(to_address="gita@example.org").order_by("-id").first()
    assert "cannot offer you a place" in email.text and "autumn" in email.text
    with pytest.raises(ValidationError, match="declined already"):
        services.approach_decline(approach=approach, message="", actor=world.people["lead"])
    assert EmailDelivery.objects.filter(to_address="gita@example.org").count() == 2  # confirmation, decline


def test_refusals_are_counted_not_kept(programme):
    services.refused_count(programme=programme, reason="honeypot")
    services.refused_count(programme=programme, reason="honeypot")
    from shiftpractice.network.selectors import refused_lately

    assert refused_lately(programme) == 2
    assert not Approach.objects.exists()


def test_withdrawing_before_confirming_keeps_nothing(programme):
    services.approach_submit(programme=programme, kind="interest", email="gita@example.org", data=ANSWERS)
    services.approach_withdraw(token=links("gita@example.org")[1])
    assert not Approach.objects.exists()
    assert not AuditEvent.objects.filter(object_type="network.approach").exists()  # no name in the leads' log


def test_a_new_submission_keeps_the_first_withdrawal_link(programme):
    confirmed(programme)
    first_withdraw = links("gita@example.org")[1]
    services.approach_submit(programme=programme, kind="interest", email="gita@example.org", data=ANSWERS)
    latest = EmailDelivery.objects.filter(to_address="gita@example.org").latest("id")
    assert "withdrawal link in our first email" in unseal(latest.sealed)["text"]
    services.approach_withdraw(token=first_withdraw)
    assert Approach.objects.get().status == ApproachStatus.WITHDRAWN


def test_declining_withdraws_a_live_invitation(world, programme):
    lead = world.people["lead"]
    approach = confirmed(programme)
    services.approach_invite(approach=approach, cohort=world.other_cohort, role="participant", actor=lead)
    services.approach_decline(approach=approach, message="", actor=lead)
    assert Invitation.objects.get(email="gita@example.org").revoked_at is not None
