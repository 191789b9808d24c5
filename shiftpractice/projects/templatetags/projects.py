from django import template
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def qa(question, answer):
    """One row of a summary list, shown only when there is an answer."""
    if not answer:
        return ""
    return format_html(
        '<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">{}</dt>'
        '<dd class="nhsuk-summary-list__value">{}</dd></div>',
        question,
        mark_safe(linebreaks(str(answer), autoescape=True)),  # noqa: S308 - escaped by linebreaks
    )


@register.filter
def has_learning(cycles) -> bool:
    return any(c.learning for c in cycles)
