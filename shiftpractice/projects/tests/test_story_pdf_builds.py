"""The story PDF is built at most once at a time per project, and a visitor cannot ask for it without limit."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.projects import services, story_pdf
from shiftpractice.projects.models import StoryPdfBuild


@pytest.fixture
def queue(settings):
    """The real database task queue: nothing runs until a worker does, so a build stays queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    return lambda: DBTaskResult.objects.filter(status="READY").count()


@pytest.fixture
def public(project, world):
    services.project_update(project=project, visibility="public", actor=project.owner)
    services.project_approve_public(project=project, actor=world.people["lead"])
    return project


def test_a_second_request_does_not_start_a_second_build(public, queue):
    url = reverse("projects:pdf", args=[public.public_id])
    first, second = Client(REMOTE_ADDR="203.0.113.1"), Client(REMOTE_ADDR="203.0.113.2")
    assert first.get(url).status_code == 202
    assert queue() == 1
    assert second.get(url).status_code == 202  # another visitor, the same build
    # A member asks for the programme's PDF while the public one is queued: one build per project at a time.
    assert client_for(Client(), public.owner).get(url).status_code == 202
    assert queue() == 1
    build = StoryPdfBuild.objects.get(project=public)
    assert build.audience == "public" and build.token and build.task_id


def test_the_lease_is_claimed_by_one_of_two_concurrent_requests(public):
    now = timezone.now()
    key = story_pdf.version(public, "public")
    assert story_pdf._claim(public, "public", key, now) is not None
    assert story_pdf._claim(public, "public", key, now) is None
    assert story_pdf._claim(public, "programme", "other", now) is None


def test_a_build_whose_worker_died_is_claimed_again_once_its_lease_runs_out(public, queue):
    url = reverse("projects:pdf", args=[public.public_id])
    client = Client()
    assert client.get(url).status_code == 202
    StoryPdfBuild.objects.filter(project=public).update(lease_expires=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 202
    assert queue() == 2


def test_a_finished_build_gives_the_lease_back_and_the_pdf_is_served_from_storage(public):
    url = reverse("projects:pdf", args=[public.public_id])
    response = Client().get(url)  # the tests' backend runs the build at once
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    build = StoryPdfBuild.objects.get(project=public)
    assert build.token is None and build.lease_expires is None and build.last_result == "built"
    again = Client().get(url)
    assert again.status_code == 200 and again.content == response.content
    assert StoryPdfBuild.objects.get(project=public).started_at == build.started_at  # not built again


def test_a_visitor_asking_too_often_gets_a_clear_429(public, settings, queue):
    settings.STORY_PDF_RATE = (3, 600)
    url = reverse("projects:pdf", args=[public.public_id])
    visitor = Client(REMOTE_ADDR="198.51.100.7")
    assert [visitor.get(url).status_code for _ in range(3)] == [202, 202, 202]
    refused = visitor.get(url)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    page = refused.content.decode()
    assert "You have asked for PDFs too often" in page and "Try again in" in page
    assert Client(REMOTE_ADDR="198.51.100.8").get(url).status_code == 202  # another visitor is not held back
    member = client_for(Client(REMOTE_ADDR="198.51.100.7"), public.owner)
    assert member.get(url).status_code == 202  # a signed-in person is counted as themselves
    assert queue() == 1
