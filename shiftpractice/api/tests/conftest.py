"""The API's personas: the shared World, each person with a token that may write, a project of the
participant's (shared with the cohort) with a cycle and a measure, and a public project of the other
participant's."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shiftpractice.api import services as token_services
from shiftpractice.api.models import ApiToken
from shiftpractice.measures import services as measure_services
from shiftpractice.projects import services as project_services

API = "/api/v1"
# What each persona may do with the participant's cohort-shared project: edit, read, or nothing (404).
PROJECT_ACCESS = {
    "lead": "read",
    "coach": "read",
    "participant": "edit",
    "other_participant": None,
    "critical_friend": "read",
    "outsider": None,
}
TOKEN_PERSONAS = [*PROJECT_ACCESS, "anonymous", "revoked", "expired"]


def month(i: int) -> date:
    y, m = divmod(i, 12)
    return date(2021 + y, m + 1, 1)


@dataclass
class ApiWorld:
    world: object
    project: object
    cycle: object
    measure: object
    public_project: object
    public_measure: object
    tokens: dict = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        """A client that sends the persona's token (none for anonymous)."""
        raw = self.tokens.get(persona)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}") if raw else Client()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_world(world) -> ApiWorld:
    people = world.people
    owner = people["participant"]
    project = project_services.project_create(
        owner=owner, cohort=world.cohort, title="Green prescribing", actor=owner, visibility="cohort"
    )
    cycle = project_services.cycle_create(
        project=project, title="Ask at triage", actor=owner, objective="Try it"
    )
    measure = measure_services.measure_create(
        project=project, name="Referrals", measure_type="outcome", data_kind="count", actor=owner
    )
    for i, v in enumerate([10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 15, 16, 14, 15, 16, 17, 15, 16]):
        measure_services.point_save(measure=measure, period=month(i), value=v, actor=owner)
    other = people["other_participant"]
    public = project_services.project_create(
        owner=other, cohort=world.other_cohort, title="Walking group", actor=other, visibility="public"
    )
    project_services.project_approve_public(project=public, actor=people["lead"])
    public_measure = measure_services.measure_create(
        project=public, name="Walkers", measure_type="outcome", data_kind="count", actor=other
    )
    measure_services.point_save(measure=public_measure, period=month(0), value=4, actor=other)
    aw = ApiWorld(world, project, cycle, measure, public, public_measure)
    for persona, user in people.items():
        if user is not None:
            aw.tokens[persona] = token_services.token_create(
                user=user, name="test", scope="write", actor=user
            )[1]
    token, aw.tokens["revoked"] = token_services.token_create(
        user=owner, name="old", scope="write", actor=owner
    )
    token_services.token_revoke(token=token, actor=owner)
    token, aw.tokens["expired"] = token_services.token_create(
        user=owner, name="gone", scope="write", actor=owner
    )
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=100), expires_at=timezone.now() - timedelta(days=10)
    )
    return aw
