"""Every page of the demo reads as written for people: no doubled words, no raw field names or codes, no
"(optional) (optional)", and every hint or error a field points screen readers to is on the page. Each demo role walks the site from its home page, following the links it is shown."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from shiftpractice.home.demo import DOMAIN, load_demo

# Each test runs in its own savepoint inside the module's transaction that holds the demo.
pytestmark = pytest.mark.django_db

ROLES = ["lead", "coach1", "gp", "friend1"]
PAGES_PER_ROLE = 70
SKIP = re.compile(
    r"^/(admin|static|media|accounts/logout|api)/|\.(ics|pdf|csv|xlsx|svg|zip)$|/(export|download)"
)

DOUBLED = re.compile(r"\b([A-Za-z]{2,})\s+\1\b", re.IGNORECASE)
# A word joined by underscores is a name from the code (a field, a rule, a choice value), never English.
RAW_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
SLIPS = [
    re.compile(r"\(optional\)\s*\(optional\)", re.IGNORECASE),
    re.compile(r"\b(?:Lenss|Statuss|\w+sss)\b"),
]
# Doubled words that are English.
ALLOWED_DOUBLES = {"that that", "had had"}


INLINE = {"a", "abbr", "b", "em", "i", "strong", "span", "time", "small", "sup", "sub", "label", "q", "mark"}
HIDDEN = {"script", "style", "code", "pre", "textarea", "template", "option"}


class _Page(HTMLParser):
    """The text a person reads (not scripts, styles or code samples), block by block, and the page's links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = [""]
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.references: set[str] = set()  # ids named by aria-describedby and aria-labelledby
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self._skip += 1
        named = dict(attrs)
        if named.get("id"):
            self.ids.add(named["id"])
        for aria in ("aria-describedby", "aria-labelledby"):
            self.references.update((named.get(aria) or "").split())
        if tag == "a":
            href = named.get("href")
            if href:
                self.links.append(href)
        if tag not in INLINE:  # a heading, a cell, a paragraph: words do not run on across it
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag in HIDDEN and self._skip:
            self._skip -= 1
        if tag not in INLINE:
            self.blocks.append("")

    def handle_data(self, data):
        if not self._skip:
            self.blocks[-1] += data


def problems_in(blocks: list[str]) -> list[str]:
    found = []
    for block in blocks:
        for match in DOUBLED.finditer(block):
            if re.sub(r"\s+", " ", match.group(0).lower()) not in ALLOWED_DOUBLES:
                context = block[max(0, match.start() - 40) : match.end() + 40]
                found.append(f"doubled word {match.group(0)!r} in {context!r}")
    # Addresses are shown as they are (a source's web address may hold underscores).
    text = re.sub(r"\S+://\S+|www\.\S+", " ", " ".join(blocks))
    found += [f"raw name {m.group(0)!r}" for m in RAW_NAME.finditer(text)]
    for slip in SLIPS:
        found += [f"slip {m.group(0)!r}" for m in slip.finditer(text)]
    return found


def test_the_checks_catch_each_slip():
    text = ["Lenss to read. Save the the cycle.", "Outcome (optional) (optional). Rule anhoej_runs fired."]
    assert len(problems_in(text)) == 4
    assert problems_in(["The lens version lens.systems@2 is shown, and that that is fine.", "fine"]) == []


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, removed again at its end."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def walk(client: Client, start: str = "/"):
    """Breadth-first over the internal links the person is shown, up to PAGES_PER_ROLE pages."""
    seen, queue = {start}, deque([start])
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited += 1
        page = _Page()
        page.feed(response.content.decode())
        blocks = [re.sub(r"\s+", " ", block).strip() for block in page.blocks if block.strip()]
        yield path, blocks, sorted(page.references - page.ids)
        for href in page.links:
            href, _ = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and not SKIP.search(parts.path):
                seen.add(target)
                queue.append(target)


@pytest.mark.parametrize("who", ROLES)
def test_demo_pages_read_as_english(demo_site, who):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(
        get_user_model().objects.get(email=f"{who}@{DOMAIN}"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    report = []
    pages = 0
    for path, blocks, dangling in walk(client):
        pages += 1
        report += [f"{path}: {problem}" for problem in problems_in(blocks)]
        report += [f"{path}: aria reference to a missing id {ref!r}" for ref in dangling]
    assert pages >= 10, "the walk should reach a good part of the site"
    assert report == [], "\n".join(sorted(set(report)))
