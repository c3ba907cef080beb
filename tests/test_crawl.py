"""The site built for a sub-path and served there, crawled from its root like a
visitor would: every link, anchor, stylesheet, script, image and feed it
points at must answer, and every page must be reachable."""

import re
import urllib.error
import urllib.request
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import serve_folder

# (element, attribute) pairs that name another address, whatever their rel.
REFERENCES = [
    ("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
    ("img", "srcset"), ("source", "src"), ("source", "srcset"), ("video", "src"),
    ("video", "poster"), ("audio", "src"), ("track", "src"), ("iframe", "src"),
    ("form", "action"), ("object", "data"), ("embed", "src"),
]
XML_TYPES = ("application/atom+xml", "application/rss+xml", "application/xml", "text/xml")


def references(soup):
    for element, attr in REFERENCES:
        for tag in soup.find_all(element):
            value = (tag.get(attr) or "").strip()
            if attr == "srcset":
                yield from (part.split()[0] for part in value.split(",") if part.strip())
            elif value:
                yield value


def xml_references(text):
    """Addresses inside a feed or sitemap: its stylesheet, <link href>,
    <link>..</link>, enclosures, sitemap <loc> and alternates."""
    for match in re.finditer(r"<\?xml-stylesheet\b[^>]*\bhref=[\"']([^\"']+)", text):
        yield match.group(1)
    soup = BeautifulSoup(text, "xml")
    for tag in soup.find_all(["link", "enclosure", "content", "icon", "logo", "url", "loc"]):
        if tag.get("href") or tag.get("url") or tag.get("src"):
            yield tag.get("href") or tag.get("url") or tag.get("src")
        elif tag.string and tag.name in ("link", "icon", "logo", "url", "loc"):
            yield tag.string.strip()


def css_references(text):
    for match in re.finditer(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", text):
        value = match.group(1) or match.group(2)
        if not value.startswith(("data:", "#")):
            yield value


def fetch(url):
    """(status, content type, body) of `url`."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


class Crawl:
    def __init__(self, base):
        self.base = base.rstrip("/") + "/"
        self.broken = []  # (referring page, address, what is wrong)
        self.pages = {}  # address -> parsed page, for every HTML page reached
        self.seen = set()

    def inside(self, url):
        parts, base = urlsplit(url), urlsplit(self.base)
        return (parts.scheme, parts.netloc) == (base.scheme, base.netloc)

    def run(self, *starts):
        queue = deque((start, "(start)") for start in starts)
        anchors = []
        while queue:
            url, referrer = queue.popleft()
            address, fragment = urldefrag(url)
            if fragment:
                anchors.append((referrer, address, fragment))
            if address in self.seen:
                continue
            self.seen.add(address)
            if not address.startswith(self.base):
                self.broken.append((referrer, url, "outside the site's sub-path"))
                continue
            status, kind, body = fetch(address)
            if status != 200:
                self.broken.append((referrer, url, f"HTTP {status}"))
                continue
            text = body.decode("utf-8", "replace")
            if kind == "text/html":
                soup = self.pages[address] = BeautifulSoup(text, "html.parser")
                found = references(soup)
            elif kind in XML_TYPES or address.endswith((".xml", ".atom", ".rss")):
                found = xml_references(text)
            elif kind == "text/css":
                found = css_references(text)
            else:
                found = ()
            for value in found:
                if value.startswith(("mailto:", "tel:", "data:", "javascript:")):
                    continue
                target = urljoin(address, value)
                if self.inside(target):
                    queue.append((target, address))
        for referrer, address, fragment in anchors:
            page = self.pages.get(address)
            if page is not None and not page.find(id=fragment) and not page.find(attrs={"name": fragment}):
                self.broken.append((referrer, f"{address}#{fragment}", "no such anchor"))
        return self


@pytest.fixture(scope="module")
def crawl(served_site):
    # Not-found pages are reached by mistyped addresses, and the sitemap by
    # search engines, not by links: start there too.
    starts = sorted(served_site.output.rglob("404.html")) + sorted(
        served_site.output.glob("sitemap*.xml")
    )
    return Crawl(served_site.siteurl).run(
        served_site.siteurl + "/", *(served_site.url_of(file) for file in starts)
    )


def test_nothing_the_pages_point_at_is_broken(crawl):
    assert crawl.broken == []


def test_every_page_is_reachable_from_the_root(crawl, served_site):
    reached = {served_site.path(url) for url in crawl.pages}
    unreached = [
        file.relative_to(served_site.output).as_posix()
        for file in served_site.html_pages()
        if file not in reached
    ]
    assert unreached == []


def test_the_crawl_follows_stylesheets_and_both_languages(crawl, served_site):
    # Guards the crawler itself: it must reach beyond the root page.
    seen = {url[len(served_site.siteurl):] for url in crawl.seen}
    assert {"/", "/nl/", "/en/", "/theme/css/site.css"} <= seen


def test_the_crawler_reports_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="missing.html">x</a> <a href="#nowhere">y</a> <a href="/elsewhere">z</a>'
        ' <link rel="alternate" type="application/rss+xml" href="feed.xml">'
    )
    (tmp_path / "feed.xml").write_text(
        '<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="feed.xsl"?>'
        "<rss><channel><item><link>gone.html</link></item></channel></rss>"
    )
    server, base = serve_folder(tmp_path, "/portal")
    try:
        broken = Crawl(base).run(base + "/").broken
    finally:
        server.shutdown()
    problems = sorted((url.rsplit("/", 1)[-1], problem) for _, url, problem in broken)
    assert problems == [
        ("#nowhere", "no such anchor"),
        ("elsewhere", "outside the site's sub-path"),
        ("feed.xsl", "HTTP 404"),
        ("gone.html", "HTTP 404"),
        ("missing.html", "HTTP 404"),
    ]
