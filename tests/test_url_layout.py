"""URL prefixes are grouped by app: every app's URLs are included once by config/urls.py and every page of an
app lives under that app's own first path segment, so a new page's address is decided by its app and two apps
can never claim the same address. Old addresses are redirect-only modules (moved_urls.py)."""

from importlib.util import find_spec

from django.apps import apps as django_apps
from django.urls import URLPattern, URLResolver, get_resolver

from config import urls as root

# The first path segment of each app's pages. Core serves only the health check, home only the home page.
PREFIX = {
    "core": "health/",
    "home": "",
    "accounts": "accounts/",
    "programmes": "programmes/",
    "content": "model/",
    "cohorts": "cohorts/",
    "projects": "projects/",
    "measures": "measures/",
    "coaching": "coaching/",
    "evaluation": "evaluation/",
    "notifications": "notifications/",
    "api": "api/",
    "privacy": "privacy/",
    "network": "network/",
    "stories": "stories/",
    "library": "library/",
    "outcomes": "outcomes/",
    "msc": "significant-change/",
    "reports": "reports/",
    "admin": "admin/",
}
# The pages of an app outside its prefix, each declared here. The portfolio composes projects and measures (so
# its code sits in home, above them), but it is a page of one programme, beside the programme's other pages.
BESIDE = {"home:portfolio": "programmes/", "home:portfolio_csv": "programmes/"}
# The person's API tokens are pages of their profile (the api app's page_urls.py).
BESIDE |= {"api_pages:tokens": "accounts/profile/", "api_pages:token_revoke": "accounts/profile/"}
# So are the person's own data exports (the privacy app's page_urls.py).
BESIDE |= {"privacy_pages:data": "accounts/profile/", "privacy_pages:download": "accounts/profile/"}
# And asking for the account to be erased, confirming it from the emailed link, and cancelling it.
BESIDE |= {
    f"privacy_pages:{name}": "accounts/profile/"
    for name in ("erasure_ask", "erasure_confirm", "erasure_cancel")
}
# Crawlers look for these two at the site's root: the library's sitemap (its public pages) and robots.txt.
BESIDE |= {"library_root:sitemap": "sitemap.xml", "library_root:robots": "robots.txt"}
# Served at an old address rather than redirected: calendar apps poll a subscribed feed and some never follow a
# redirect (shiftpractice/cohorts/moved_urls.py).
STILL_SERVED = {"calendar/feed/<str:token>.ics"}


# The helpers whose views answer an old address with a permanent redirect, by the module that defines them.
REDIRECTS = {"shiftpractice.core.views": "moved_under.", "shiftpractice.measures.views.moved": "to."}


def is_redirect(pattern: URLPattern) -> bool:
    view = pattern.callback
    module, qualname = getattr(view, "__module__", ""), getattr(view, "__qualname__", "")
    return qualname.startswith(REDIRECTS.get(module, "\0"))


def pages(patterns, prefix=""):
    """(address pattern, view name) of every page, redirects left out."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from pages(entry.url_patterns, route)
        elif not is_redirect(entry):
            yield route, entry.name


def app_of(resolver: URLResolver) -> str:
    """The app an included URL module belongs to: shiftpractice.<app>.<module>, or the admin site."""
    module = getattr(resolver.urlconf_module, "__name__", "")
    return module.split(".")[1] if module.startswith("shiftpractice.") else resolver.app_name


def included():
    return [entry for entry in get_resolver().url_patterns if isinstance(entry, URLResolver)]


def test_every_app_is_included_once_and_has_a_prefix():
    modules = [
        getattr(e.urlconf_module, "__name__", e.app_name)
        for e in root.urlpatterns
        if isinstance(e, URLResolver)
    ]
    assert len(modules) == len(set(modules)), "a URL module is included more than once"
    apps = {m.split(".")[1] for m in modules if m.startswith("shiftpractice.") and m.endswith(".urls")}
    assert apps <= set(PREFIX), f"give {apps - set(PREFIX)} a prefix of its own"
    with_urls = {app.label for app in django_apps.get_app_configs() if find_spec(f"{app.name}.urls")}
    assert with_urls & set(PREFIX) <= apps | {"admin"}, "an app with URLs is not included"
    assert len(set(PREFIX.values())) == len(PREFIX), "two apps share a prefix"


def test_every_page_of_an_app_is_under_its_prefix():
    strays = []
    for entry in included():
        namespace = entry.app_name or entry.namespace
        for route, name in pages(entry.url_patterns, str(entry.pattern)):
            if namespace is None:  # a moved_urls module: redirects only, bar the feeds still served
                if route not in STILL_SERVED:
                    strays.append(f"{route} (not a redirect, in a module of old addresses)")
                continue
            full = f"{namespace}:{name}"
            want = BESIDE.get(full, PREFIX.get(app_of(entry)))
            if want is None:
                strays.append(f"{full} at /{route} (give the {app_of(entry)} app a prefix in PREFIX)")
                continue
            inside = route == "" if want == "" else route.startswith(want)
            if not inside:
                strays.append(f"{full} at /{route} (the {app_of(entry)} app's pages are under /{want})")
    assert not strays, "\n".join(strays)


def test_no_page_is_served_outside_an_app():
    loose = [str(e.pattern) for e in get_resolver().url_patterns if isinstance(e, URLPattern)]
    assert loose == []
