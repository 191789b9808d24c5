"""The story PDF on paper: each chart across the text width with text of at least 8 pt, read back from the
file; status tags on their own line under their headings; a tagged PDF; WeasyPrint reading only our static
files; and the PDF drawn once per version by the task worker, with a "Preparing your PDF" page meanwhile.

Here rather than in ``projects/tests``: the story's charts come from ``measures``, an app above ``projects``."""

import io
import math
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import client_for
from shiftpractice.measures import services as measure_services
from shiftpractice.measures.printing import STORY_TEXT_WIDTH_MM, smallest_printed_pt
from shiftpractice.projects import services, story_pdf

MM_IN_PX = 96 / 25.4  # WeasyPrint lays pages out in CSS pixels, and writes figures' boxes in them
VALUES = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 15, 16, 14, 15, 16, 17, 15, 16, 14, 15]


def month(i: int) -> date:
    y, m = divmod(i, 12)
    return date(2021 + y, m + 1, 1)


@pytest.fixture
def project(world):
    owner = world.people["participant"]
    return services.project_create(
        owner=owner,
        cohort=world.cohort,
        title="Green social prescribing for low mood",
        actor=owner,
        aim_what="Increase referrals to nature-based activities",
        aim_by_when="2030-12-31",
    )


@pytest.fixture
def charted(project, world):
    """The project with a measure of 22 months, a PDSA cycle started inside them and a stakeholder."""
    owner = project.owner
    measure = measure_services.measure_create(
        project=project, name="Referrals a month", measure_type="outcome", data_kind="count", actor=owner
    )
    for i, v in enumerate(VALUES):
        measure_services.point_save(measure=measure, period=month(i), value=v, actor=owner)
    services.cycle_create(
        project=project, title="Talk at the practice meeting", actor=owner, start_date=month(12)
    )
    services.stakeholder_save(
        project=project,
        actor=owner,
        name="Practice manager",
        power=5,
        interest=4,
        circle="influence",
        stance_now="neutral",
        stance_hoped="champion",
    )
    project.refresh_from_db()
    return measure


def pdf_of(client, project, user=None) -> PdfReader:
    response = client_for(client, user).get(reverse("projects:pdf", args=[project.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


# ---- reading a PDF back ----------------------------------------------------------------------------------

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m, n):
    """The matrix m followed by n (PDF matrices act on row vectors)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def text_sizes_by_marked_content(reader: PdfReader, page) -> dict:
    """The printed size in points of every piece of text on the page, by the marked-content id (MCID) it is
    drawn in; follows the graphics state into form XObjects (WeasyPrint draws each SVG text as one)."""
    sizes: dict = {}

    def run(stream, resources, ctm, marks):
        saved, tm, font_size = [], IDENTITY, 0.0
        for operands, op in ContentStream(stream, reader).operations:
            if op == b"q":
                saved.append(ctm)
            elif op == b"Q":
                ctm = saved.pop()
            elif op == b"cm":
                ctm = _times(tuple(float(x) for x in operands), ctm)
            elif op == b"BDC":
                props = operands[1] if len(operands) > 1 else {}
                marks.append(props.get("/MCID") if hasattr(props, "get") else None)
            elif op == b"BMC":
                marks.append(None)
            elif op == b"EMC":
                marks.pop()
            elif op == b"BT":
                tm = IDENTITY
            elif op == b"Tf":
                font_size = float(operands[1])
            elif op == b"Tm":
                tm = tuple(float(x) for x in operands)
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                m = _times(tm, ctm)
                mcid = next((x for x in marks if x is not None), None)
                sizes.setdefault(mcid, []).append(font_size * math.sqrt(abs(m[0] * m[3] - m[1] * m[2])))
            elif op == b"Do":
                xobject = resources["/XObject"][operands[0]].get_object()
                if xobject["/Subtype"] == "/Form":
                    matrix = tuple(float(x) for x in xobject.get("/Matrix", IDENTITY))
                    run(xobject, xobject.get("/Resources", resources), _times(matrix, ctm), marks)

    run(page.get_contents(), page["/Resources"], IDENTITY, [])
    return sizes


def figures(reader: PdfReader) -> list[dict]:
    """Every Figure of the structure tree: its alternative text, page, marked-content ids and box."""
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    found = []

    def mcids(k):
        k = k.get_object() if hasattr(k, "get_object") else k
        if isinstance(k, int):
            return [k]
        if isinstance(k, list):
            return [m for item in k for m in mcids(item)]
        if hasattr(k, "get") and k.get("/Type") == "/MCR":
            return [int(k["/MCID"])]
        return []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure":
            box = [float(v) for v in node["/A"].get_object()["/BBox"]]
            found.append(
                {
                    "alt": str(node.get("/Alt", "")),
                    "page": pages[node.raw_get("/Pg").idnum],
                    "mcids": mcids(node.get("/K", [])),
                    "width_mm": (box[2] - box[0]) / MM_IN_PX,
                }
            )
        elif "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def page_text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# ---- the tests -------------------------------------------------------------------------------------------


def test_the_pdf_is_tagged_for_accessibility(client, project, charted):
    reader = pdf_of(client, project, project.owner)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    # The chart is a figure whose alternative text is the chart's title.
    assert any(f["alt"].endswith(": Referrals a month") for f in figures(reader))


def test_each_chart_fills_the_text_width_with_text_of_at_least_8_points(client, project, charted):
    reader = pdf_of(client, project, project.owner)
    charts = [f for f in figures(reader) if f["alt"].endswith(": Referrals a month")]
    assert len(charts) == 1
    chart = charts[0]
    assert chart["width_mm"] == pytest.approx(STORY_TEXT_WIDTH_MM, abs=1)

    page = reader.pages[chart["page"]]
    by_mcid = text_sizes_by_marked_content(reader, page)
    sizes = [s for mcid in chart["mcids"] for s in by_mcid.get(mcid, [])]
    # The y axis (3 to 6 labels), the x axis (up to 8), the PDSA label and the target or phase labels.
    assert len(sizes) >= 8
    assert min(sizes) >= 8
    assert min(sizes) == pytest.approx(smallest_printed_pt(), abs=0.3)
    # The chart's own text is in the file, where a reader can find and copy it.
    text = page_text(reader)
    assert "Jan 2021" in text and "PDSA 1" in text


def test_a_status_tag_sits_under_its_heading_not_in_it(client, project, charted):
    reader = pdf_of(client, project, project.owner)
    lines = {}

    def visit(text, cm, tm, font, size):
        text = text.strip()
        if text.startswith("PDSA 1: Talk at the practice meeting") or text == "Plan":
            lines.setdefault(text.split(":")[0], tm[5])

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    # WeasyPrint's pages run top to bottom in its text matrix: the tag is a line below the heading.
    assert lines["Plan"] - lines["PDSA 1"] > 10


def test_weasyprint_reads_our_static_files_from_disk_and_nothing_else():
    fetcher = story_pdf.static_files_fetcher()
    css = f"{django_settings.SITE_URL}{django_settings.STATIC_URL}css/story-pdf.css"
    response = fetcher(css)
    assert response.read() == (Path(django_settings.BASE_DIR) / "static/css/story-pdf.css").read_bytes()
    assert response.content_type == "text/css"
    for url in (
        f"{django_settings.SITE_URL}/projects/",  # the app itself: never asked over HTTP
        f"{django_settings.SITE_URL}{django_settings.STATIC_URL}../config/settings.py",
        f"{django_settings.SITE_URL}{django_settings.STATIC_URL}css/missing.css",
        "http://example.org/style.css",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError, match="fetches only static files"):
            fetcher(url)


def test_people_outside_the_programme_get_a_pdf_without_the_influence_map(client, world, project, charted):
    services.project_update(project=project, visibility="public", actor=project.owner)
    services.project_approve_public(project=project, actor=world.people["lead"])
    assert "Practice manager" in page_text(pdf_of(client, project, project.owner))
    client.logout()
    public = page_text(pdf_of(client, project, None))
    assert "Practice manager" not in public and "Referrals a month" in public
    # Each audience has its own stored PDF: the public one is never the programme's.
    stored = default_storage.listdir(f"story-pdfs/{project.public_id}")[1]
    assert sorted(name.split("-")[0] for name in stored) == ["programme", "public"]


@pytest.fixture
def worker_queue(settings):
    """The real database task queue, as deployed: nothing runs until the worker is run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    def run_worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())

    run_worker.queued = lambda: DBTaskResult.objects.filter(status="READY").count()
    return run_worker


# The worker commits as it goes, as in production (and on PostgreSQL it closes a connection left inside a
# transaction), so this test runs outside the usual per-test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_prepared_in_the_background_once_per_version(client, project, charted, worker_queue):
    client_for(client, project.owner)
    url = reverse("projects:pdf", args=[project.public_id])

    first = client.get(url)
    assert first.status_code == 202
    page = first.content.decode()
    assert "<h1>Preparing your PDF</h1>" in page and "waiting its turn" in page
    assert f'href="{url}"' in page  # without JavaScript, a link asks again
    assert 'hx-trigger="every 3s"' in page  # with it, the page asks by itself
    assert worker_queue.queued() == 1

    # Asking again, with or without htmx, queues nothing more: one build per version.
    assert client.get(url).status_code == 202
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 204
    assert worker_queue.queued() == 1

    worker_queue()
    ready = client.get(url, headers={"HX-Request": "true"})
    assert ready.status_code == 286 and "Download the PDF" in ready.content.decode()
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert "Referrals a month" in page_text(PdfReader(io.BytesIO(served.content)))
    assert worker_queue.queued() == 0

    # A new point on the chart is a new version: prepared again, and the old file removed once it is.
    measure_services.point_save(measure=charted, period=month(22), value=30, actor=project.owner)
    assert client.get(url).status_code == 202
    worker_queue()
    assert client.get(url).status_code == 200
    files = default_storage.listdir(f"story-pdfs/{project.public_id}")[1]
    assert len(files) == 1


def test_a_changed_project_is_never_served_its_old_pdf(client, project, charted):
    client_for(client, project.owner)
    url = reverse("projects:pdf", args=[project.public_id])
    assert "Green social prescribing" in page_text(PdfReader(io.BytesIO(client.get(url).content)))
    services.project_update(project=project, title="Nature on prescription", actor=project.owner)
    text = page_text(PdfReader(io.BytesIO(client.get(url).content)))
    assert "Nature on prescription" in text and "Green social prescribing" not in text


def test_pruning_removes_old_pdfs_and_those_of_deleted_projects(client, world, project, charted):
    import os
    import time

    client_for(client, project.owner)
    assert client.get(reverse("projects:pdf", args=[project.public_id])).status_code == 200
    folder = f"story-pdfs/{project.public_id}"
    (kept,) = default_storage.listdir(folder)[1]
    gone_project = "story-pdfs/00000000-0000-4000-8000-000000000000/programme-abc.pdf"
    default_storage.save(gone_project, io.BytesIO(b"%PDF-1.7 names %%EOF"))
    stale = f"{folder}/public-old.pdf"
    default_storage.save(stale, io.BytesIO(b"%PDF-1.7 %%EOF"))
    forty_days_ago = time.time() - 40 * 24 * 3600
    os.utime(default_storage.path(stale), (forty_days_ago, forty_days_ago))

    call_command("prune_story_pdfs", stdout=io.StringIO())
    assert default_storage.listdir(folder)[1] == [kept]
    assert not default_storage.exists(gone_project)
