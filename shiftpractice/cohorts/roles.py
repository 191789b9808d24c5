"""What a person is across the programmes: the programmes they lead and their memberships, read once a request
(``core.memo``) and shared by the navigation, the home page and the sharing rules. Any change to a membership
or to a programme's leads drops the request's memo, so what the request reads after it is never stale."""

import functools
from dataclasses import dataclass, field

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from shiftpractice.core import memo
from shiftpractice.programmes.models import Programme, known_programmes_key

from .choices import Role
from .models import Membership


@dataclass
class PersonRoles:
    led_programme_ids: list[int] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)  # with their cohorts and programmes

    def has(self, role: str) -> bool:
        return any(m.role == role for m in self.memberships)

    @property
    def is_lead(self) -> bool:
        return bool(self.led_programme_ids)

    @property
    def is_participant(self) -> bool:
        return self.has(Role.PARTICIPANT)

    @property
    def is_coach(self) -> bool:
        return self.has(Role.COACH)

    @property
    def is_critical_friend(self) -> bool:
        return self.has(Role.CRITICAL_FRIEND)

    @property
    def programme_ids(self) -> list[int]:
        """The programmes the person leads or belongs to (``Programme.objects.visible_to``'s rule)."""
        return sorted({*self.led_programme_ids, *(m.cohort.programme_id for m in self.memberships)})

    @property
    def labels(self) -> list[str]:
        names = ["Programme lead"] if self.is_lead else []
        names += sorted({m.get_role_display() for m in self.memberships})
        return names


def _read(user) -> PersonRoles:
    roles = PersonRoles()
    if user.is_authenticated:
        roles.led_programme_ids = list(user.led_programmes.values_list("id", flat=True))
        roles.memberships = list(
            Membership.objects.filter(user=user)
            .select_related("cohort", "cohort__programme")
            .order_by("cohort__start_date")
        )
    return roles


def roles_of(user) -> PersonRoles:
    """The person's roles: read once a request for the request's user, read afresh for anyone else."""
    return request_roles(user) or _read(user)


def request_roles(user) -> PersonRoles | None:
    """The person's roles as this request knows them (read on the first call in the request), or None outside
    a request (``core.memo``)."""
    return memo.remembered(("person_roles", user.pk), lambda: _read_for_request(user))


def _read_for_request(user) -> PersonRoles:
    roles = _read(user)
    # (For ``Programme.objects.visible_to``, which sits below this app and so cannot ask for the roles.)
    memo.keep(known_programmes_key(user.pk), roles.programme_ids)
    return roles


def roles_first(view):
    """Read the person's roles as the view starts, not when the navigation renders: the rules the view runs
    (``visible_to`` of projects and programmes, the portfolio's scope) are then built over the request's lists."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request_roles(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def known_roles(user) -> PersonRoles | None:
    """The person's roles if this request has already read them (a page reads them for its navigation; a view
    that lists projects reads them first, with ``roles_of``), else None: the caller then asks the database its
    own way, so a request that has no use for them (an API call) never reads them for nothing."""
    return memo.peek(("person_roles", user.pk))


@receiver(post_save, sender=Membership, dispatch_uid="cohorts.roles.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="cohorts.roles.membership_deleted")
@receiver(m2m_changed, sender=Programme.leads.through, dispatch_uid="cohorts.roles.leads_changed")
def _forget_roles(**kwargs) -> None:
    memo.forget()
