"""Security and privacy: a Content-Security-Policy on every page, nothing fetched
from another origin, no inline code the policy would block, outbound links
that neither leak the page nor hand over the tab."""

import json
import re
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import page, serve_folder

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

# Elements and attributes that make the browser fetch something.
RESOURCES = [
    ("link", "href"), ("script", "src"), ("img", "src"), ("img", "srcset"),
    ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"),
    ("audio", "src"), ("iframe", "src"), ("embed", "src"), ("object", "data"),
    ("track", "src"), ("input", "src"),
]
# <link> types that only name another address and fetch nothing.
NON_FETCHING_LINKS = {"alternate", "canonical", "prev", "next", "author", "license", "me"}


def parse_policy(content):
    directives = {}
    for part in content.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def csp_meta(soup):
    return soup.find("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})


def pages_with_soup(site):
    for file in site.html_pages():
        yield file.relative_to(site.output).as_posix(), site.soup(file.relative_to(site.output).as_posix())


def same_origin(url, siteurl):
    parts, site = urlsplit(url), urlsplit(siteurl)
    return (parts.scheme, parts.netloc) == (site.scheme, site.netloc)


def test_every_page_carries_the_policy(site):
    wrong = {
        name: csp_meta(soup) and parse_policy(csp_meta(soup)["content"])
        for name, soup in pages_with_soup(site)
        if not csp_meta(soup) or parse_policy(csp_meta(soup)["content"]) != POLICY
    }
    assert wrong == {}
    assert len(site.html_pages()) > 10


def test_policy_comes_before_anything_it_governs(site):
    # A <meta> policy only applies to what follows it in the document.
    late = []
    for name, soup in pages_with_soup(site):
        meta = csp_meta(soup)
        for earlier in meta.find_all_previous(["link", "script", "style", "img"]):
            late.append((name, earlier.name))
    assert late == []


def test_every_page_sets_a_referrer_policy(site):
    missing = [
        name for name, soup in pages_with_soup(site)
        if not soup.find("meta", attrs={"name": "referrer", "content": "same-origin"})
    ]
    assert missing == []


def test_no_inline_scripts_but_json_ld_data(site):
    inline = []
    for name, soup in pages_with_soup(site):
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.string)  # a data block must be valid data
            elif not script.get("src") or (script.string or "").strip():
                inline.append((name, str(script)[:80]))
    assert inline == []


def test_no_inline_styles_or_event_handlers(site):
    found = []
    for name, soup in pages_with_soup(site):
        found += [(name, "<style>") for _ in soup.find_all("style")]
        for tag in soup.find_all(True):
            found += [(name, tag.name, attr) for attr in tag.attrs
                      if attr == "style" or attr.lower().startswith("on")]
            found += [(name, tag.name, "javascript:") for attr in ("href", "src", "action")
                      if str(tag.get(attr, "")).strip().lower().startswith("javascript:")]
    assert found == []


def test_nothing_is_fetched_from_another_origin(site):
    foreign = []
    for name, soup in pages_with_soup(site):
        base = site.siteurl + "/" + name
        for element, attr in RESOURCES:
            for tag in soup.find_all(element):
                if element == "link" and set(tag.get("rel", [])) <= NON_FETCHING_LINKS:
                    continue
                value = tag.get(attr)
                if not value:
                    continue
                urls = [c.split()[0] for c in value.split(",")] if attr == "srcset" else [value]
                foreign += [(name, url) for url in urls
                            if not url.startswith("data:")
                            and not same_origin(urljoin(base, url), site.siteurl)]
    assert foreign == []


def test_stylesheets_import_nothing_from_another_origin(site):
    foreign = []
    for css in site.output.rglob("*.css"):
        text = css.read_text("utf-8")
        for url in re.findall(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", text):
            url = url[0] or url[1]
            if url.startswith(("http:", "https:", "//")):
                foreign.append((css.name, url))
    assert foreign == []


def test_every_link_to_another_site_is_marked(site):
    unmarked = [
        (name, a["href"])
        for name, soup in pages_with_soup(site)
        for a in soup.find_all("a", href=True)
        if a["href"].startswith(("http:", "https:", "//"))
        and not same_origin(urljoin(site.siteurl, a["href"]), site.siteurl)
        and not {"noopener", "noreferrer"} <= set(a.get("rel", []))
    ]
    assert unmarked == []


# --- The outbound_links plugin on a tiny site ----------------------------------

def built_links(fixture_site, body):
    site = fixture_site(
        {"pages/about.nl.md": page("Over", body, Single_language="true")},
        siteurl="https://example.github.io/portal",
    )
    soup = site.soup("nl/about/")
    return {a["href"]: a.get("rel", []) for a in soup.select("main a[href]")}


def test_links_to_other_sites_get_noopener_noreferrer(fixture_site):
    links = built_links(fixture_site, "See [the province](https://www.example.org/news).")
    assert links["https://www.example.org/news"] == ["noopener", "noreferrer"]


def test_links_within_the_site_stay_as_they_are(fixture_site):
    links = built_links(
        fixture_site,
        "[Home](https://example.github.io/portal/nl/) and [mail](mailto:info@example.org).",
    )
    assert links["https://example.github.io/portal/nl/"] == []
    assert links["mailto:info@example.org"] == []


def test_another_site_on_the_same_host_is_another_origin(fixture_site):
    links = built_links(fixture_site, "[Elsewhere](http://example.github.io/portal/)")
    assert links["http://example.github.io/portal/"] == ["noopener", "noreferrer"]


def test_an_existing_rel_is_kept(fixture_site):
    links = built_links(fixture_site, '<a href="https://www.example.org/" rel="nofollow">x</a>')
    assert links["https://www.example.org/"] == ["nofollow", "noopener", "noreferrer"]


def test_a_link_written_with_character_references_is_marked_too():
    from outbound_links import mark_outbound

    html = '<a href="https&#58;&#47;&#47;www.example.org/">x</a> <a href="/nl/">y</a>'
    marked = mark_outbound(html, "https://example.github.io/portal")
    assert marked == ('<a href="https&#58;&#47;&#47;www.example.org/" rel="noopener noreferrer">'
                      'x</a> <a href="/nl/">y</a>')


def test_unknown_outbound_links_setting_is_reported(fixture_site):
    site = fixture_site(
        {"pages/about.nl.md": page("Over", Single_language="true")},
        OUTBOUND_LINKS={"target": "_blank"},
    )
    assert site.error_records() == [
        ("outbound_links", "(settings)", "OUTBOUND_LINKS",
         "unknown key 'target' in the OUTBOUND_LINKS setting")]


# --- In a browser: the policy holds and nothing leaves the site ----------------

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class Watcher:
    """A browser tab that records CSP violations, requests to other origins
    and console errors of each page it visits."""

    def __init__(self, browser, origin):
        self.page = browser.new_page()
        self.page.add_init_script(WATCH_VIOLATIONS)
        self.offsite, self.console = [], []
        self.page.on("request", lambda request: self.offsite.append(request.url)
                     if not request.url.startswith((origin, "data:")) else None)
        self.page.on("console", lambda message: self.console.append(message.text)
                     if message.type == "error" else None)

    def visit(self, url):
        """Load `url`; return (CSP violations, other-origin requests, console errors)."""
        self.offsite.clear()
        self.console.clear()
        self.page.goto(url, wait_until="load")
        return self.page.evaluate("window.__violations"), list(self.offsite), list(self.console)


@pytest.mark.browser
def test_browser_reports_a_violation_when_there_is_one(browser, tmp_path):
    # The check below means something only if a broken page is noticed.
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">"
        '<title>t</title></head><body><p style="color:red">x</p>'
        "<script>document.title = 'ran';</script></body></html>"
    )
    server, base = serve_folder(tmp_path)
    try:
        violations, _, console = Watcher(browser, base).visit(base + "/")
    finally:
        server.shutdown()
    assert any(v.startswith("script-src") for v in violations)
    assert any("Content Security Policy" in text for text in console)


@pytest.mark.browser
def test_every_page_loads_without_violations_or_foreign_requests(browser, served_site):
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(served_site.siteurl))
    problems = {}
    watcher = Watcher(browser, origin)
    for file in served_site.html_pages():
        violations, offsite, console = watcher.visit(served_site.url_of(file))
        csp_console = [text for text in console if "Content Security Policy" in text]
        if violations or offsite or csp_console:
            problems[served_site.url_of(file)] = (violations, offsite, csp_console)
    assert problems == {}
