"""One way to show a long list a page at a time, used by every list page.

A page is Django's ``Paginator`` over a queryset whose filters, sort and search already run in the database:
one count and one page query, whatever the size of the list. The page links keep the list's filters
(``params``), so paging never loses a search, and work without JavaScript. Rendered by the
``core/_pagination.html`` include with the NHS.UK numbered pagination markup.

Query parameters are read through ``choice`` and ``search_term``: an unknown sort or filter falls back to the
default, so a parameter can only narrow or reorder what the person may already read, never widen it.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.http import urlencode

PAGE_SIZE = 25
SEARCH_MAX = 100  # characters of a search term: longer ones are cut, not refused


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis between page numbers
    href: str = ""
    current: bool = False


def choice(request: HttpRequest, name: str, allowed, default: str) -> str:
    """A query parameter that must be one of ``allowed`` (a list or a dict's keys); otherwise ``default``."""
    value = request.GET.get(name, "")
    return value if value in allowed else default


def search_term(request: HttpRequest, name: str = "q") -> str:
    return " ".join(request.GET.get(name, "").split())[:SEARCH_MAX]


def page_numbers(current: int, last: int) -> list[int | None]:
    """The page numbers to link: the first, the last, the current one and its neighbours; None for a gap.

    At most seven entries whatever the number of pages."""
    wanted = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    out: list[int | None] = []
    for n in wanted:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def paginate(
    request: HttpRequest,
    queryset,
    *,
    params: dict | None = None,
    per_page: int = PAGE_SIZE,
    page_param: str = "page",
    anchor: str = "",
    count: int | None = None,
) -> Page:
    """The requested page of ``queryset`` (the last page for ``?page=last``, the first for anything unreadable).

    The page carries what the include needs: ``query`` (the filters without the page number, for forms and
    sort links), ``previous_url``, ``next_url`` and ``links`` (numbered, bounded). ``count``: how many rows the
    queryset has, when the caller already knows (no second count).
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    wanted = request.GET.get(page_param)
    page = paginator.get_page(paginator.num_pages if wanted == "last" else wanted)
    kept = {k: v for k, v in (params or {}).items() if v not in ("", None)}
    page.query = urlencode(kept)
    suffix = f"#{anchor}" if anchor else ""

    def href(number: int) -> str:
        return "?" + urlencode({**kept, page_param: number}) + suffix

    page.previous_url = href(page.number - 1) if page.has_previous() else ""
    page.next_url = href(page.number + 1) if page.has_next() else ""
    page.links = [
        PageLink(n, href(n), n == page.number) if n else PageLink(None)
        for n in page_numbers(page.number, page.paginator.num_pages)
    ]
    return page


def page_of_position(position: int, per_page: int = PAGE_SIZE) -> int:
    """The page (from 1) on which the row at ``position`` (counted from 0) falls."""
    return position // per_page + 1
