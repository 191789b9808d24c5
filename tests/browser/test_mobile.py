"""At a phone's width (390 by 844 CSS pixels) no page scrolls sideways: tables scroll inside their own box,
long words and addresses wrap, and charts keep their axis text at the size it is drawn (a chart wider than the
screen scrolls inside its own box rather than shrinking its text). Walks the demo's most used pages as each
role, and runs axe on a few of them."""

import pytest
from playwright.sync_api import expect

from shiftpractice.home.demo import DEMO_PASSWORD, DOMAIN

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}

# Everything wider than the window, with what it is: the message when a page scrolls sideways. Elements
# inside a box that scrolls or clips come last, marked "in a scroller" (an absolutely positioned one can
# still widen the page when the scroller is not its containing block).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const loose = [], held = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 0.5) continue;
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX)) { clipped = true; break; }
    }
    const what = `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} right=${Math.round(box.right)}`;
    (clipped ? held : loose).push(clipped ? `${what} (in a scroller)` : what);
  }
  return [...loose, ...held].slice(0, 8);
}"""


# The drawn size, in CSS pixels, of every text of every chart on the screen (a chart's SVG is scaled to its box).
CHART_TEXT_SIZES = """() => {
  const out = [];
  for (const svg of document.querySelectorAll("svg.sp-chart")) {
    if (!svg.checkVisibility()) continue;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll("text")) out.push(parseFloat(text.getAttribute("font-size")) * scale);
  }
  return out;
}"""
DATE_LABELS = """(selector) => [...document.querySelector(selector).querySelectorAll("text")]
  .map((t) => t.textContent.trim())
  .filter((t) => /^([A-Z][a-z]{2} \\d{4}|\\d{1,2} [A-Z][a-z]{2} \\d{2})$/.test(t))"""
# On a desktop the page's chart draws its smallest text at 11 pixels and the small multiples at 10.
SMALLEST_CHART_TEXT_PX = 10
CHART_PAGES = {"project page", "project's measures", "measure page"}


@pytest.fixture
def phone(browser):
    # Not is_mobile: a mobile browser zooms out to fit a page that is too wide, which would widen
    # window.innerWidth along with the page and hide the very scrolling this test looks for.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def log_in(page, base_url: str, who: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(f"{who}@{DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


def most_used_pages() -> dict[str, list[tuple[str, str]]]:
    """The pages each demo role opens most, as (name, path), read from the demo's data."""
    from django.urls import reverse

    from shiftpractice.coaching.models import CoachAssignment, Thread
    from shiftpractice.cohorts.models import Cohort, Workshop
    from shiftpractice.content import selectors as content_selectors
    from shiftpractice.home.demo import PROGRAMME_SLUG
    from shiftpractice.measures.models import Measure
    from shiftpractice.network.models import NetworkEvent
    from shiftpractice.projects.models import ChangeProject
    from shiftpractice.stories.models import CaseStudy

    project = (
        ChangeProject.objects.filter(owner__email=f"gp@{DOMAIN}", measures__isnull=False).distinct().first()
    )
    measure = Measure.objects.filter(project=project).order_by("position").first()
    cycle = project.cycles.order_by("number").first()
    cohort = project.cohort
    workshop = Workshop.objects.filter(cohorts=cohort).order_by("starts_at").first()
    thread = Thread.objects.filter(board__cohort=cohort).order_by("-created_at").first()
    lens = content_selectors.model_for_cohort(cohort).lenses[0]
    coachee = CoachAssignment.objects.filter(coach__email=f"coach1@{DOMAIN}").first()
    other_cohort = Cohort.objects.exclude(pk=cohort.pk).filter(programme=cohort.programme).first()
    pid, mid = project.public_id, measure.public_id
    story = CaseStudy.objects.filter(author__email=f"gp@{DOMAIN}").first()
    return {
        "gp": [
            ("participant's home", reverse("home:index")),
            ("projects list", reverse("projects:list")),
            ("project page", reverse("projects:detail", args=[pid])),
            ("cycle page", reverse("projects:cycle", args=[pid, cycle.number])),
            ("driver diagram", reverse("projects:drivers", args=[pid])),
            ("influence map", reverse("projects:influence", args=[pid])),
            ("sustainable value", reverse("projects:value", args=[pid])),
            ("project's measures", reverse("measures:project", args=[pid])),
            ("measure page", reverse("measures:detail", args=[mid])),
            ("data entry", reverse("measures:data", args=[mid])),
            ("journal", reverse("coaching:journal")),
            ("discussion boards", reverse("coaching:boards")),
            ("a thread", reverse("coaching:thread", args=[thread.public_id])),
            ("programme page", reverse("cohorts:programme", args=[PROGRAMME_SLUG])),
            ("cohort page", reverse("cohorts:detail", args=[cohort.slug])),
            ("workshop page", reverse("cohorts:workshop", args=[workshop.public_id])),
            ("model", reverse("content:model")),
            ("a lens", reverse("content:lens", args=[lens.slug.removeprefix("lens.")])),
            ("notifications", reverse("notifications:list")),
            ("profile", reverse("accounts:profile")),
            ("calendar", reverse("cohorts:my_calendar")),
            ("network directory", reverse("network:directory")),
            ("network events", reverse("network:events")),
            ("a network event", NetworkEvent.objects.order_by("-starts_at").first().get_absolute_url()),
            ("network digest", reverse("network:digest")),
            ("case studies", reverse("stories:list")),
            ("a case study's working page", reverse("stories:detail", args=[story.public_id])),
            ("a published case study", reverse("stories:public", args=[story.slug])),
        ],
        "coach1": [
            ("coach's home", reverse("home:index")),
            ("coach dashboard", reverse("coaching:dashboard")),
            ("a coachee", reverse("coaching:coachee", args=[coachee.public_id])),
        ],
        "lead": [
            ("lead's home", reverse("home:index")),
            ("portfolio", reverse("home:portfolio", args=[PROGRAMME_SLUG])),
            ("expressions of interest", reverse("network:list", args=[PROGRAMME_SLUG])),
            ("other cohort", reverse("cohorts:detail", args=[other_cohort.slug])),
        ],
        "friend1": [("critical friend's home", reverse("home:index"))],
    }


AXE_ON = {
    "project page",
    "influence map",
    "measure page",
    "data entry",
    "coach dashboard",
    "a thread",
    "portfolio",
    "expressions of interest",
    "network directory",
    "a network event",
    "a case study's working page",
    "a published case study",
}


def test_no_page_scrolls_sideways_at_390_pixels(phone, live_server, demo):
    wide = {}
    for who, pages in most_used_pages().items():
        log_in(phone, live_server.url, who)
        for name, path in pages:
            response = phone.goto(f"{live_server.url}{path}")
            assert response.status == 200, (name, path, response.status)
            scroll, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert inner == PHONE["width"]
            if scroll > inner:
                wide[name] = (path, scroll, phone.evaluate(OVERFLOWING))
            if name in CHART_PAGES:
                sizes = phone.evaluate(CHART_TEXT_SIZES)
                assert sizes, f"no chart drawn on the {name}"
                assert min(sizes) >= SMALLEST_CHART_TEXT_PX, (name, sorted(sizes)[:5])
            if name == "measure page":
                # The narrow drawing, with at most four date labels, replaces the wide one on a phone.
                narrow = phone.locator(".sp-chart-narrow svg.sp-chart")
                expect(narrow).to_be_visible()
                assert narrow.get_attribute("viewBox") == "0 0 360 250"
                dates = phone.evaluate(DATE_LABELS, ".sp-chart-narrow svg.sp-chart")
                assert 2 <= len(dates) <= 4, dates
                expect(phone.locator(".sp-chart-switch .sp-chart-figure svg.sp-chart")).to_be_hidden()
            if name in AXE_ON:
                assert_accessible(phone)
    assert not wide, "pages that scroll sideways at 390 px:\n" + "\n".join(
        f"{name} {path}: {scroll}px wide; {offenders}" for name, (path, scroll, offenders) in wide.items()
    )


def test_a_desktop_gets_the_wide_chart(page, live_server, demo):
    measure_path = dict(most_used_pages()["gp"])["measure page"]
    log_in(page, live_server.url, "gp")
    page.goto(f"{live_server.url}{measure_path}")
    wide = page.locator(".sp-chart-switch .sp-chart-figure svg.sp-chart")
    expect(wide).to_be_visible()
    assert wide.get_attribute("viewBox").startswith("0 0 760 ")
    expect(page.locator(".sp-chart-narrow")).to_be_hidden()
    assert min(page.evaluate(CHART_TEXT_SIZES)) >= SMALLEST_CHART_TEXT_PX


def test_the_public_front_door_fits_a_phone_and_passes_axe(phone, live_server, demo):
    """A visitor who is not signed in: the front door at 390 px, with the demo's published projects."""
    phone.context.clear_cookies()
    response = phone.goto(f"{live_server.url}/")
    assert response.status == 200
    expect(phone.get_by_role("heading", level=1)).to_have_text("Change at work, tested and shared")
    scroll, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, phone.evaluate(OVERFLOWING)
    assert_accessible(phone)


def test_the_take_part_pages_fit_a_phone_and_pass_axe(phone, live_server, demo):
    """A visitor: the open calls and both public forms at 390 px."""
    from django.urls import reverse

    from shiftpractice.home.demo import PROGRAMME_SLUG

    phone.context.clear_cookies()
    for path in (
        reverse("network:take_part"),
        reverse("network:form", args=[PROGRAMME_SLUG, "interest"]),
        reverse("network:form", args=[PROGRAMME_SLUG, "offer"]),
    ):
        assert phone.goto(f"{live_server.url}{path}").status == 200
        scroll, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, (path, phone.evaluate(OVERFLOWING))
        assert_accessible(phone)
