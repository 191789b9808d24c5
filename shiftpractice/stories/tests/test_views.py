"""Every case study page for every persona: the working copy is the author's, the team's, the coach's and the
leads'; everyone else is told it does not exist. The published case study is everyone's until withdrawn."""

import pytest
from django.urls import reverse

from conftest import PERSONAS, client_for
from shiftpractice.stories import services
from shiftpractice.stories.models import CaseStudy

from .helpers import TOKEN, approved, make_project, published

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def case_study(world):
    project = make_project(world)
    return services.case_study_start(project=project, actor=project.owner)


READ = {
    "participant": 200,
    "lead": 200,
    "coach": 200,
    "other_participant": 404,
    "critical_friend": 404,
    "outsider": 404,
    "anonymous": 302,
}
EDIT = {**READ, "lead": 403, "coach": 403}
COMMENT = {**READ, "participant": 403}
DECIDE = {**READ, "participant": 403, "coach": 403}


def _pages(cs):
    pid = cs.public_id
    return {
        "detail": (reverse("stories:detail", args=[pid]), READ),
        "details": (reverse("stories:details", args=[pid]), EDIT),
        "section": (reverse("stories:section", args=[pid, "problem"]), EDIT),
        "team": (reverse("stories:team", args=[pid]), EDIT),
        "image_add": (reverse("stories:image_add", args=[pid]), EDIT),
        "signoff_request": (reverse("stories:signoff_request", args=[pid]), EDIT),
        "consent": (reverse("stories:consent", args=[pid]), EDIT),
        "comment": (reverse("stories:comment", args=[pid]), COMMENT),
        "decide": (reverse("stories:decide", args=[pid]), DECIDE),
        "publish": (reverse("stories:publish", args=[pid]), DECIDE),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_working_page_answers_each_persona_as_it_should(world, case_study, client, persona):
    client_for(client, world.people[persona])
    for name, (url, expected) in _pages(case_study).items():
        assert client.get(url).status_code == expected[persona], (name, persona)


@pytest.mark.parametrize(
    "persona", ["lead", "coach", "other_participant", "critical_friend", "outsider", "anonymous"]
)
def test_nobody_but_the_author_changes_the_text_by_any_post(world, case_study, client, persona):
    client_for(client, world.people[persona])
    url = reverse("stories:section", args=[case_study.public_id, "problem"])
    response = client.post(url, {"text": "Hijacked"})
    assert response.status_code in (302, 403, 404)
    case_study.refresh_from_db()
    assert "Hijacked" not in case_study.sections["problem"]
    for action in ("submit", "draft", "refresh"):
        client.post(reverse(f"stories:{action}", args=[case_study.public_id]))
    case_study.refresh_from_db()
    assert case_study.state == "draft"


def test_the_author_edits_a_section_and_a_refusal_keeps_what_they_typed(world, case_study, client):
    client_for(client, world.people["participant"])
    url = reverse("stories:section", args=[case_study.public_id, "problem"])
    response = client.post(url, {"text": "We asked Dr Stella Stakeholder to help."})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "influence map" in body
    assert "We asked Dr Stella Stakeholder to help." in body
    response = client.post(url, {"text": "Referrals were **too low**."})
    assert response.status_code == 302
    page = client.get(reverse("stories:detail", args=[case_study.public_id])).content.decode()
    assert "<strong>too low</strong>" in page


def test_scripts_in_markdown_never_reach_the_page(world, case_study, client):
    client_for(client, world.people["participant"])
    url = reverse("stories:section", args=[case_study.public_id, "learnt"])
    client.post(
        url, {"text": "<script>alert(1)</script> [x](javascript:alert(1)) <iframe src='https://e.example'>"}
    )
    page = client.get(reverse("stories:detail", args=[case_study.public_id])).content.decode()
    assert "<script>alert(1)" not in page and "<iframe" not in page and 'href="javascript:' not in page


def test_an_image_without_alt_text_or_of_the_wrong_type_is_refused_with_the_form_kept(
    world, case_study, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_for(client, world.people["participant"])
    url = reverse("stories:image_add", args=[case_study.public_id])
    response = client.post(
        url,
        {
            "image": SimpleUploadedFile("a.png", PNG),
            "alt_text": "",
            "caption": "Kept caption",
            "section": "problem",
        },
    )
    assert response.status_code == 200 and "text alternative" in response.content.decode()
    assert "Kept caption" in response.content.decode()
    response = client.post(
        url,
        {"image": SimpleUploadedFile("a.png", b"MZ\x90\x00"), "alt_text": "A poster", "section": "problem"},
    )
    assert "PNG or JPEG" in response.content.decode()
    response = client.post(
        url, {"image": SimpleUploadedFile("a.png", PNG), "alt_text": "A poster", "section": "problem"}
    )
    assert response.status_code == 302
    image = case_study.images.get()
    served = client.get(reverse("stories:image", args=[case_study.public_id, image.pk]))
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"
    client_for(client, world.people["other_participant"])
    assert client.get(reverse("stories:image", args=[case_study.public_id, image.pk])).status_code == 404


def test_the_sign_off_link_shows_the_exact_text_to_anyone_with_it_and_works_once(
    world, case_study, client, monkeypatch
):
    approved(world, case_study)
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: TOKEN)
    services.signoff_request(
        case_study=case_study,
        name="Mo Manager",
        email="mo@p.example",
        organisation="Riverside Practice",
        role="",
        actor=case_study.author,
    )
    url = reverse("stories:signoff", args=[TOKEN])
    page = client.get(url).content.decode()
    assert "Our words for learnt." in page and "Mo Manager" in page and "Licence:" in page
    response = client.post(url, {"decision": "agree", "confirm_name": ""})
    assert "Type your name" in response.content.decode() or "required" in response.content.decode()
    response = client.post(url, {"decision": "agree", "confirm_name": "Mo Manager"})
    assert "Thank you" in response.content.decode()
    again = client.get(url)
    assert again.status_code == 410 and "used already" in again.content.decode()
    assert client.get(reverse("stories:signoff", args=["forged-token"])).status_code == 410


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_case_study_is_public_only_once_published_and_until_withdrawn(world, client, monkeypatch, persona):
    project = make_project(world)
    draft = services.case_study_start(project=project, actor=project.owner)
    client_for(client, world.people[persona])
    assert client.get(reverse("stories:public", args=[draft.slug])).status_code == 404
    assert client.get(reverse("stories:public_pdf", args=[draft.slug])).status_code == 404
    assert draft.title not in client.get(reverse("stories:public_list")).content.decode()
    case_study, _version = published(world, monkeypatch, project=project)
    page = client.get(reverse("stories:public", args=[case_study.slug]))
    assert page.status_code == 200 and "Our words for problem." in page.content.decode()
    assert "Cite this" in page.content.decode()
    assert case_study.title in client.get(reverse("stories:public_list")).content.decode()
    services.withdraw(case_study=case_study, reason="", actor=case_study.author)
    gone = client.get(reverse("stories:public", args=[case_study.slug]))
    assert gone.status_code == 410 and "withdrawn" in gone.content.decode()
    assert client.get(reverse("stories:public_pdf", args=[case_study.slug])).status_code == 410
    assert case_study.title not in client.get(reverse("stories:public_list")).content.decode()


def test_the_published_pdf_is_built_once_and_served_from_storage(world, client, monkeypatch):
    case_study, _version = published(world, monkeypatch)
    calls = []
    from shiftpractice.stories import pdf

    real = pdf.render
    monkeypatch.setattr(pdf, "render", lambda v: calls.append(v.pk) or real(v))
    first = client.get(reverse("stories:public_pdf", args=[case_study.slug]))
    assert first.status_code == 200 and first.content.startswith(b"%PDF-")
    second = client.get(reverse("stories:public_pdf", args=[case_study.slug]))
    assert second.content == first.content
    assert (
        len(calls) <= 1
    )  # drawn when published (immediate tasks in tests) or on the first request, never again


def _more_case_studies(world, like, n: int) -> None:
    """``n`` more published case studies, made in bulk (each on its own project)."""
    from shiftpractice.projects.models import ChangeProject

    start = ChangeProject.objects.count()
    projects = ChangeProject.objects.bulk_create(
        [
            ChangeProject(owner=like.author, cohort=world.cohort, title=f"Project {start + i}")
            for i in range(n)
        ]
    )
    CaseStudy.objects.bulk_create(
        [
            CaseStudy(
                project=p,
                author=like.author,
                programme=like.programme,
                slug=f"copy-{p.pk}",
                title=f"Copy {p.pk}",
                published_version=like.published_version,
                state="published",
            )
            for p in projects
        ]
    )


def test_the_lists_run_the_same_queries_and_stay_the_same_size_for_few_and_many(world, client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client_for(client, world.people["lead"])
    case_study, _ = published(world, monkeypatch)

    def measure():
        out = []
        for name in ("stories:list", "stories:public_list"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse(name))
            out.append((len(queries), len(response.content)))
        return out

    _more_case_studies(world, case_study, 30)
    few = measure()
    _more_case_studies(world, case_study, 300)
    many = measure()
    for (q_few, size_few), (q_many, size_many) in zip(few, many, strict=True):
        assert q_few == q_many
        assert abs(size_many - size_few) / size_few < 0.1
