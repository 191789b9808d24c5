"""The demo's evaluation reports, made through the reports app's services: the interim report for Cohort 1,
written by a critical friend and published (so its milestone links to it), and the final report as a draft with
its commentary begun and its limitations not yet written. Loading again changes nothing."""

from shiftpractice.evaluation.models import EvaluationPlan
from shiftpractice.programmes.models import Milestone
from shiftpractice.reports import services
from shiftpractice.reports.choices import indicator_key, question_key
from shiftpractice.reports.models import Report

INTERIM_MILESTONE = "Interim evaluation report for Cohort 1"
FINAL_MILESTONE = "Final evaluation report"

COMMENTARY = (
    "Cohort 1 came to the programme with clear goals and most of them tested a first change within a month. "
    "Coaching calls were where people turned an idea into a test they could run on Monday; the peer triads kept "
    "people going between workshops. The strongest evidence of change is in practice: referral routes, waste "
    "streams and prescribing conversations that are now part of the working week.\n\n"
    "The numbers are small, so we read them with the stories and the substantiated outcomes beside them."
)
LIMITATIONS = (
    "- Five participants: most survey results are suppressed, and none can show a change by chance alone.\n"
    "- Carbon and money are estimates with wide ranges, made by the participants with the model's factors.\n"
    "- Outcomes were substantiated by critical friends who also coached the design of the evaluation."
)


def load_demo_reports(*, programme, lead, friend, cohort) -> int:
    """Returns how many reports were made."""
    if Report.objects.filter(programme=programme).exists():
        return 0
    interim = services.report_create(
        programme=programme,
        kind="interim",
        cohort=cohort,
        title="Interim evaluation report: Cohort 1",
        milestone=Milestone.objects.filter(programme=programme, title=INTERIM_MILESTONE).first(),
        actor=lead,
    )
    services.writing_save(report=interim, key="commentary", body=COMMENTARY, actor=friend)
    services.writing_save(report=interim, key="limitations", body=LIMITATIONS, actor=friend)
    plan = EvaluationPlan.objects.filter(programme=programme).first()
    if plan is not None:
        for question in plan.questions.all():
            services.writing_save(
                report=interim,
                key=question_key(question.pk),
                judgement="partly",
                body="Yes for most participants in their own teams; wider organisational change is early.",
                actor=friend,
            )
        for n, indicator in enumerate(plan.indicators.all()):
            services.writing_save(
                report=interim,
                key=indicator_key(indicator.pk),
                judgement=("met", "partly", "too_early")[n % 3],
                body="",
                actor=friend,
            )
    services.publish(report=interim, actor=lead)
    final = services.report_create(
        programme=programme,
        kind="final",
        title="Final evaluation report",
        milestone=Milestone.objects.filter(programme=programme, title=FINAL_MILESTONE).first(),
        actor=lead,
    )
    services.writing_save(
        report=final,
        key="commentary",
        body="A first draft: both cohorts' projects, outcomes and stories are in; the follow-up survey is not.",
        actor=friend,
    )
    return 2
