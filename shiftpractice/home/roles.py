"""What roles a person holds across the programmes, computed once per request."""

from dataclasses import dataclass, field

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership


@dataclass
class PersonRoles:
    led_programme_ids: list[int] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)

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
    def labels(self) -> list[str]:
        names = ["Programme lead"] if self.is_lead else []
        names += sorted({m.get_role_display() for m in self.memberships})
        return names


def roles_for(request) -> PersonRoles:
    """Cache the person's roles on the request: the navigation and the home page both need them."""
    cached = getattr(request, "_shiftpractice_roles", None)
    if cached is not None:
        return cached
    user = request.user
    roles = PersonRoles()
    if user.is_authenticated:
        roles.led_programme_ids = list(user.led_programmes.values_list("id", flat=True))
        roles.memberships = list(
            Membership.objects.filter(user=user)
            .select_related("cohort", "cohort__programme")
            .order_by("cohort__start_date")
        )
    request._shiftpractice_roles = roles
    return roles
