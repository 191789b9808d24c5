"""Who may read, write and publish evaluation reports: the chokepoints every view goes through.

Drafts (computed live, with what the critical friends have written so far) are for the people who devise and
judge the evaluation: the programme's leads and critical friends. A published version is for everyone in the
programme, since it holds only aggregates (small cells suppressed) and what was written for publication. Critical
friends and leads write the sections; only leads create and publish reports. Everyone else is told nothing exists.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404

from shiftpractice.cohorts.models import Membership
from shiftpractice.core.access import deny_unless
from shiftpractice.evaluation.permissions import can_read_plan
from shiftpractice.programmes.models import Programme
from shiftpractice.programmes.permissions import is_programme_lead

from .models import Report


def in_programme(user, programme) -> bool:
    if not user.is_authenticated:
        return False
    return (
        is_programme_lead(user, programme)
        or Membership.objects.filter(user=user, cohort__programme=programme).exists()
    )


def programme_people(key: str):
    """Everyone in the programme (each cohort's members and the leads): told when a report is published."""
    return (
        get_user_model()
        .objects.filter(
            Q(memberships__cohort__programme_id=int(key)) | Q(led_programmes__pk=int(key)), is_active=True
        )
        .distinct()
    )


def get_programme_for_reports(user, slug: str, *, lead: bool = False) -> tuple[Programme, bool]:
    """The programme and whether the person reads drafts; 404 for anyone outside it, 403 where only a lead may."""
    programme = get_object_or_404(Programme.objects.prefetch_related("leads"), slug=slug)
    drafts = can_read_plan(user, programme)
    deny_unless(drafts or in_programme(user, programme), visible=False)
    if lead:
        deny_unless(
            is_programme_lead(user, programme),
            message="Only the programme's leads create and publish reports.",
        )
    return programme, drafts


def get_report_for_user(user, public_id, *, need: str = "read") -> Report:
    """``need``: "read" (a published version: everyone in the programme), "draft" (the live report: leads and
    critical friends), "write" (the same people), "publish" (leads)."""
    report = get_object_or_404(
        Report.objects.select_related("programme", "cohort", "milestone").prefetch_related(
            "programme__leads"
        ),
        public_id=public_id,
    )
    programme = report.programme
    drafts = can_read_plan(user, programme)
    deny_unless(drafts or in_programme(user, programme), visible=False)
    if need in ("draft", "write"):
        deny_unless(drafts, visible=False)
    if need == "publish":
        deny_unless(is_programme_lead(user, programme), message="Only the programme's leads publish reports.")
    report.reader_sees_drafts = drafts
    return report
