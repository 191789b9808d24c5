"""Comments on projects and PDSA cycles, for the project pages (the coaching app sits above projects)."""

from django import template

from shiftpractice.projects.models import ChangeProject, Cycle

from ..forms import CommentForm
from ..models import Comment

register = template.Library()


@register.inclusion_tag("coaching/_comments.html", takes_context=True)
def comments_for(context, obj, project):
    """The comments on ``obj`` (the project itself, or one of its cycles) and a form to add one.

    Comments follow the project's visibility: shown only to signed-in people who can read the project other
    than because it is published (the page has checked, and we check again in one query). Public visitors of
    a published project, signed in or not, do not see them: a comment is a conversation among the
    programme's people, not part of the published story.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    base = {
        "obj": obj,
        "project": project,
        "request": request,
        "comments": [],
        "can_comment": False,
        "readable": False,
    }
    if user is None or not user.is_authenticated:
        return base
    # The story page has already worked out whether this person reads the project beyond its public face.
    readable = context.get("show_private_parts")
    if readable is None:
        readable = ChangeProject.objects.visible_to(user, include_public=False).filter(pk=project.pk).exists()
    if not readable:
        return base
    cycle = obj if isinstance(obj, Cycle) else None
    comments = list(
        Comment.objects.filter(project=project, cycle=cycle)
        .select_related("author")
        .order_by("created_at", "id")
    )
    return {
        **base,
        "comments": comments,
        "cycle": cycle,
        "can_comment": True,
        "readable": True,
        "form": CommentForm(auto_id=f"id_comment_{'cycle' if cycle else 'project'}_%s"),
        "user": user,
    }
