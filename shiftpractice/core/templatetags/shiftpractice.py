"""Template helpers used across apps."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def field_error_id(field: BoundField) -> str:
    return f"{field.auto_id}-error"


@register.inclusion_tag("includes/field.html")
def nhs_field(field: BoundField, hint: str = "", classes: str = ""):
    """Render one form field in the NHS.UK form-group pattern with its label, hint and errors."""
    return {"field": field, "hint": hint or field.help_text, "classes": classes}
