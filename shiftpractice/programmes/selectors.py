from .models import Milestone, Programme


def programme_list(*, user):
    return Programme.objects.visible_to(user).prefetch_related("leads").order_by("name")


def milestone_list(*, programme: Programme):
    return list(programme.milestones.all())


def upcoming_milestones(*, programmes, limit: int = 5):
    """The next milestones not yet done, across the given programmes, soonest first (one query)."""
    return list(
        Milestone.objects.filter(programme__in=programmes)
        .exclude(status="done")
        .select_related("programme")
        .order_by("due_date")[:limit]
    )
