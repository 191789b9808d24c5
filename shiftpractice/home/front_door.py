"""The public front door: what a visitor who is not signed in sees at ``/``.

Only what is already public is shown: change projects a lead approved for the public (``visibility`` public and
approved, as ``ChangeProject.visible_to`` grants anonymous visitors), the programmes those projects belong to
(a programme's name appears once it has published something, as its public stories show it; nothing else
of the programme is shown), and the current published model. Each list is a few
rows and a count, so the page is the same size with 5 published projects or 5,000.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from shiftpractice.content import selectors as content_selectors
from shiftpractice.network import selectors as network_selectors
from shiftpractice.programmes.models import Programme
from shiftpractice.projects.models import ChangeProject
from shiftpractice.stories import selectors as story_selectors

FRONT_PROJECTS = 6
FRONT_PROGRAMMES = 6
FRONT_CASE_STUDIES = 3


@dataclass
class FrontDoor:
    projects: list
    project_count: int
    programmes: list
    programme_count: int
    model: object | None  # content_selectors.ModelView of the current published version, or None
    open_calls: int = 0  # programmes taking expressions of interest and offers of help
    case_studies: list = field(default_factory=list)  # the latest published case studies
    case_study_count: int = 0


def front_door() -> FrontDoor:
    """Nine queries whatever the numbers: the published projects (a page and a count), their programmes (a page
    and a count), the current model version with its items, how many programmes are looking for people, and the
    latest published case studies (a few and a count)."""
    published = ChangeProject.objects.visible_to(AnonymousUser())
    projects = list(
        published.select_related("cohort__programme").order_by("-public_approved_at", "-id")[:FRONT_PROJECTS]
    )
    with_published = Programme.objects.filter(pk__in=published.order_by().values("cohort__programme_id"))
    programmes = list(with_published.order_by("name").only("name")[:FRONT_PROGRAMMES])
    version = content_selectors.current_version()
    return FrontDoor(
        projects=projects,
        project_count=published.count(),
        programmes=programmes,
        programme_count=with_published.count(),
        model=content_selectors.model_view(version) if version is not None else None,
        open_calls=network_selectors.open_calls().count(),
        case_studies=list(story_selectors.public_case_studies()[:FRONT_CASE_STUDIES]),
        case_study_count=story_selectors.public_case_studies().count(),
    )
