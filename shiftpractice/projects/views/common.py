"""Small helpers shared by the project views."""

from django.http import HttpRequest, HttpResponse

from shiftpractice.core.views import form_page as core_form_page


def form_page(
    request: HttpRequest, form, *, title: str, project=None, back_url: str = "", **options
) -> HttpResponse:
    """A one-form page about a project: the cancel link goes back to the project unless told otherwise."""
    back_url = back_url or (project.get_absolute_url() if project else "")
    return core_form_page(request, form, title=title, back_url=back_url, project=project, **options)
