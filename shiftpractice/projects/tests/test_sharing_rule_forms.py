"""``visible_to`` has two forms of one rule: subqueries that start from the person (outside a request: a command,
a task), and lists of the cohorts and programmes the request already read (within a request: ``core.memo``,
``cohorts.roles``). Both must grant exactly the same projects to everyone, and a change to a person's
memberships or leadership is seen by the rest of the request that made it. The same holds for
``Programme.objects.visible_to``, which uses the programme ids the request kept with the roles."""

import itertools

import pytest
from django.utils import timezone

from shiftpractice.accounts.models import User
from shiftpractice.cohorts.roles import known_roles, request_roles
from shiftpractice.core import memo
from shiftpractice.programmes.models import Programme
from shiftpractice.projects.choices import Visibility
from shiftpractice.projects.models import ChangeProject, ProjectMember
from tests.factories import CohortFactory, MembershipFactory, ProgrammeFactory, UserFactory


@pytest.fixture
def people(db):
    """Two programmes of two cohorts; a project of every visibility in every cohort; a person in each role,
    and people with several roles at once."""
    programmes = [ProgrammeFactory(), ProgrammeFactory()]
    cohorts = [CohortFactory(programme=p) for p in programmes for _ in range(2)]
    owners = [MembershipFactory(cohort=c, role="participant").user for c in cohorts]
    projects = []
    for (cohort, owner), visibility in itertools.product(
        zip(cohorts, owners, strict=True), Visibility.values
    ):
        projects.append(
            ChangeProject.objects.create(
                owner=owner, cohort=cohort, title=f"{visibility} in {cohort.name}", visibility=visibility
            )
        )
    approved = ChangeProject.objects.create(
        owner=owners[3],
        cohort=cohorts[3],
        title="approved",
        visibility=Visibility.PUBLIC,
        public_approved_at=timezone.now(),
    )
    people = {"owner": owners[0], "outsider": UserFactory(), "superuser": UserFactory(is_superuser=True)}
    for role in ("participant", "coach", "facilitator", "critical_friend", "observer"):
        people[role] = MembershipFactory(cohort=cohorts[0], role=role).user
    lead = people["lead"] = UserFactory()
    programmes[0].leads.add(lead)
    many = people["coach here, participant there, lead elsewhere"] = UserFactory()
    MembershipFactory(cohort=cohorts[0], user=many, role="coach")
    MembershipFactory(cohort=cohorts[2], user=many, role="participant")
    programmes[1].leads.add(many)
    observer = people["observer there, critical friend elsewhere"] = UserFactory()
    MembershipFactory(cohort=cohorts[1], user=observer, role="observer")
    MembershipFactory(cohort=cohorts[3], user=observer, role="critical_friend")
    team = people["on a team"] = UserFactory()
    ProjectMember.objects.create(project=projects[0], user=team)
    assert approved.pk and len(projects) == 4 * len(Visibility.values)
    return people


def _ids(user, include_public: bool) -> set[int]:
    return set(
        ChangeProject.objects.visible_to(user, include_public=include_public).values_list("pk", flat=True)
    )


def _read_in_request(user) -> set[int]:
    """Within a request that has read the person's roles (as a page does): the rule from the roles."""
    assert request_roles(user) is known_roles(user) is not None
    return _ids(user, False)


@pytest.mark.parametrize("include_public", [True, False])
def test_both_forms_of_the_rule_grant_the_same_projects_to_everyone(people, include_public):
    seen = {}
    for name, person in people.items():
        assert request_roles(person) is None
        seen[name] = _ids(person, include_public)
        with memo.request_scope():
            assert known_roles(person) is None  # nothing read yet: still the subqueries
            assert _ids(person, include_public) == seen[name], name
            assert request_roles(person) is not None
            assert _ids(person, include_public) == seen[name], name
    # The rule has work to do: the people see different things, and nobody sees nothing but the outsider
    # (who, with the public included, sees the approved project only).
    assert len({frozenset(ids) for ids in seen.values()}) >= 6
    assert len(seen["outsider"]) == (1 if include_public else 0)
    assert seen["lead"] > seen["participant"]


def _programmes(user) -> set[int]:
    return set(Programme.objects.visible_to(user).values_list("pk", flat=True))


def test_both_forms_of_the_programme_rule_grant_the_same_programmes_to_everyone(people):
    seen = {}
    for name, person in people.items():
        seen[name] = _programmes(person)
        with memo.request_scope():
            assert _programmes(person) == seen[name], name
            request_roles(person)
            assert memo.peek(("programme_ids", person.pk)) is not None  # now over the request's list
            assert _programmes(person) == seen[name], name
    every = set(Programme.objects.values_list("pk", flat=True))
    assert seen["outsider"] == set() and seen["superuser"] == every
    assert len(seen["coach"]) == 1 and seen["coach here, participant there, lead elsewhere"] == every


def test_a_request_reads_a_persons_roles_once(people, django_assert_num_queries):
    person = people["coach"]
    same_person = User.objects.get(pk=person.pk)  # another object of the same person
    with memo.request_scope(), django_assert_num_queries(2):  # the led programmes, the memberships
        first = request_roles(person)
        assert request_roles(person) is first
        assert request_roles(same_person) is first
    with memo.request_scope():
        assert request_roles(person) is not first  # the next request reads again


def test_a_change_to_memberships_or_leads_is_seen_by_the_rest_of_the_request(people):
    outsider, lead = people["outsider"], people["lead"]
    programme = lead.led_programmes.get()
    cohort = programme.cohorts.first()
    in_programme = set(ChangeProject.objects.filter(cohort__programme=programme).values_list("pk", flat=True))
    with memo.request_scope():
        assert not _read_in_request(outsider) and not _programmes(outsider)
        membership = MembershipFactory(cohort=cohort, user=outsider, role="critical_friend")
        assert _read_in_request(outsider) == in_programme
        assert _programmes(outsider) == {programme.pk}
        membership.role = "observer"
        membership.save()
        assert _read_in_request(outsider) < in_programme
        membership.delete()
        assert not _read_in_request(outsider) and not _programmes(outsider)
        programme.leads.add(outsider)
        assert _read_in_request(outsider) == in_programme
        assert _programmes(outsider) == {programme.pk}
        programme.leads.remove(outsider)
        assert not _read_in_request(outsider) and not _programmes(outsider)
