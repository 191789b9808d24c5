"""Every view, every persona: who gets the page, who is refused (403), who is told it does not exist (404),
and who is sent to log in (302)."""

import io
from dataclasses import dataclass
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from conftest import client_for
from shiftpractice.coaching.models import Comment
from shiftpractice.coaching.services import discussions
from shiftpractice.content import selectors as content_selectors
from shiftpractice.core.models import AuditEvent
from shiftpractice.measures import services as measure_services
from shiftpractice.projects import services as project_services
from shiftpractice.projects.models import ChangeProject
from tests.factories import UserFactory

# The personas' world is built once for the module; each test's writes are rolled back (root conftest.py).
pytestmark = pytest.mark.world_per_module

ALL = ["lead", "coach", "participant", "other_participant", "critical_friend", "outsider", "anonymous"]


def expect(default, **overrides):
    """Expected status per persona: ``default`` for every logged-in persona unless overridden; anonymous -> 302."""
    result = {p: default for p in ALL}
    result["anonymous"] = 302
    result.update(overrides)
    return result


PROGRAMME_READ = expect(200, outsider=404)
LEAD_WRITE = expect(403, lead=200, outsider=404)
COHORT_READ = expect(200, other_participant=404, outsider=404)
COHORT_WRITE = expect(403, lead=200, other_participant=404, outsider=404)

CASES = {
    "home": (lambda w: reverse("home:index"), expect(200, anonymous=200)),  # the public front door
    "programme list": (lambda w: reverse("programmes:list"), expect(200)),
    "programme page": (lambda w: reverse("cohorts:programme", args=[w.programme.slug]), PROGRAMME_READ),
    "programme edit": (lambda w: reverse("programmes:edit", args=[w.programme.slug]), LEAD_WRITE),
    "milestone add": (lambda w: reverse("programmes:milestone_add", args=[w.programme.slug]), LEAD_WRITE),
    "milestone edit": (
        lambda w: reverse("programmes:milestone_edit", args=[w.programme.slug, w.milestone.public_id]),
        LEAD_WRITE,
    ),
    "cohort page": (lambda w: reverse("cohorts:detail", args=[w.cohort.slug]), COHORT_READ),
    "cohort edit": (lambda w: reverse("cohorts:edit", args=[w.cohort.slug]), COHORT_WRITE),
    "cohort members": (lambda w: reverse("cohorts:members", args=[w.cohort.slug]), COHORT_WRITE),
    "workshop page": (lambda w: reverse("cohorts:workshop", args=[w.workshop.public_id]), COHORT_READ),
    "shared workshop page": (
        lambda w: reverse("cohorts:workshop", args=[w.shared_workshop.public_id]),
        expect(200, outsider=404),
    ),
    "workshop ics": (lambda w: reverse("cohorts:workshop_ics", args=[w.workshop.public_id]), COHORT_READ),
    "attendance": (lambda w: reverse("cohorts:attendance", args=[w.workshop.public_id]), COHORT_WRITE),
    "workshop add": (lambda w: reverse("cohorts:workshop_add", args=[w.programme.slug]), LEAD_WRITE),
    "workshop edit": (
        lambda w: reverse("cohorts:workshop_edit", args=[w.programme.slug, w.workshop.public_id]),
        LEAD_WRITE,
    ),
    "my calendar": (lambda w: reverse("cohorts:my_calendar"), expect(200)),
    "profile": (lambda w: reverse("accounts:profile"), expect(200)),
    "password change": (lambda w: reverse("accounts:password_change"), expect(200)),
}


@pytest.fixture
def people(world):
    return world  # the world's personas, the outsider (an account in no programme) included


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("case", CASES)
def test_get_permissions(client, people, case, persona):
    url_of, expected = CASES[case]
    response = client_for(client, people.people.get(persona)).get(url_of(people))
    assert response.status_code == expected[persona], f"{case} as {persona}"
    if response.status_code == 302:
        assert response.url.startswith(reverse("accounts:login"))


WRITE_CASES = {
    "programme edit": (
        lambda w: reverse("programmes:edit", args=[w.programme.slug]),
        {"name": "Renamed", "organisation": "Org", "summary": ""},
    ),
    "cohort edit": (
        lambda w: reverse("cohorts:edit", args=[w.cohort.slug]),
        {
            "name": "Renamed",
            "start_date": "2030-01-01",
            "end_date": "2030-02-01",
            "capacity": 9,
            "status": "running",
        },
    ),
    "invite": (
        lambda w: reverse("cohorts:members", args=[w.cohort.slug]),
        {"invite-email": "new@example.org", "invite-role": "participant"},
    ),
}


@pytest.mark.parametrize("persona", [p for p in ALL if p != "lead"])
@pytest.mark.parametrize("case", WRITE_CASES)
def test_writes_refused_for_everyone_but_the_lead(client, people, case, persona):
    url_of, data = WRITE_CASES[case]
    before = (people.programme.name, people.cohort.name, people.cohort.invitations.count())
    response = client_for(client, people.people.get(persona)).post(url_of(people), data)
    assert response.status_code in {302, 403, 404}
    if response.status_code == 302:
        assert response.url.startswith(reverse("accounts:login"))
    people.programme.refresh_from_db()
    people.cohort.refresh_from_db()
    assert (people.programme.name, people.cohort.name, people.cohort.invitations.count()) == before


def test_staff_only_admin(client, people):
    response = client_for(client, people.people["lead"]).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert client_for(client, admin).get(reverse("admin:index")).status_code == 200


# A public project, as an outsider sees it ---------------------------------------------------------------
# An account in no programme reads a public project exactly as an anonymous visitor does: the pages open to
# the public show both the same thing, and every other page, read or write, is refused.

SECRETS = (
    "SECRET-STAKEHOLDER",  # a named colleague on the influence map
    "SECRET-WARD",  # their role or group
    "SECRET-PLAN",  # the actions planned with them
    "SECRET-COMMENT",  # a comment among the programme's people
    "SECRET-TASKS",  # the cycle worksheet's tasks (who does what): not part of the published story
)
HTMX = {"HX-Request": "true"}


@dataclass
class PublicProject:
    project: object
    cycle: object
    measure: object
    stakeholder: object
    driver: object
    comment: object
    lens_slug: str
    outsider: object

    @property
    def pid(self):
        return self.project.public_id


@pytest.fixture
def public_project(world) -> PublicProject:
    """An approved public project with a lens answer, a named stakeholder, a driver, two cycles, a measure
    with data, a progress score, a social impact and comments from the programme."""
    owner, coach = world.people["participant"], world.people["coach"]
    project = project_services.project_create(
        owner=owner,
        cohort=world.cohort,
        title="Greener inhalers",
        actor=owner,
        aim_what="Switch patients to dry-powder inhalers",
        aim_for_whom="adults with asthma at the practice",
        aim_how_much="from 10% to 40%",
        aim_by_when="2030-12-31",
        mfi_accomplish="Lower the practice's carbon footprint without harming care.",
    )
    lens = content_selectors.model_for_cohort(world.cohort).lenses[0]
    project_services.lens_answer_save(
        project=project,
        lens=lens,
        answers={lens.schema["questions"][0]: "Patients like the dry-powder devices"},
        tags=[],
        actor=owner,
    )
    stakeholder = project_services.stakeholder_save(
        project=project,
        actor=owner,
        name="Dr SECRET-STAKEHOLDER",
        group="SECRET-WARD pharmacy",
        power=4,
        interest=2,
        circle="influence",
        stance_now="opposed",
        stance_hoped="supporter",
        actions="SECRET-PLAN: coffee on Tuesday",
    )
    driver = project_services.driver_add(
        project=project, kind="primary", text="Prescribers know the options", actor=owner
    )
    cycle = project_services.cycle_create(
        project=project,
        title="Try a review clinic",
        objective="Review ten patients",
        prediction="Half will switch",
        tasks="SECRET-TASKS: Dr Who books the room",
        actor=owner,
    )
    project_services.cycle_create(project=project, title="A second clinic", previous=cycle, actor=owner)
    measure = measure_services.measure_create(
        project=project,
        name="Patients switched a month",
        measure_type="outcome",
        data_kind="count",
        actor=owner,
    )
    for month, value in enumerate([3, 4, 5, 4, 6, 5, 7], start=1):
        measure_services.point_save(measure=measure, period=date(2025, month, 1), value=value, actor=owner)
    project_services.progress_set(project=project, score="2.0", note="Cycles under way", actor=owner)
    project_services.social_impact_add(
        project=project,
        actor=owner,
        group="People with asthma",
        direction="gain",
        description="Easier devices",
    )
    comment = discussions.comment_add(project=project, body="SECRET-COMMENT on the aim", actor=coach)
    discussions.comment_add(project=project, cycle=cycle, body="SECRET-COMMENT on the cycle", actor=coach)
    project_services.project_update(project=project, visibility="public", actor=owner)
    project_services.project_approve_public(project=project, actor=world.people["lead"])
    project.refresh_from_db()
    assert project.is_public
    return PublicProject(
        project=project,
        cycle=cycle,
        measure=measure,
        stakeholder=stakeholder,
        driver=driver,
        comment=comment,
        lens_slug=lens.slug,
        outsider=world.people["outsider"],
    )


PUBLIC_PROJECT_PAGES = {
    "project page": lambda p: reverse("projects:detail", args=[p.pid]),
    "story PDF": lambda p: reverse("projects:pdf", args=[p.pid]),
    "influence map": lambda p: reverse("projects:influence", args=[p.pid]),
    "influence map fragment": lambda p: reverse("projects:influence", args=[p.pid]),
    "stakeholder edit": lambda p: reverse("projects:stakeholder_edit", args=[p.pid, p.stakeholder.public_id]),
    "driver diagram": lambda p: reverse("projects:drivers", args=[p.pid]),
    "driver edit": lambda p: reverse("projects:driver_edit", args=[p.pid, p.driver.public_id]),
    "driver removal": lambda p: reverse("projects:driver_delete", args=[p.pid, p.driver.public_id]),
    "lenses": lambda p: reverse("projects:lenses", args=[p.pid]),
    "lens answer": lambda p: reverse("projects:lens_answer", args=[p.pid, p.lens_slug]),
    "cycle 1": lambda p: reverse("projects:cycle", args=[p.pid, 1]),
    "cycle 2": lambda p: reverse("projects:cycle", args=[p.pid, 2]),
    "plan a cycle": lambda p: reverse("projects:cycle_create", args=[p.pid]),
    "correct a cycle": lambda p: reverse("projects:cycle_correct", args=[p.pid, 1]),
    "progress": lambda p: reverse("projects:progress", args=[p.pid]),
    "sustainable value": lambda p: reverse("projects:value", args=[p.pid]),
    "edit": lambda p: reverse("projects:edit", args=[p.pid]),
    "team": lambda p: reverse("projects:team", args=[p.pid]),
    "measures": lambda p: reverse("measures:project", args=[p.pid]),
    "measures CSV": lambda p: reverse("measures:project_csv", args=[p.pid]),
    "measures XLSX": lambda p: reverse("measures:project_xlsx", args=[p.pid]),
    "add a measure": lambda p: reverse("measures:create", args=[p.pid]),
    "measure page": lambda p: reverse("measures:detail", args=[p.measure.public_id]),
    "measure chart SVG": lambda p: reverse("measures:chart_svg", args=[p.measure.public_id]),
    "measure CSV": lambda p: reverse("measures:export_csv", args=[p.measure.public_id]),
    "measure XLSX": lambda p: reverse("measures:export_xlsx", args=[p.measure.public_id]),
    "measure data": lambda p: reverse("measures:data", args=[p.measure.public_id]),
    "measure phases": lambda p: reverse("measures:phases", args=[p.measure.public_id]),
    "measure edit": lambda p: reverse("measures:edit", args=[p.measure.public_id]),
    "measure import": lambda p: reverse("measures:upload", args=[p.measure.public_id]),
    "measure paste": lambda p: reverse("measures:paste", args=[p.measure.public_id]),
}
HTMX_PAGES = {"influence map fragment"}


def shown(response) -> str:
    """What a response shows a person: the page's main content, a PDF's text, a spreadsheet's cells."""
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return repr([list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets])
    body = response.content.decode()
    if "<main" in body:  # the header and footer differ for a signed-in person; the content must not
        return body[body.index("<main") : body.index("</main>")]
    return body


@pytest.mark.parametrize("page", PUBLIC_PROJECT_PAGES)
def test_an_outsider_sees_of_a_public_project_only_what_an_anonymous_visitor_sees(
    client, public_project, page
):
    url = PUBLIC_PROJECT_PAGES[page](public_project)
    headers = HTMX if page in HTMX_PAGES else {}
    anonymous = client.get(url, headers=headers)
    outsider = client_for(client, public_project.outsider).get(url, headers=headers)
    seen = shown(outsider)
    assert [s for s in SECRETS if s in seen] == [], page
    if anonymous.status_code == 200:
        assert outsider.status_code == 200, page
        assert seen == shown(anonymous), page
    else:
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("accounts:login")), page
        assert outsider.status_code == 404, page  # a page the public cannot open, as for anyone outside


def test_the_programme_reads_what_the_public_does_not(client, world, public_project):
    """The fixture's private parts are really there for the programme, so the test above can fail."""
    client_for(client, world.people["other_participant"])  # another cohort of the same programme
    pid = public_project.pid
    story = client.get(reverse("projects:detail", args=[pid])).content.decode()
    assert "SECRET-STAKEHOLDER" in story and "SECRET-PLAN" in story and "SECRET-COMMENT" in story
    influence = reverse("projects:influence", args=[pid])
    assert "SECRET-WARD" in client.get(influence).content.decode()
    assert "SECRET-WARD" in client.get(influence, headers=HTMX).content.decode()
    assert "SECRET-TASKS" in client.get(reverse("projects:cycle", args=[pid, 1])).content.decode()


STAKEHOLDER = {
    "name": "Intruder",
    "power": 3,
    "interest": 3,
    "circle": "influence",
    "stance_now": "unknown",
    "stance_hoped": "supporter",
}
PUBLIC_PROJECT_WRITES = {
    "edit": lambda p: (reverse("projects:edit", args=[p.pid]), {"title": "Hijacked"}),
    "team": lambda p: (reverse("projects:team", args=[p.pid]), {"person": p.outsider.pk}),
    "approve": lambda p: (reverse("projects:approve", args=[p.pid]), {}),
    "lens answer": lambda p: (reverse("projects:lens_answer", args=[p.pid, p.lens_slug]), {"q0": "Hijacked"}),
    "influence add": lambda p: (reverse("projects:influence", args=[p.pid]), STAKEHOLDER),
    "stakeholder edit": lambda p: (
        reverse("projects:stakeholder_edit", args=[p.pid, p.stakeholder.public_id]),
        STAKEHOLDER,
    ),
    "stakeholder delete": lambda p: (
        reverse("projects:stakeholder_delete", args=[p.pid, p.stakeholder.public_id]),
        {},
    ),
    "driver add": lambda p: (
        reverse("projects:drivers", args=[p.pid]),
        {"kind": "primary", "text": "Hijack"},
    ),
    "driver edit": lambda p: (
        reverse("projects:driver_edit", args=[p.pid, p.driver.public_id]),
        {"text": "Hijack"},
    ),
    "driver delete": lambda p: (
        reverse("projects:driver_delete", args=[p.pid, p.driver.public_id]),
        {"confirm": "yes"},
    ),
    "cycle create": lambda p: (reverse("projects:cycle_create", args=[p.pid]), {"title": "Hijack"}),
    "cycle save": lambda p: (
        reverse("projects:cycle", args=[p.pid, 1]),
        {"objective": "Hijack", "revision": 1},
    ),
    "cycle correct": lambda p: (
        reverse("projects:cycle_correct", args=[p.pid, 1]),
        {"field": "objective", "new_value": "Hijack", "reason": "Because"},
    ),
    "cycle next": lambda p: (reverse("projects:cycle_next", args=[p.pid, 1]), {}),
    "progress": lambda p: (reverse("projects:progress", args=[p.pid]), {"score": "3.0", "note": "Hijack"}),
    "value": lambda p: (
        reverse("projects:value", args=[p.pid]),
        {"form": "social", "social-group": "Hijack", "social-direction": "gain", "social-description": "x"},
    ),
    "measure add": lambda p: (
        reverse("measures:create", args=[p.pid]),
        {"name": "Hijack", "measure_type": "outcome", "data_kind": "count"},
    ),
    "measure edit": lambda p: (reverse("measures:edit", args=[p.measure.public_id]), {"name": "Hijack"}),
    "measure delete": lambda p: (reverse("measures:delete", args=[p.measure.public_id]), {}),
    "data point": lambda p: (
        reverse("measures:data", args=[p.measure.public_id]),
        {"period": "2025-08-01", "value": 99},
    ),
    "phase add": lambda p: (
        reverse("measures:phases", args=[p.measure.public_id]),
        {"start": "2025-04-01", "reason": "Hijack"},
    ),
    "data pasted": lambda p: (
        reverse("measures:paste", args=[p.measure.public_id]),
        {"text": "2025-08-01\t99", "save": "1"},
    ),
    "comment": lambda p: (reverse("coaching:comment_add", args=[p.pid]), {"body": "drive-by"}),
    "comment on a cycle": lambda p: (
        reverse("coaching:comment_add", args=[p.pid]),
        {"body": "drive-by", "cycle": 1},
    ),
    "comment delete": lambda p: (
        reverse("coaching:comment_delete", args=[p.comment.public_id]),
        {"confirm": "yes"},
    ),
}


def project_state(p) -> tuple:
    """Every service records an audit event; the project's own row and its comments are checked as well."""
    project = ChangeProject.objects.get(pk=p.project.pk)
    return (
        AuditEvent.objects.count(),
        project.title,
        project.updated_at,
        list(Comment.objects.order_by("pk").values_list("body", "deleted_at")),
    )


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
@pytest.mark.parametrize("write", PUBLIC_PROJECT_WRITES)
def test_writes_to_a_public_project_are_refused_to_the_public(client, world, public_project, write, persona):
    url, data = PUBLIC_PROJECT_WRITES[write](public_project)
    before = project_state(public_project)
    for headers in ({}, HTMX):
        client.logout()
        response = client_for(client, world.people[persona]).post(url, data, headers=headers)
        if persona == "anonymous" and response.status_code == 302:
            assert response.url.startswith(reverse("accounts:login")), write
        else:
            assert response.status_code in {403, 404}, f"{write} as {persona}"
        assert [s for s in SECRETS if s in response.content.decode()] == [], write
    assert project_state(public_project) == before, write
