"""A project of the world's participant and outcomes on it."""

from datetime import date

from shiftpractice.outcomes import services
from shiftpractice.projects import services as project_services

TOKEN = "a-known-outcome-link-token-for-tests-0123456789"


def make_project(world, *, owner=None, cohort=None, title="Fewer anaesthetic gases in theatres"):
    owner = owner or world.people["participant"]
    return project_services.project_create(
        owner=owner, cohort=cohort or world.cohort, title=title, actor=owner
    )


def outcome_fields(**overrides) -> dict:
    fields = {
        "who_changed": "The theatre anaesthetists",
        "kind": "practice",
        "description": "They now turn off desflurane vaporisers and use sevoflurane by default.",
        "happened_on": date(2026, 3, 1),
        "month_only": True,
        "where": "Main theatres",
        "contribution": "We shared the carbon figures at the audit meeting.",
        "significance": "Less greenhouse gas from every list.",
        "evidence": "Pharmacy orders of desflurane fell to none.",
        "lenses": ["ecology", "systems"],
    }
    fields.update(overrides)
    return fields


def make_outcome(project, actor=None, **overrides):
    return services.outcome_create(
        project=project, actor=actor or project.owner, **outcome_fields(**overrides)
    )


def send_link(outcome, actor, monkeypatch, token=TOKEN):
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: token)
    return services.link_send(
        outcome=outcome,
        actor=actor,
        name="Sam Estates",
        email="Sam@Hospital.example",
        role="Estates manager, Riverside Hospital",
    )
