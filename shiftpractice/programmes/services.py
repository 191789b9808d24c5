"""Writes on programmes and their milestones. Each runs in one transaction and is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from shiftpractice.core.audit import audit

from .choices import MilestoneStatus
from .models import Milestone, Programme


@transaction.atomic
def programme_update(*, programme: Programme, actor, **fields) -> Programme:
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    audit(actor=actor, verb="programme.updated", obj=programme, fields=sorted(fields))
    return programme


@transaction.atomic
def milestone_save(*, milestone: Milestone, actor) -> Milestone:
    created = milestone.pk is None
    milestone.full_clean()
    milestone.save()
    audit(
        actor=actor,
        verb="milestone.created" if created else "milestone.updated",
        obj=milestone,
        summary=milestone.title,
        status=milestone.status,
    )
    return milestone


@transaction.atomic
def milestone_reached(*, milestone: Milestone, link_url: str, link_text: str, actor) -> Milestone:
    """Mark a milestone done with a link to the page that shows it (a published evaluation report)."""
    milestone.status = MilestoneStatus.DONE
    milestone.link_url, milestone.link_text = link_url[:300], link_text[:200]
    milestone.save(update_fields=["status", "link_url", "link_text", "updated_at"])
    audit(actor=actor, verb="milestone.reached", obj=milestone, summary=milestone.title, link=link_url[:300])
    return milestone


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "programme")[:70].strip("-")
    slug, n = base, 2
    while Programme.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def programme_create(*, actor, leads=(), **fields) -> Programme:
    """Set up a programme. Its leads are the people named, or the person setting it up when none is named."""
    leads = list(leads) or [actor]
    programme = Programme(**fields)
    programme.slug = _unique_slug(fields.get("name", ""))
    programme.full_clean()
    programme.save()
    programme.leads.set(leads)
    audit(
        actor=actor,
        verb="programme.created",
        obj=programme,
        summary=programme.name,
        leads=sorted(u.email for u in leads),
    )
    return programme


@transaction.atomic
def programme_lead_add(*, programme: Programme, user, actor) -> None:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.leads.filter(pk=user.pk).exists():
        raise ValidationError({"email": f"{user} already leads {programme}."})
    programme.leads.add(user)
    audit(actor=actor, verb="programme.lead_added", obj=programme, summary=str(user), user=user.email)


@transaction.atomic
def programme_lead_remove(*, programme: Programme, user, actor) -> None:
    """Stop someone leading the programme; a programme always keeps at least one lead."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    leads = list(programme.leads.all())
    if not any(lead.pk == user.pk for lead in leads):
        raise ValidationError(f"{user} does not lead {programme}.")
    if len(leads) == 1:
        raise ValidationError(
            f"{user} is the only lead of {programme}: add another lead first. Nothing was changed."
        )
    programme.leads.remove(user)
    audit(actor=actor, verb="programme.lead_removed", obj=programme, summary=str(user), user=user.email)
