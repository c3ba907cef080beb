"""The newsletter as feeds: per language an RSS 2.0 and an Atom feed of the
news, and per focus domain and language an RSS feed.

- Items carry their full HTML content with absolute URLs, the permalink as
  `<guid isPermaLink="true">` (mailing tools send an item again when its guid
  changes), the date in the site's time zone, the partners as author and the
  focus domains as categories.
- The channel says its language, links itself (`atom:link rel="self"`) and
  takes the newest item's date as `lastBuildDate`, so two builds of the same
  content give the same bytes.
- Each feed names a localized XSLT stylesheet, so a browser that still
  supports XSLT shows it as a readable page in the site's look.

A rebuild writes a feed again only when what it is made from changed (a
digest per feed in `<CACHE_PATH>/feeds.pickle`) or its file is gone.

Templates reach the feeds through `feeds` in their context:
`feeds.of_language(lang)` and `feeds.of_page(page)`. Feed titles come from the
macros in `partials/feed_labels.html`, shared with the subscribe page.
"""

import datetime
import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urljoin

from feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from . import editions
from portal.settings import plugin_settings
from portal import compat
from portal.cache import Store, fingerprint, link_previous, link_stamp

logger = logging.getLogger(__name__)
LOG_PREFIX = "[feeds]"

DEFAULTS = {
    # File names of the feeds, next to the page each feed belongs to.
    "rss": "rss.xml",
    "atom": "atom.xml",
    # Content folders: the news that feeds carry, the domains that get a feed.
    "news_kind": "news",
    "domain_kind": "domains",
    # A feed carries the newest this many items (None: all). Readers and
    # feed-to-mail tools only look at the newest; a feed of every item ever
    # grows by megabytes and takes longer to fetch each time.
    "max_items": 50,
    # The XSLT stylesheet per language, written next to the language's home
    # (`nl/feed.xsl`) from the theme template `feed.xsl`; "" for none.
    "stylesheet": "feed.xsl",
    # The macros that give a feed its title and description.
    "labels": "partials/feed_labels.html",
    # Newsletter editions, exported as e-mail (editions.py).
    "editions": {
        # Content folder of the editions.
        "kind": "editions",
        # File names next to the edition's web page.
        "html": "email.html",
        "text": "email.txt",
        # Theme templates of the two versions.
        "html_template": "edition_email.html",
        "text_template": "edition_email.txt",
        # Gmail clips messages over 102 KB; keep the HTML below it.
        "max_bytes": 102 * 1024,
    },
}

# One date per month, for the month names in the feed stylesheet.
MONTHS = [datetime.date(2000, month, 1) for month in range(1, 13)]
MIME_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


# FEEDS merged over DEFAULTS, and its `editions` part over theirs.
get_settings = plugin_settings("FEEDS", DEFAULTS, "feeds", nested=("editions",))


LINK_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
ABSOLUTE = ("http://", "https://", "mailto:", "tel:", "data:")


def absolute_html(html, base):
    """`html` with every relative href and src made absolute against `base`
    (Markdown writes attribute values in double quotes)."""

    def fix(match):
        value = match.group(2)
        if value.startswith(ABSOLUTE):
            return match.group(0)
        return match.group(1) + urljoin(base, unescape(value)).replace("&", "&amp;") + match.group(3)

    return LINK_ATTRIBUTE.sub(fix, html)


class _NewestItemDate:
    """lastBuildDate/updated is the newest item's date; an empty feed takes
    the `fallback_date` given to the feed, or the Unix epoch when the
    language has no news at all (never the clock: builds stay reproducible)."""

    EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

    def latest_post_date(self):
        dates = [item["pubdate"] for item in self.items if item.get("pubdate")]
        return max(dates) if dates else (self.feed["fallback_date"] or self.EPOCH)


class RssFeed(_NewestItemDate, Rss201rev2Feed):
    pass


class AtomFeed(_NewestItemDate, Atom1Feed):
    """Atom with the stylesheet processing instruction that feedgenerator
    writes for RSS only."""

    add_stylesheets = Rss201rev2Feed.add_stylesheets

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


@dataclass
class Feed:
    """One feed file: its kind (`news` or `domain`), format, language, the
    page it belongs to (the news list or a domain page) and its items."""

    kind: str
    format: str
    lang: str
    save_as: str
    page: object
    items: list = field(default_factory=list)

    @property
    def url(self):
        return self.save_as

    @property
    def mime_type(self):
        return MIME_TYPES[self.format]

    @property
    def name(self):
        """The domain's title for a domain feed, else ""."""
        return self.page.title if self.kind == "domain" else ""


class FeedIndex:
    """Every feed of the site, worked out on first use (after the bilingual
    plugin has indexed the content)."""

    def __init__(self, context, settings):
        self.context = context
        self.conf = get_settings(settings)
        self._feeds = None

    @property
    def all(self):
        if self._feeds is None:
            self._feeds = self._collect()
        return self._feeds

    def _newest(self, items):
        """The first `max_items` of `items` (the bilingual plugin lists news
        newest first, the order the feed keeps)."""
        limit = self.conf["max_items"]
        return items if limit is None else items[:limit]

    def _collect(self):
        conf = self.conf
        by_lang = self.context.get("by_lang", {})
        listings = self.context.get("listings", {})
        feeds = []
        for lang in self.context.get("languages", []):
            kinds = by_lang.get(lang, {})
            news = kinds.get(conf["news_kind"], [])
            listing = listings.get((conf["news_kind"], lang))
            if listing is not None:
                for fmt in ("rss", "atom"):
                    feeds.append(
                        Feed("news", fmt, lang, listing.url + conf[fmt], listing,
                             self._newest(news))
                    )
            for domain in kinds.get(conf["domain_kind"], []):
                items = [n for n in news if domain in getattr(n, "domain_items", [])]
                feeds.append(
                    Feed("domain", "rss", lang, domain.url + conf["rss"], domain,
                         self._newest(items))
                )
        return feeds

    def of_language(self, lang):
        return [feed for feed in self.all if feed.lang == lang]

    def of_page(self, page):
        """The feeds to advertise on `page`: its language's news feeds on
        every page, and a domain's feed on that domain's page."""
        lang = getattr(page, "lang", None)
        url = getattr(page, "url", None)
        return [
            feed
            for feed in self.of_language(lang)
            if feed.kind == "news" or feed.page.url == url
        ]

    def stylesheet_url(self, lang):
        name = self.conf["stylesheet"]
        return f"{lang}/{name}" if name else ""


def plain(label):
    """A label rendered by a template macro as plain text (feedgenerator
    escapes it once more)."""
    return Markup(label).unescape().strip()


def _item_author(item, settings):
    partners = getattr(item, "partner_items", [])
    return ", ".join(p.title for p in partners) or settings.get("AUTHOR", "")


def build_feed(feed, index, labels, settings):
    """The feedgenerator object of one Feed."""
    siteurl = settings["SITEURL"]
    cls = RssFeed if feed.format == "rss" else AtomFeed
    stylesheet = index.stylesheet_url(feed.lang)
    newest_news = [i.date for i in index.context["by_lang"][feed.lang].get(
        index.conf["news_kind"], [])]
    generated = cls(
        title=plain(labels.title(feed)),
        link=f"{siteurl}/{feed.page.url}",
        description=plain(labels.description(feed)),
        language=index.context["html_langs"].get(feed.lang, feed.lang),
        feed_url=f"{siteurl}/{feed.save_as}",
        feed_guid=f"{siteurl}/{feed.save_as}",
        stylesheets=[f"{siteurl}/{stylesheet}"] if stylesheet else None,
        fallback_date=max(newest_news) if newest_news else None,
    )
    for item in feed.items:
        link = f"{siteurl}/{item.url}"
        content = absolute_html(item.get_content(siteurl), link)
        common = dict(
            title=item.title,
            link=link,
            author_name=_item_author(item, settings),
            pubdate=item.date,
            unique_id=link,
            categories=[d.title for d in getattr(item, "domain_items", [])],
        )
        lead = getattr(item, "lead_image", None)  # plugins/images
        if lead:
            image = lead["enclosure"]
            common["enclosures"] = [Enclosure(image["url"], str(image["length"]), image["type"])]
        if feed.format == "rss":
            generated.add_item(description=content, unique_id_is_permalink=True, **common)
        else:
            summary = getattr(item, "summary", "") or ""
            generated.add_item(description=summary, content=content, **common)
    return generated


FEED_KEYS = "feeds.pickle"  # {feed file: digest of its inputs} of the last build


def site_key(context, settings):
    """What, besides its own items, can change any feed: this code, the
    libraries, the plain settings (address, time zone, ...) and the address of
    every item and file that an item's links may point to."""
    import feedgenerator
    import pelican

    digest = hashlib.sha256(fingerprint(settings).encode())
    # Where the site is written is not part of it (tools/build.py writes
    # into a new temporary folder every time).
    plain_settings = sorted((k, v) for k, v in settings.items()
                            if k.isupper() and k != "OUTPUT_PATH"
                            and isinstance(v, (str, int, float, bool, type(None))))
    digest.update(repr((pelican.__version__, getattr(feedgenerator, "__version__", ""),
                        plain_settings, settings.get("FEEDS"))).encode())
    digest.update(compat.link_targets_digest(context, settings.get("SITEURL", "")).encode())
    return digest.hexdigest()


def feed_key(feed, index, labels, settings, site):
    """A digest of everything `build_feed` makes the feed from."""
    digest = hashlib.sha256(site.encode())
    newest = [i.date for i in index.context["by_lang"][feed.lang].get(
        index.conf["news_kind"], [])]
    digest.update(repr((feed.kind, feed.format, feed.lang, feed.save_as, feed.page.url,
                        str(labels.title(feed)), str(labels.description(feed)),
                        index.stylesheet_url(feed.lang),
                        max(newest).isoformat() if newest else None)).encode())
    for item in feed.items:
        digest.update(repr((
            item.url, item.title, item.date.isoformat(), _item_author(item, settings),
            [d.title for d in getattr(item, "domain_items", [])], item.metadata.get("summary"),
            (getattr(item, "lead_image", None) or {}).get("enclosure"),
        )).encode())
        text = compat.body(item) or ""
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


class FeedsGenerator(Generator):
    """Writes the feeds, their stylesheets and the e-mail exports of editions."""

    def generate_context(self):
        self.index = FeedIndex(self.context, self.settings)
        self.context["feeds"] = self.index

    def _labels(self, lang):
        template = self.env.get_template(self.index.conf["labels"])
        return template.make_module(dict(self.context, lang=lang))

    def generate_output(self, writer):
        if self.index.conf["stylesheet"]:
            template = self.env.get_template(self.index.conf["stylesheet"])
            for lang in self.context.get("languages", []):
                self.write_text(
                    self.index.stylesheet_url(lang),
                    template.render(dict(self.context, lang=lang, month_dates=MONTHS)),
                )
        store = Store(self.settings, FEED_KEYS)
        before = store.load("feeds") or {}
        site = site_key(self.context, self.settings)
        keys = {}
        for feed in self.index.all:
            labels = self._labels(feed.lang)
            key = feed_key(feed, self.index, labels, self.settings, site)
            path = os.path.join(self.output_path, feed.save_as)
            recorded = before.get(feed.save_as)
            if isinstance(recorded, list) and recorded[0] == key and (
                    os.path.exists(path) or link_previous(self.settings, self.output_path,
                                                          feed.save_as, recorded[1])):
                keys[feed.save_as] = recorded
                continue  # made from these very inputs by an earlier build
            generated = build_feed(feed, self.index, labels, self.settings)
            self.write_text(feed.save_as, generated.writeString("utf-8"))
            keys[feed.save_as] = [key, link_stamp(path)]
            logger.debug("%s wrote %s (%d items)", LOG_PREFIX, feed.save_as, len(feed.items))
        if keys != before:
            store.save("feeds", keys)
        editions.write_exports(self, self.index.conf["editions"])

    def write_text(self, save_as, text):
        """Write `text` to `save_as` under the output folder (LF line ends)."""
        path = os.path.join(self.output_path, save_as)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)


def get_generators(pelican):
    return FeedsGenerator


def register():
    signals.get_generators.connect(get_generators)
