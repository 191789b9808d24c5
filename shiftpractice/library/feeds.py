"""The Atom feed of newly published library items, and the sitemap of the library's public pages. Both read only
published items (``selectors``), so a withdrawal leaves them at once."""

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import selectors
from .models import SITE_NAME


class NewItemsFeed(Feed):
    feed_type = Atom1Feed
    title = f"New in the {SITE_NAME} library"
    subtitle = "Training materials and case studies, as they are published."

    def link(self):
        return reverse("library:index")

    def items(self):
        return selectors.latest()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.attribution or None

    def item_categories(self, item):
        return [*item.lens_labels, *item.topics]

    def item_guid(self, item):
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False


class LibraryItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self):
        return selectors.published().only("slug", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class LibraryPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["library:index", "library:licences", "library:packs", "library:visuals"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": LibraryPagesSitemap, "items": LibraryItemSitemap}
