"""`sitemap.xml` with hreflang alternates, and `robots.txt` naming it.

Every web page is listed once: content pages, the overview pages (each page
of a paginated list) and the bilingual root. Each entry carries
`xhtml:link rel="alternate"` for itself, its counterpart and `x-default`,
the same set the page's `<head>` lists. Entries are sorted by address and
no build time is written, so two builds give the same bytes.
"""

import logging
import os
from xml.sax.saxutils import escape, quoteattr

from pelican import signals
from pelican.generators import Generator

logger = logging.getLogger(__name__)
LOG_PREFIX = "[sitemap]"

DEFAULTS = {"sitemap": "sitemap.xml", "robots": "robots.txt"}


def get_settings(settings):
    user = settings.get("SITEMAP", {}) or {}
    for key in sorted(set(user) - set(DEFAULTS)):
        logger.error("%s unknown key %r in the SITEMAP setting", LOG_PREFIX, key)
    return dict(DEFAULTS, **user)


def _alternates(versions, default_lang, html_langs, x_default):
    """`[(hreflang, url)]` for a page that exists in `versions` {lang: url}."""
    links = sorted((html_langs.get(lang, lang), url) for lang, url in versions.items())
    if len(versions) > 1:
        links.append(("x-default", x_default or versions.get(default_lang)))
    return links


def entries(context, settings):
    """`{url: [(hreflang, url)]}` for every web page of the site."""
    siteurl = settings["SITEURL"]
    default = settings.get("DEFAULT_LANG", "nl")
    html_langs = context.get("html_langs", {})
    found = {}
    for kinds in context.get("by_lang", {}).values():
        for item in (i for group in kinds.values() for i in group):
            if getattr(item, "status", "published") != "published":
                continue
            versions = {item.lang: f"{siteurl}/{item.url}"}
            versions.update({o.lang: f"{siteurl}/{o.url}" for o in item.translations})
            is_home = item.url in context.get("home_urls", {}).values()
            found[versions[item.lang]] = _alternates(
                versions, default, html_langs, f"{siteurl}/" if is_home else None
            )
    for listing in context.get("listings", {}).values():
        for number in range(1, listing.num_pages + 1):
            versions = {listing.lang: f"{siteurl}/{listing.page_url(number)}"}
            versions.update({o.lang: f"{siteurl}/{o.page_url(number)}" for o in listing.translations})
            found[versions[listing.lang]] = _alternates(versions, default, html_langs, None)
    homes = {code: f"{siteurl}/{url}" for code, url in context.get("home_urls", {}).items()}
    found[f"{siteurl}/"] = sorted((html_langs.get(c, c), u) for c, u in homes.items())
    return found


def render(found):
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for url in sorted(found):
        lines.append(f"  <url>\n    <loc>{escape(url)}</loc>")
        for hreflang, href in found[url]:
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(hreflang)} '
                f"href={quoteattr(href)}/>"
            )
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


class SitemapGenerator(Generator):
    """Writes the sitemap and robots.txt after every page is known."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        conf = get_settings(self.settings)
        found = entries(self.context, self.settings)
        with open(os.path.join(self.output_path, conf["sitemap"]), "w", encoding="utf-8") as out:
            out.write(render(found))
        with open(os.path.join(self.output_path, conf["robots"]), "w", encoding="utf-8") as out:
            out.write(f"User-agent: *\nAllow: /\n\nSitemap: {self.settings['SITEURL']}/{conf['sitemap']}\n")


def get_generators(pelican):
    return SitemapGenerator


def register():
    signals.get_generators.connect(get_generators)
