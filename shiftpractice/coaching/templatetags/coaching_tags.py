"""Template slot for comments on projects and PDSA cycles (the coaching app sits above projects)."""

from django import template

register = template.Library()


@register.inclusion_tag("coaching/_comments.html", takes_context=True)
def comments_for(context, obj, project):
    return {"obj": obj, "project": project, "comments": [], "request": context.get("request")}
