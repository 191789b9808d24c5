"""Contract tests: Schemathesis reads the API's own OpenAPI schema (/api/v1/openapi.json, served in-process over
WSGI) and sends every operation requests it generates from it, as each persona's token (read and write). Every
answer must be: no server error (5xx), a status, content type, headers and body the schema declares for the
operation, and nothing another persona may not see (a custom check: no private id, email or title of someone
else's work in a successful answer, and a 404 whenever the path names something the persona may not read).

Generation is bounded and reproducible: ``MAX_EXAMPLES`` cases per operation and persona for valid data and
``NEGATIVE_EXAMPLES`` for data the schema forbids, derandomised (the same
cases every run), no deadline.
Path parameters are drawn from the personas' real objects (the participant's project, cycle and measure, a public
project and measure, the programme, cohorts and workshops) as well as generated, so operations reach real rows.
Each case runs in a savepoint rolled back afterwards: cases do not change each other's world. The figures
(operations, cases, statuses) are printed at the end.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
from collections import Counter
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import API, PROJECT_ACCESS, month

pytestmark = pytest.mark.django_db

# Cases per operation and persona: valid ones, and ones the schema forbids. For a longer hunt on your machine,
# SCHEMATHESIS_EXAMPLES=100 (the negative ones are a third of it) and SCHEMATHESIS_RANDOM=1 (new cases each run).
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
NEGATIVE_EXAMPLES = max(MAX_EXAMPLES // 3, 1)
DERANDOMIZE = os.environ.get("SCHEMATHESIS_RANDOM", "") != "1"
PERSONAS = [*PROJECT_ACCESS, "anonymous"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@contextmanager
def _connections_kept_open():
    """A request through the WSGI handler ends by closing "old" database connections; inside the test's
    transaction that would close the connection the test is using (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@contextmanager
def _quiet_request_log():
    """Thousands of 4xx answers are expected here: log only server errors (which fail the test anyway)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _secrets(aw) -> dict[str, dict[str, str]]:
    """For each persona, what no successful answer to them may contain: {text: what it is}."""
    world = aw.world
    people = world.people
    participant_work = {
        str(aw.project.public_id): "the participant's project",
        str(aw.cycle.public_id): "the participant's cycle",
        str(aw.measure.public_id): "the participant's measure",
        aw.project.title: "the participant's project title",
        people["participant"].email: "the participant's email",
    }
    # A shared workshop names every cohort that attends it, as its page does: cohort A's slug is no secret to
    # cohort B, its own workshop is.
    cohort_a = {str(world.workshop.public_id): "cohort A's workshop"}
    out = {}
    for persona in PERSONAS:
        secret: dict[str, str] = {}
        if PROJECT_ACCESS.get(persona) is None:
            secret |= participant_work
        if persona in ("outsider", "other_participant", "anonymous"):
            secret |= cohort_a
        if persona in ("outsider", "anonymous"):
            secret |= {
                "cohort-a": "cohort A",
                "cohort-b": "cohort B",
                str(world.other_workshop.public_id): "cohort B's workshop",
                str(world.shared_workshop.public_id): "the shared workshop",
            }
        for other, user in people.items():
            if user is not None and other != persona and persona in ("outsider", "anonymous"):
                secret[user.email] = f"the {other}'s email"
        out[persona] = secret
    return out


def _path_values(aw) -> dict[str, list]:
    """Real values for each path parameter (a generated one is tried too)."""
    world = aw.world
    return {
        "programmes/{slug}": [world.programme.slug, "nowhere"],
        "cohorts/{slug}": [world.cohort.slug, world.other_cohort.slug],
        "workshop_id": [str(w.public_id) for w in (world.workshop, world.other_workshop)],
        "project_id": [str(aw.project.public_id), str(aw.public_project.public_id)],
        "measure_id": [str(aw.measure.public_id), str(aw.public_measure.public_id)],
        "number": [aw.cycle.number],
        "period": [month(0).isoformat(), month(5).isoformat()],
    }


def _fixed_path_parameters(operation, values) -> list[dict]:
    """Each combination of real values for the operation's path parameters, and one with all generated."""
    names = [p.name for p in operation.path_parameters]
    if not names:
        return [{}]
    choices = [
        values.get(name) or next((v for k, v in values.items() if operation.path.endswith(k)), [])
        for name in names
    ]
    combos = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices)]
    return [*combos, {}]


def _leaks(secrets: dict[str, str], not_found_ids: set[str]):
    """The custom check: a successful answer names nothing of another's the persona may not see, and a path
    naming such a thing is answered 404 (never 200 with it, nor a 403 that says it exists)."""

    def no_data_another_persona_may_not_see(ctx, response, case):
        named = set((case.path_parameters or {}).values())
        hidden = {str(v) for v in named} & not_found_ids
        if hidden and response.status_code not in (400, 401, 404, 422, 429):
            raise AssertionError(
                f"{case.operation.label} naming {sorted(hidden)} answered {response.status_code}, not 404"
            )
        if 200 <= response.status_code < 300:
            text = response.text or ""
            found = [f"{what} ({value})" for value, what in secrets.items() if value in text]
            if found:
                raise AssertionError(f"{case.operation.label} answered with {', '.join(found)}")
        return None

    return no_data_another_persona_may_not_see


def _not_found_ids(aw, persona) -> set[str]:
    """Path values the persona may not read: the participant's project and measure for those without access,
    cohorts and workshops they are not in, the programme for those in none of it."""
    world = aw.world
    out = set()
    if PROJECT_ACCESS.get(persona) is None:
        out |= {str(aw.project.public_id), str(aw.measure.public_id)}
    if persona in ("outsider", "other_participant"):
        out |= {world.cohort.slug, str(world.workshop.public_id)}
    if persona == "outsider":
        out |= {world.programme.slug, world.other_cohort.slug, str(world.other_workshop.public_id)}
    if persona in ("coach", "participant", "critical_friend"):
        out |= {world.other_cohort.slug, str(world.other_workshop.public_id)}
    return out


def _run(strategy, examples: int, headers: dict, checks: list, record) -> None:
    """``examples`` cases drawn from ``strategy``, each sent in a savepoint rolled back after, then checked."""

    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        derandomize=DERANDOMIZE,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        record(case, response)
        case.validate_response(response, checks=checks, headers=headers)

    run()


def test_every_operation_keeps_its_contract_for_every_persona(api_world, settings, capsys):
    settings.API_RATE_LIMIT = 1_000_000  # thousands of requests a minute with each token here, by design
    aw = api_world
    app = get_wsgi_application()
    with _connections_kept_open():
        schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    values = _path_values(aw)
    secrets = _secrets(aw)
    cases: Counter = Counter()
    statuses: Counter = Counter()
    reached: set[str] = set()

    def record(case, response, persona, mode):
        cases[(case.operation.label, persona, mode.value)] += 1
        statuses[response.status_code] += 1
        if mode is GenerationMode.POSITIVE and response.status_code < 300:
            reached.add(case.operation.label)

    with _connections_kept_open(), _quiet_request_log():
        for operation, persona in itertools.product(operations, PERSONAS):
            token = aw.tokens.get(persona)
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            check = _leaks(secrets[persona], _not_found_ids(aw, persona))
            fixed = _fixed_path_parameters(operation, values)

            for mode, examples, checks in (
                (GenerationMode.POSITIVE, MAX_EXAMPLES, [*CHECKS, check]),
                # Invalid data: checked for no server error and an answer the schema declares. (Whether each was
                # refused is not asked: a query value is text on the wire, so many "invalid" ones are valid.)
                (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES, [*CHECKS, check]),
            ):
                strategies = []
                for path_parameters in fixed:
                    try:
                        strategies.append(
                            operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
                        )
                    except Exception:
                        if mode is GenerationMode.POSITIVE:
                            raise
                        continue  # an operation with nothing to negate has no invalid cases
                    if mode is GenerationMode.POSITIVE:
                        # The schema's own examples (the request bodies document one each), at each path.
                        strategies += operation.get_strategies_from_examples(path_parameters=path_parameters)
                if not strategies:
                    continue

                _run(
                    st.one_of(strategies),
                    examples,
                    headers,
                    checks,
                    lambda case, response, mode=mode, persona=persona: record(case, response, persona, mode),
                )

    total = sum(cases.values())
    positive = sum(n for (_, _, mode), n in cases.items() if mode == GenerationMode.POSITIVE.value)
    summary = {
        "operations": len(operations),
        "personas": len(PERSONAS),
        "cases": total,
        "positive_cases": positive,
        "negative_cases": total - positive,
        "statuses": dict(sorted(statuses.items())),
    }
    with capsys.disabled():
        print(f"\nSchemathesis {schemathesis.__version__}: {json.dumps(summary)}")
    assert len(operations) >= 21, [op.label for op in operations]
    assert statuses.get(500, 0) == 0
    # Every operation answered a valid request successfully for someone: the cases reached real rows.
    assert reached == {op.label for op in operations}, {op.label for op in operations} - reached
