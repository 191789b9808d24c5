"""Who may read and change measures: a measure's data follows its project's visibility; the team writes."""

from django.shortcuts import get_object_or_404

from shiftpractice.projects.permissions import get_project_for_user

from .models import DataImport, Measure


def get_measure_for_user(user, public_id, *, write: bool = False, public_face: bool = False) -> Measure:
    """The measure, or 404 when its project is invisible to the person, or 403 when they may only read it.

    ``public_face`` as for ``projects.permissions.get_project_for_user``: the pages the public may open."""
    measure = get_object_or_404(Measure.objects.select_related("project"), public_id=public_id)
    measure.project = get_project_for_user(
        user, measure.project.public_id, write=write, public_face=public_face
    )
    return measure


def get_import_for_user(user, public_id) -> DataImport:
    """An import is the team's working file: only people who may change the measure see it."""
    data_import = get_object_or_404(
        DataImport.objects.select_related("measure__project"), public_id=public_id
    )
    data_import.measure = get_measure_for_user(user, data_import.measure.public_id, write=True)
    return data_import
