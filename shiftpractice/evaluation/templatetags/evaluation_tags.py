"""Numbers as the results pages say them."""

from django import template

register = template.Library()


@register.filter
def pvalue(value) -> str:
    """p = 0.045, p < 0.001; a dash when it could not be computed."""
    if value is None:
        return "not computed"
    if value < 0.001:
        return "p < 0.001"
    return f"p = {value:.3f}" if value < 0.1 else f"p = {value:.2f}"


@register.filter
def signed(value, places: int = 1) -> str:
    """+1.9, -0.5, 0 (for changes)."""
    if value is None:
        return "not computed"
    text = f"{value:+.{int(places)}f}"
    return "0" if float(text) == 0 else text


@register.filter
def number(value, places: int = 1) -> str:
    if value is None:
        return "not computed"
    return (
        f"{value:.{int(places)}f}".rstrip("0").rstrip(".")
        if "." in f"{value:.{int(places)}f}"
        else str(value)
    )
