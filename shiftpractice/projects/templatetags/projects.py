from django import template
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from .. import stages
from ..models import Cycle

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


def _paragraphs(text: str):
    return mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 - escaped by linebreaks


def _value(cycle: Cycle, f: stages.CycleField):
    if f.kind == stages.CHANGE_IDEA:
        return cycle.change_idea.text if cycle.change_idea_id else ""
    text = stages.as_text(getattr(cycle, f.attname))
    shown = stages.display_text(f, text)
    return _paragraphs(shown) if f.kind in (stages.TEXT, stages.LINE) and shown else shown


@register.inclusion_tag("projects/_cycle_entries.html")
def cycle_entries(cycle: Cycle, *, story: bool = False, correct: bool = False):
    """The cycle's entries in declared order, for its page and for the QI story (one template for both).

    ``story`` keeps the fields declared for the story; ``correct`` adds a link to correct each correctable text.
    """
    rows = []
    if cycle.previous_id:
        rows.append(
            {
                "label": "Follows",
                "value": f"PDSA {cycle.previous.number}: {cycle.previous.title}",
                "url": "" if story else cycle.previous.get_absolute_url(),
            }
        )
    for f in stages.FIELDS:
        if not f.in_summary or (story and not f.in_story):
            continue
        value = _value(cycle, f)
        if not value:
            continue
        row = {"label": f.title, "value": value}
        if correct and f.correctable:
            url = reverse("projects:cycle_correct", args=[cycle.project.public_id, cycle.number])
            row["correct_url"] = f"{url}?field={f.name}"
        rows.append(row)
    if cycle.completed_at:
        rows.append({"label": "Completed on", "value": format_date(localtime(cycle.completed_at), "j F Y")})
    return {"rows": rows, "with_actions": correct}


@register.inclusion_tag("projects/_cycle_history.html")
def cycle_history(cycle: Cycle):
    """Every change made to the cycle since it was planned, newest first, grouped by save, in words."""
    edits = list(cycle.edits.all())  # prefetched with made_by and correction
    idea_ids = {t for e in edits if e.field == "change_idea" for t in (e.old_value, e.new_value) if t}
    ideas = {}
    if idea_ids:
        nodes = cycle.project.driver_nodes.filter(pk__in=[int(i) for i in idea_ids if i.isdigit()])
        ideas = {str(n.pk): n.text for n in nodes}
    saves: dict[tuple, dict] = {}
    for e in edits:
        f = stages.BY_NAME.get(e.field)
        key = (e.revision, e.made_at, e.made_by_id) if e.revision else ("correction", e.pk)
        save = saves.setdefault(key, {"at": e.made_at, "by": e.made_by, "changes": [], "reason": ""})
        if e.correction_id:
            save["reason"] = e.correction.reason
        save["changes"].append(
            {
                "label": stages.label(e.field),
                "old": stages.display_text(f, e.old_value, ideas=ideas),
                "new": stages.display_text(f, e.new_value, ideas=ideas),
                "is_stage": e.field == "status",
            }
        )
    ordered = sorted(saves.values(), key=lambda s: s["at"], reverse=True)
    return {"saves": ordered, "count": len(ordered)}
