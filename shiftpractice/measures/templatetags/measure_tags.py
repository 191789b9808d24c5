"""Template slot the project story fills with the project's measures (the measures app sits above projects)."""

from django import template

register = template.Library()


@register.inclusion_tag("measures/_project_measures.html", takes_context=True)
def project_measures(context, project, squire=False):
    return {"project": project, "measures": [], "squire": squire, "request": context.get("request")}
