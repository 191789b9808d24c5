"""A case study of the world's participant's project, and the steps that take it to publication."""

from datetime import date, timedelta

from shiftpractice.cohorts.choices import Role
from shiftpractice.measures import services as measure_services
from shiftpractice.projects import services as project_services
from shiftpractice.stories import services
from tests.factories import MembershipFactory, UserFactory

TOKEN = "a-known-sign-off-token-for-tests-0123456789"
STAKEHOLDER = "Dr Stella Stakeholder"


def make_project(world, *, measure: bool = False):
    participant = world.people["participant"]
    project = project_services.project_create(
        owner=participant,
        cohort=world.cohort,
        title="Green social prescribing for low mood",
        actor=participant,
        aim_what="Increase referrals to nature-based activities",
        aim_for_whom="adults with low mood at the practice",
        aim_how_much="from 2 to 20 a month",
        aim_by_when="2030-12-31",
    )
    project_services.stakeholder_save(
        project=project, actor=participant, name=STAKEHOLDER, power=4, interest=2
    )
    if measure:
        m = measure_services.measure_create(
            project=project,
            name="Referrals a week",
            measure_type="outcome",
            data_kind="count",
            actor=participant,
        )
        start = date(2026, 1, 5)
        for n in range(15):
            measure_services.point_save(
                measure=m, period=start + timedelta(weeks=n), value=3 + n % 4, actor=participant
            )
    return project


def teammate(world):
    person = UserFactory(full_name="Tia Teammate", email="tia@example.org")
    MembershipFactory(cohort=world.cohort, user=person, role=Role.PARTICIPANT)
    return person


def filled(case_study, actor):
    for key in ("problem", "what_we_did", "what_happened", "learnt"):
        services.section_update(case_study=case_study, key=key, text=f"Our words for {key}.", actor=actor)
    return case_study


def approved(world, case_study):
    author = case_study.author
    if not case_study.organisation:  # the organisation that signs off is named while it is a draft
        services.case_study_update(case_study=case_study, actor=author, organisation="Riverside Practice")
    filled(case_study, author)
    services.submit_for_review(case_study=case_study, actor=author)
    services.review_decide(case_study=case_study, decision="approve", note="", actor=world.people["lead"])
    case_study.refresh_from_db()
    return case_study


def sign_off(case_study, monkeypatch, *, decision="agree"):
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: TOKEN)
    services.signoff_request(
        case_study=case_study,
        name="Mo Manager",
        email="mo@practice.example",
        organisation="Riverside Practice",
        role="Practice manager",
        actor=case_study.author,
    )
    case_study.refresh_from_db()
    return services.signoff_respond(token=TOKEN, decision=decision, confirm_name="Mo Manager")


def published(world, monkeypatch, *, project=None):
    """Started, written, approved, consented to, signed off and published: the case study and its version."""
    project = project or make_project(world)
    case_study = services.case_study_start(project=project, actor=project.owner)
    services.case_study_update(case_study=case_study, actor=project.owner, organisation="Riverside Practice")
    approved(world, case_study)
    services.consent_give(case_study=case_study, actor=case_study.author, decision="agree")
    sign_off(case_study, monkeypatch)
    version = services.publish(case_study=case_study, actor=world.people["lead"])
    case_study.refresh_from_db()
    return case_study, version
