"""sitemap.xml of the public site (django.contrib.sitemaps)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["public:index", "public:data", "public:accessibility", "public:personal_data"]

    def location(self, item):
        return reverse(item)


class OrganisationSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return list(
            selectors.organisations_with_public_arrangements().values_list("code", flat=True)
        )

    def location(self, code):
        return reverse("public:organisation", args=[code])


class ArrangementSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return list(selectors.sitemap_arrangements())

    def location(self, a):
        return reverse("public:arrangement", args=[selectors.arrangement_slug(a)])

    def lastmod(self, a):
        return a["updated_at"]


SITEMAPS = {
    "sidor": StaticSitemap,
    "organisationer": OrganisationSitemap,
    "samverkan": ArrangementSitemap,
}
