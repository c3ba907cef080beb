"""Links to other sites open without handing them our page.

Every `<a href>` in a content body that points at another origin (scheme, host
and port differ from SITEURL's) gets `rel="noopener noreferrer"`: the other
site cannot script our tab (`window.opener`) and is not told which of our
pages the visitor came from. Existing `rel` values are kept.

Setting: `OUTBOUND_LINKS = {"rel": ["noopener", "noreferrer"]}`.
"""

import html
import logging
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from pelican import signals
from pelican.contents import Article, Page
from portal.settings import plugin_settings
from portal import compat

logger = logging.getLogger(__name__)
LOG_PREFIX = "[outbound_links]"

DEFAULTS = {"rel": ["noopener", "noreferrer"]}

# An <a> start tag; quoted attribute values may contain ">".
A_TAG = re.compile(r"""<a\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
REL_ATTR = re.compile(r"""\srel\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)


get_settings = plugin_settings("OUTBOUND_LINKS", DEFAULTS, "outbound_links")


class _Attributes(HTMLParser):
    """Reads the attributes of one start tag, as a browser would."""

    def __init__(self, tag):
        super().__init__(convert_charrefs=True)
        self.attrs = {}
        self.feed(tag)
        self.close()

    def handle_starttag(self, name, attrs):
        self.attrs = {key.lower(): value or "" for key, value in attrs}


def origin(url):
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:  # not a port number: not our site either
        port = -1
    port = port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def is_other_origin(href, siteurl):
    """True for an http(s) or protocol-relative link that leaves the site."""
    href = href.strip()
    if href.startswith("//"):
        href = (urlsplit(siteurl).scheme or "https") + ":" + href
    parts = urlsplit(href)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return False
    return origin(href) != origin(siteurl)


def mark_outbound(fragment, siteurl, rel=DEFAULTS["rel"]):
    """`fragment` with `rel` added to every <a> that leads to another origin."""

    def rewrite(match):
        tag = match.group(0)
        if "//" not in tag and "&" not in tag:
            return tag  # no address with a host, not even one written with entities
        attrs = _Attributes(tag).attrs
        if not is_other_origin(attrs.get("href", ""), siteurl):
            return tag
        tokens = attrs.get("rel", "").split()
        tokens += [token for token in rel if token.lower() not in map(str.lower, tokens)]
        value = ' rel="%s"' % html.escape(" ".join(tokens))
        if "rel" in attrs:
            return REL_ATTR.sub(lambda _: value, tag, count=1)
        end = -2 if tag.endswith("/>") else -1
        return tag[:end].rstrip() + value + tag[end:]

    return A_TAG.sub(rewrite, fragment)


def mark_content(content):
    if not isinstance(content, (Article, Page)) or not compat.body(content):
        return
    rel = get_settings(content.settings)["rel"]
    compat.set_body(content, mark_outbound(compat.body(content), content.settings["SITEURL"], rel))


def register():
    signals.content_object_init.connect(mark_content)
