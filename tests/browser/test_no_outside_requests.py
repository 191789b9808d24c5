"""No request leaves the site: every page a person opens loads its styles, scripts and fonts from this origin,
so it works offline and under a Content-Security-Policy that names only this origin."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings

from shiftpractice.home.demo import DEMO_PASSWORD, DOMAIN

pytestmark = [pytest.mark.browser]


def test_pages_ask_nothing_of_any_other_host(page, live_server, demo):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{live_server.url}/")  # the public front door
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(f"gp@{DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    for path in ("/projects/", "/model/", "/accounts/profile/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    # The text is drawn in the face that replaces the NHS font host's Frutiger: a font of this machine.
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Frutiger W01" in family

    site = urlsplit(live_server.url).netloc
    outside = [url for url in asked if urlsplit(url).scheme != "data" and urlsplit(url).netloc != site]
    assert len(asked) > 10  # the pages, their styles and scripts were seen
    assert outside == [], f"requests left the site: {outside}"


def test_the_policy_allows_fonts_from_this_origin_only():
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["font-src"] == ["'self'"]
