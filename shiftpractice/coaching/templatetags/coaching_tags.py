"""Comments on projects and PDSA cycles, for the project pages (the coaching app sits above projects)."""

from django import template

from shiftpractice.projects.models import Cycle
from shiftpractice.projects.permissions import reads_private_parts

from ..forms import CommentForm
from ..models import Comment

register = template.Library()


@register.inclusion_tag("coaching/_comments.html", takes_context=True)
def comments_for(context, obj, project):
    """The comments on ``obj`` (the project itself, or one of its cycles) and a form to add one.

    Comments follow the project's visibility: shown only to signed-in people who can read the project other
    than because it is published (``projects.permissions.reads_private_parts``, the rule that also keeps the
    influence map's names from the public). Public visitors of a published project, signed in or not, do not
    see them: a comment is a conversation among the programme's people, not part of the published story.
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
    # The projects rule, asked once per request: the page's own permission check has usually answered it.
    if not reads_private_parts(user, project):
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
