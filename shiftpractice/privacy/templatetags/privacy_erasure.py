"""The "Erase your account" part of the data page, drawn from the signed-in person's request (if any)."""

from django import template

from ..erasure import open_request

register = template.Library()


@register.inclusion_tag("privacy/_erasure.html", takes_context=True)
def erasure_section(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"erasure": open_request(user), "csrf_token": context.get("csrf_token")}
