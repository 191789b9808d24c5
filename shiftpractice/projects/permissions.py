"""Who may read and change a change project: the one rule every project page, fragment, export and slot asks.

What a person may do with a project is one of four levels (``Access``), decided here and nowhere else:

- ``NONE``: they may not know the project exists (404 everywhere).
- ``PUBLIC``: they read it only because a programme lead approved it for the public. An anonymous visitor and a
  signed-in account outside the programme are treated alike: they get the project's public face (the story
  without its named influence map or comments, the story PDF, the measures' charts and downloads) and every
  other page of the project is 404 to them, as it is to anyone outside.
- ``READ``: they read it through its visibility setting (team, cohort or programme, as
  ``ChangeProject.objects.visible_to`` says), or because they oversee its programme (its leads and the critical
  friends of its cohorts read every project in it, whatever the setting: the sharing terms shown on joining,
  ``cohorts.choices.SHARING_TERMS``): every page, named stakeholders and comments included; writes are 403.
  Journal entries, coaching notes and survey answers are not project pages: their own apps keep them private.
- ``EDIT``: the owner and the team.

Lists use ``ChangeProject.objects.visible_to(user)`` (which includes approved public projects); a single project is
fetched with ``get_project_for_user``; anything that shows the private parts of a project (the named stakeholders of
the influence map, comments) asks ``reads_private_parts``.
"""

from enum import IntEnum

from django.shortcuts import get_object_or_404

from shiftpractice.core.access import deny_unless
from shiftpractice.programmes.permissions import is_programme_lead

from .models import ChangeProject


class Access(IntEnum):
    NONE = 0
    PUBLIC = 1
    READ = 2
    EDIT = 3


def can_edit_project(user, project: ChangeProject) -> bool:
    """The owner and the team edit; everyone else who can see the project only reads it."""
    if not user.is_authenticated:
        return False
    if project.owner_id == user.pk:
        return True
    return any(m.user_id == user.pk for m in project.members.all())


def can_approve_public(user, project: ChangeProject) -> bool:
    return is_programme_lead(user, project.cohort.programme)


def project_access(user, project: ChangeProject, *, visible: bool | None = None) -> Access:
    """The person's access to the project, worked out once per request and kept on the project object.

    ``visible`` says the project was already found through ``visible_to(user)`` (saves asking again).
    """
    key = getattr(user, "pk", None)
    known = getattr(project, "_access_for", None)
    if known is not None and known[0] == key:
        return known[1]
    if can_edit_project(user, project):
        access = Access.EDIT
    elif not user.is_authenticated:
        access = Access.PUBLIC if project.is_public else Access.NONE
    elif visible and not project.is_public:
        access = Access.READ  # found through the visibility setting: nothing else lets a person see it
    elif ChangeProject.objects.visible_to(user, include_public=False).filter(pk=project.pk).exists():
        access = Access.READ
    else:
        access = Access.PUBLIC if project.is_public else Access.NONE
    project._access_for = (key, access)
    return access


def reads_private_parts(user, project: ChangeProject) -> bool:
    """Whether the person may see what a project keeps from the public: the names, groups and planned actions
    of its influence map, and the comments of the programme's people."""
    return project_access(user, project) >= Access.READ


def get_project_for_user(user, public_id, *, write: bool = False, public_face: bool = False) -> ChangeProject:
    """The project, or 404 when the person may not know it exists, or 403 when they may read but not change it.

    ``public_face=True`` marks the few read-only pages the public may open (the story, its PDF, the measures'
    charts and downloads); on any other page a person who reads the project only because it is public gets 404,
    exactly like an anonymous visitor who signed in with an account outside the programme.
    """
    # Fetched by its address, then judged by ``project_access``: the owner and the team (most of the visits)
    # are told apart from the project's own rows, without building the sharing rule for the whole table.
    project = get_object_or_404(
        ChangeProject.objects.select_related(
            "owner", "cohort", "cohort__programme", "public_approved_by"
        ).prefetch_related("members__user", "cohort__programme__leads"),
        public_id=public_id,
    )
    access = project_access(user, project)
    deny_unless(access > Access.NONE, visible=False)
    deny_unless(access >= Access.READ or (public_face and not write), visible=False)
    if write:
        deny_unless(access >= Access.EDIT)
    return project
