"""The data migration that closes duplicate open invitations before the database starts refusing them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.migrations import latest, migrate

BEFORE = [("cohorts", "0004_invitation_superseded_and_delivery")]
AFTER = [("cohorts", "0006_invitation_one_open_per_person")]


@pytest.mark.django_db(transaction=True)
def test_duplicate_open_invitations_are_closed_keeping_the_newest():
    old = migrate(BEFORE)
    Programme = old.get_model("programmes", "Programme")
    Cohort = old.get_model("cohorts", "Cohort")
    Invitation = old.get_model("cohorts", "Invitation")
    programme = Programme.objects.create(name="P", slug="p", organisation="O", summary="S")
    cohort = Cohort.objects.create(
        programme=programme,
        name="C",
        slug="c",
        start_date=date(2030, 1, 1),
        end_date=date(2030, 2, 1),
        capacity=5,
    )
    now = timezone.now()

    def invitation(email, n, **extra):
        made = Invitation.objects.create(
            cohort=cohort, email=email, role="participant", token_hash=str(n) * 64, expires_at=now, **extra
        )
        Invitation.objects.filter(pk=made.pk).update(created_at=now - timedelta(days=10 - n))
        return made.pk

    older = invitation("dup@example.org", 1)
    newest = invitation("DUP@example.org", 2)
    accepted = invitation("dup@example.org", 3, accepted_at=now)
    other = invitation("other@example.org", 4)

    new = migrate(AFTER)

    Invitation = new.get_model("cohorts", "Invitation")
    open_ids = set(Invitation.objects.filter(superseded_at__isnull=True).values_list("pk", flat=True))
    assert open_ids == {newest, accepted, other}
    assert Invitation.objects.get(pk=older).superseded_at is not None
    migrate(latest())
