"""Migration 0007: members made before the sharing terms existed are kept, with no acceptance recorded (they
never saw the terms, and the rule needs none: it is computed); existing invitations and link materials each get
their own public id, so the new pages can address them."""

from datetime import date

import pytest
from django.utils import timezone

from tests.migrations import latest, migrate

BEFORE = [("cohorts", "0006_invitation_one_open_per_person")]
AFTER = [("cohorts", "0007_sharing_terms_revoked_invitations_material_files")]


@pytest.mark.django_db(transaction=True)
def test_existing_members_invitations_and_materials_survive_with_public_ids():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Programme = old.get_model("programmes", "Programme")
    Cohort = old.get_model("cohorts", "Cohort")
    Membership = old.get_model("cohorts", "Membership")
    Invitation = old.get_model("cohorts", "Invitation")
    Workshop = old.get_model("cohorts", "Workshop")
    Material = old.get_model("cohorts", "WorkshopMaterial")
    programme = Programme.objects.create(name="P", slug="p", organisation="O", summary="S")
    cohort = Cohort.objects.create(
        programme=programme,
        name="C",
        slug="c",
        start_date=date(2030, 1, 1),
        end_date=date(2030, 2, 1),
        capacity=5,
    )
    person = User.objects.create(email="member@example.org", full_name="M")
    member = Membership.objects.create(cohort=cohort, user=person, role="participant")
    now = timezone.now()
    invitations = [
        Invitation.objects.create(
            cohort=cohort,
            email=f"i{n}@example.org",
            role="participant",
            token_hash=str(n) * 64,
            expires_at=now,
        ).pk
        for n in range(3)
    ]
    workshop = Workshop.objects.create(
        programme=programme, number=1, title="W", starts_at=now, ends_at=now + timezone.timedelta(hours=1)
    )
    materials = [
        Material.objects.create(workshop=workshop, title=f"M{n}", url="https://x.org").pk for n in range(2)
    ]

    new = migrate(AFTER)

    Membership = new.get_model("cohorts", "Membership")
    Invitation = new.get_model("cohorts", "Invitation")
    Material = new.get_model("cohorts", "WorkshopMaterial")
    assert Membership.objects.get(pk=member.pk).sharing_terms_accepted_at is None
    ids = list(Invitation.objects.filter(pk__in=invitations).values_list("public_id", flat=True))
    ids += list(Material.objects.filter(pk__in=materials).values_list("public_id", flat=True))
    assert None not in ids and len(set(ids)) == 5
    assert all(m.file == "" and m.url for m in Material.objects.all())
    migrate(latest())
