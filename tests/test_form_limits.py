"""Every free-text field of every form in the project accepts a bounded length (declared once, in core.forms).

The walk finds every form class the apps define, builds each one (once per variant where a form's fields depend on
an argument, such as a cycle's stage) and checks each text field has a limit after validation, when fields that
forms add in their own ``__init__`` are bounded too. A new form whose constructor takes an argument this file does
not know fails here with the name to add to ``ARGUMENTS``.
"""

import inspect
from importlib import import_module
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from shiftpractice.core.forms import NHSFormMixin, is_free_text

BASES = {"shiftpractice.core.forms"}  # the mixin and its two plain bases: nothing to check on their own


def _project_forms() -> list[type]:
    import_module(settings.ROOT_URLCONF)  # every view, so every form wherever it is declared
    for config in apps.get_app_configs():
        if config.name.startswith("shiftpractice."):
            try:
                import_module(f"{config.name}.forms")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.forms":
                    raise
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("shiftpractice.") and sub.__module__ not in BASES:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORMS = _project_forms()


def _stages():
    from shiftpractice.projects import stages

    return list(stages.STAGES)


def _correctable():
    from shiftpractice.projects import stages

    return list(stages.correctable())


def _measures():
    from shiftpractice.measures.choices import DataKind
    from shiftpractice.measures.models import Measure

    return [Measure(data_kind=kind) for kind in DataKind.values]


def _kinds():
    from shiftpractice.content.choices import Kind

    return list(Kind.values)


def _people(world):
    return get_user_model().objects.filter(pk__in=[world.people["participant"].pk, world.people["coach"].pk])


def _nothing(world):
    """A queryset to hand a ModelChoiceField where the walk needs no choices."""
    return get_user_model().objects.none()


def _plans(world):
    # Locked: a locked plan's forms add a reason field, which must be bounded too.
    questions = SimpleNamespace(all=lambda: _nothing(world))
    return [SimpleNamespace(is_locked=locked, questions=questions) for locked in (False, True)]


def _driver_nodes():
    from shiftpractice.projects.choices import DriverKind

    return [SimpleNamespace(kind=kind, lens_tags=[], text="", parent_id=None) for kind in DriverKind.values]


def _roles():
    from shiftpractice.coaching.choices import PeerRole

    return list(PeerRole)


# Values for the constructor arguments the project's forms take, each a list of variants to build the form with.
ARGUMENTS = {
    "participants": lambda w: [_people(w)],
    "coaches": lambda w: [_people(w)],
    "people": lambda w: [_people(w)],
    "members": lambda w: [list(_people(w))],
    "cohorts": lambda w: [w.programme.cohorts.all()],
    "groups": lambda w: [import_module("shiftpractice.coaching.models").PeerGroup.objects.all()],
    "nodes": lambda w: [import_module("shiftpractice.projects.models").DriverNode.objects.none()],
    "change_ideas": lambda w: [import_module("shiftpractice.projects.models").DriverNode.objects.none()],
    "programme": lambda w: [w.programme],
    "user": lambda w: [w.people["participant"]],
    "roles": lambda w: [_roles()],
    "cohort_roles": lambda w: [["participant"], ["coach", "critical_friend"]],
    "suggested": lambda w: [{}],
    "existing": lambda w: [{}],
    "current": lambda w: [{}],
    "mapping": lambda w: [{}],
    "needed": lambda w: [[]],
    "headers": lambda w: [["period", "value"]],
    "links": lambda w: [[]],
    "lens_choices": lambda w: [[]],
    "choices": lambda w: [[]],
    "levels": lambda w: [[]],
    "factor_choices": lambda w: [[]],
    "tag_choices": lambda w: [["a tag"]],
    "questions": lambda w: [["What happened?", "What next?"]],
    "notes_hint": lambda w: ["A hint."],
    "owner": lambda w: [True],
    "author": lambda w: [True, False],
    "judged": lambda w: [True, False],
    "kind": lambda w: _kinds(),
    "stage": lambda w: _stages(),
    "entry": lambda w: _correctable(),
    "measure": lambda w: _measures(),
    "plan": _plans,
    "model_indicators": lambda w: [[]],
    "owners": lambda w: [_people(w)],
    "milestones": lambda w: [w.programme.milestones.all()],
    "instruments": lambda w: [[]],
    "items": lambda w: [_nothing(w)],
    "surveys": lambda w: [_nothing(w)],
    "node": lambda w: _driver_nodes(),
    "parents": lambda w: [import_module("shiftpractice.projects.models").DriverNode.objects.none()],
    "project": lambda w: [_project(w)],
    "rounds": lambda w: [import_module("shiftpractice.msc.models").Round.objects.none()],
    "scope": lambda w: [import_module("shiftpractice.programmes.audit_log").audit_scope(w.people["lead"])],
}


def _project(world):
    return import_module("shiftpractice.projects.services").project_create(
        owner=world.people["participant"],
        cohort=world.cohort,
        title="A project",
        actor=world.people["participant"],
    )


# Where two forms give one argument name different meanings, the form's own entry wins.
OVERRIDES = {
    "ResponseForm": {
        "questions": lambda w: [
            [
                SimpleNamespace(
                    key="q1", kind="free_text", text="Anything else?", options=[], section="About you"
                )
            ]
        ]
    },
}


def _required_arguments(form_class) -> list[str]:
    names = []
    for klass in form_class.__mro__:
        if "__init__" not in vars(klass):
            continue
        for parameter in inspect.signature(vars(klass)["__init__"]).parameters.values():
            if (
                parameter.name != "self"
                and parameter.default is inspect.Parameter.empty
                and parameter.kind in (parameter.KEYWORD_ONLY, parameter.POSITIONAL_OR_KEYWORD)
                and parameter.name not in names
            ):
                names.append(parameter.name)
    return names


def _builds(form_class, world):
    """Every combination of the variants of the form's required arguments (in practice one varies at a time)."""
    known = {**ARGUMENTS, **OVERRIDES.get(form_class.__qualname__, {})}
    combos = [{}]
    for name in _required_arguments(form_class):
        if name not in known:
            pytest.fail(f"{form_class.__qualname__} takes `{name}`: add variants for it to ARGUMENTS")
        combos = [{**combo, name: value} for combo in combos for value in known[name](world)]
    return combos


def test_the_walk_finds_the_forms_people_type_into():
    names = {c.__qualname__ for c in FORMS}
    assert {"ProfileForm", "JournalEntryForm", "CycleForm", "ItemForm", "MeasureForm", "CohortForm"} <= names
    assert len(FORMS) >= 40


@pytest.mark.parametrize(
    "form_class", FORMS, ids=[f"{c.__module__.split('.')[1]}.{c.__qualname__}" for c in FORMS]
)
def test_every_form_uses_the_nhs_mixin_and_bounds_every_text_field(world, form_class):
    assert issubclass(form_class, NHSFormMixin), "forms get their limits (and NHS styling) from NHSFormMixin"
    text_fields = 0
    for arguments in _builds(form_class, world):
        form = form_class(data={}, **arguments)
        form.is_valid()
        for name, field in form.fields.items():
            if is_free_text(field):
                text_fields += 1
                assert field.max_length is not None, f"{name} has no length limit"
                assert field.max_length <= settings.FORM_TEXT_MAX_LENGTH, name
                assert any(getattr(v, "limit_value", None) == field.max_length for v in field.validators), (
                    name
                )


def test_an_over_long_answer_is_refused_with_a_clear_message_and_nothing_saved(client, world, settings):
    """A real page of the app, saving a model TextField (the programme's summary) bounded only by the form."""
    from conftest import client_for

    settings.FORM_TEXT_MAX_LENGTH = 2000
    programme = world.programme
    before = programme.summary
    client_for(client, world.people["lead"])
    url = reverse("programmes:edit", args=[programme.slug])
    data = {"name": programme.name, "organisation": programme.organisation, "summary": "s" * 2001}
    response = client.post(url, data)
    assert response.status_code in {200, 400}
    assert "Summary must be 2,000 characters or fewer (you entered 2001)" in response.content.decode()
    programme.refresh_from_db()
    assert programme.summary == before
