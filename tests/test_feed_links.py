"""Feed links people click lead to the subscribe page, not to the feed files.

Browsers are dropping XSLT, so a feed file opened in a browser shows raw XML.
Every link a reader can click for a feed goes to the subscribe page in the
page's language, at that feed's section, where the address is in a field to
copy. Feed readers still find the feed files through <link rel="alternate">.

The browser tests run Chromium with XSLT switched off, as browsers ship it
from now on.
"""

import re

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS, page, require
from key_pages import KEY_PAGES, key_page_ids
from test_accessibility import AXE, AXE_TAGS

FORMATS = {"RSS": "application/rss+xml", "Atom": "application/atom+xml"}
FEED_TYPES = set(FORMATS.values())
SUBSCRIBE = {"nl": "nl/volg-ons/", "en": "en/subscribe/"}

# The key pages, and the newsletter pages that link to the feeds too.
PAGES = KEY_PAGES + [
    ("editions", "nl", "/nl/nieuwsbrief/"),
    ("editions", "en", "/en/newsletter/"),
    ("edition", "nl", "/nl/nieuwsbrief/maart-2026/"),
    ("edition", "en", "/en/newsletter/march-2026/"),
]
PAGE_IDS = key_page_ids() + [f"{name}-{lang}" for name, lang, _ in PAGES[len(KEY_PAGES):]]

# A link is about a feed when it points at a feed file, names one, or goes
# to a section of the subscribe page (its plain link in the footer is a link
# to a page like any other, and on that page the skip link goes to #main).
FEED_WORDS = re.compile(r"\b(rss|atom)\b|feed", re.I)


def head_feeds(soup):
    """{address: type} of the feeds a page advertises in its head."""
    return {
        link["href"]: link["type"]
        for link in soup.head.find_all("link", rel="alternate")
        if link.get("type") in FEED_TYPES
    }


def site_feeds(site):
    """{address: type} of every feed advertised on any page."""
    found = {}
    for file in site.html_pages():
        found.update(head_feeds(site.soup(file.relative_to(site.output).as_posix())))
    return found


# --- The built pages ----------------------------------------------------------


def test_no_link_on_any_page_opens_a_feed_file(site):
    feeds = set(site_feeds(site))
    assert len(feeds) == 10  # per language: news in RSS and Atom, three domains in RSS
    wrong = []
    for file in site.html_pages():
        for a in site.soup(file.relative_to(site.output).as_posix()).find_all("a", href=True):
            if a["href"] in feeds or a["href"].split("#")[0].endswith(".xml"):
                wrong.append((file.relative_to(site.output).as_posix(), a["href"]))
    assert wrong == []


def test_every_feed_file_is_still_advertised_in_a_head(site):
    written = {site.url_of(f) for f in site.output.rglob("*.xml") if f.name in ("rss.xml", "atom.xml")}
    assert written and set(site_feeds(site)) == written


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_subscribe_page_has_each_feeds_address_in_a_read_only_field(site, lang):
    soup = site.soup(SUBSCRIBE[lang])
    feeds = {url for url in site_feeds(site) if url.startswith(f"{site.siteurl}/{lang}/")}
    fields = {field.get_text(): field for field in soup.find("main").find_all("textarea")
              if not field.find_parent(class_="calendar-links")}
    assert set(fields) == feeds
    for url, field in fields.items():
        assert field.has_attr("readonly")
        # Named by a label; the block around it is where links point to.
        assert soup.find("label", attrs={"for": field["id"]}).get_text(strip=True)
        block = field.find_parent(id=True)
        assert block["id"].startswith("feed-")
        # The Copy button is only shown by the script: without it, the field does.
        button = block.find("button")
        assert button.has_attr("hidden") and button["type"] == "button"
        assert button["data-copies"] == field["id"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_subscribe_page_asks_nothing_of_other_sites(site, lang):
    soup = site.soup(SUBSCRIBE[lang])
    elsewhere = [a["href"] for a in soup.find("main").find_all("a", href=True)
                 if not a["href"].startswith((site.siteurl + "/", "#"))]
    assert elsewhere == []
    # The copy script is a file of ours (the Content-Security-Policy blocks inline ones).
    scripts = [(s.get("src"), s.get("type")) for s in soup.find_all("script")
               if s.get("type") != "application/ld+json"]
    assert scripts == [(f"{site.siteurl}/theme/js/subscribe.js", "module")]
    assert site.path(scripts[0][0]).is_file()


def test_a_site_without_a_subscribe_page_shows_no_feed_links(fixture_site):
    built = fixture_site({
        "news/item.nl.md": page("Bericht", Date="2026-03-18"),
        "news/item.en.md": page("Item", Date="2026-03-18"),
    })
    assert built.errors() == []
    soup = built.soup("nl/nieuws/")
    assert not soup.find("a", href=re.compile(r"\.xml$|#feed-"))
    assert set(head_feeds(soup)) == {"http://example.test/nl/nieuws/rss.xml",
                                     "http://example.test/nl/nieuws/atom.xml"}


# --- In a browser without XSLT ------------------------------------------------


@pytest.fixture(scope="module")
def axe(browser):
    require(AXE.exists(), f"axe-core is not installed at {AXE} (run `npm ci`)")
    return AXE.read_text("utf-8")


@pytest.fixture(scope="module")
def no_xslt(browser):
    """Chromium with XSLT switched off (Chromium's feature `XSLT`), started
    by the same Playwright as `browser`."""
    started = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS + ["--disable-features=XSLT"]
    )
    yield started
    started.close()


@pytest.mark.browser
def test_the_test_browser_does_not_draw_feeds(no_xslt, served_site):
    # The premise of the tests below: opened directly, a feed is no web page.
    tab = no_xslt.new_page()
    tab.goto(f"{served_site.siteurl}/nl/nieuws/rss.xml")
    assert tab.evaluate("document.contentType") != "text/html"
    assert tab.locator("a.site-header__name").count() == 0
    tab.close()


def feed_links(tab, siteurl):
    """(index, href, text) of the links on the page that are about a feed."""
    links = tab.eval_on_selector_all(
        "a[href]", "links => links.map(a => [a.href, a.textContent.trim()])"
    )
    subscribe = tuple(f"{siteurl}/{path}" for path in SUBSCRIBE.values())
    return [
        (index, href, text)
        for index, (href, text) in enumerate(links)
        if href.split("#")[0].endswith(".xml")
        or FEED_WORDS.search(text)
        or (href.startswith(subscribe) and "#" in href and not href.endswith("#main"))
    ]


@pytest.fixture(scope="module")
def checked_landings():
    """Landing places already checked with axe (several pages link each)."""
    return set()


@pytest.mark.browser
@pytest.mark.parametrize("name, lang, path", PAGES, ids=PAGE_IDS)
def test_every_feed_link_lands_on_the_feeds_address_in_the_pages_language(
    no_xslt, served_site, axe, checked_landings, name, lang, path
):
    siteurl = served_site.siteurl
    head = head_feeds(served_site.soup(path))
    tab = no_xslt.new_page(viewport={"width": 1280, "height": 800})
    tab.goto(siteurl + path)
    links = feed_links(tab, siteurl)
    # Root pages (language chooser, bilingual 404) advertise and link no feed.
    assert bool(links) == bool(head), links
    reached = set()
    for index, href, text in links:
        assert not href.split("#")[0].endswith(".xml"), (text, href)
        tab.goto(siteurl + path)
        tab.locator("a[href]").nth(index).click()
        tab.wait_for_url(href)
        tab.wait_for_load_state("load")
        assert tab.evaluate("document.contentType") == "text/html", href
        assert tab.evaluate("document.documentElement.lang") == lang, href
        fragment = href.split("#", 1)[1]
        target = tab.locator(f"[id='{fragment}']")
        assert target.is_visible(), href
        # Scrolled to the place, so the reader sees it without searching.
        top = target.evaluate("el => el.getBoundingClientRect().top")
        assert 0 <= top < 800, (href, top)
        addresses = target.locator("textarea").evaluate_all("fields => fields.map(f => f.value)")
        assert addresses, href
        # The addresses named there are feeds of the page the link was on,
        # in the format the link names, if it names one.
        assert set(addresses) <= set(head), (href, addresses)
        named = {mime for fmt, mime in FORMATS.items() if re.search(rf"\b{fmt}\b", text)}
        if len(named) == 1:
            assert {head[a] for a in addresses} == named, (text, addresses)
        reached |= set(addresses)
        if href not in checked_landings:
            checked_landings.add(href)
            tab.evaluate(axe)
            result = tab.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
            )
            assert [(v["id"], v["help"]) for v in result["violations"]] == [], href
    # Every feed the page advertises to feed readers, a person can reach too.
    assert reached == set(head)
    tab.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_copy_button_puts_the_address_on_the_clipboard(no_xslt, served_site, lang):
    context = no_xslt.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_site.siteurl)
    tab = context.new_page()
    tab.goto(f"{served_site.siteurl}/{SUBSCRIBE[lang]}")
    block = tab.locator(".subscribe-address[id^=feed-]").last
    address = block.locator("textarea").input_value()
    block.locator("button").click()
    status = block.locator("[role=status]")
    status.wait_for(state="visible")
    assert tab.evaluate("navigator.clipboard.readText()") == address
    expected = {"nl": "Adres gekopieerd. Plak het in je feedlezer.",
                "en": "Address copied. Paste it into your feed reader."}[lang]
    assert status.inner_text() == expected
    context.close()


@pytest.mark.browser
def test_without_javascript_the_address_is_there_and_no_dead_button(no_xslt, served_site):
    context = no_xslt.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{served_site.siteurl}/en/subscribe/#feed-news-rss")
    block = tab.locator("#feed-news-rss")
    assert block.locator("textarea").is_visible()
    assert block.locator("textarea").input_value() == f"{served_site.siteurl}/en/news/rss.xml"
    assert not block.locator("button").is_visible()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
def test_every_address_shows_whole(no_xslt, served_site, width):
    tab = no_xslt.new_page(viewport={"width": width, "height": 800})
    tab.goto(f"{served_site.siteurl}/nl/volg-ons/")
    cut = tab.eval_on_selector_all(
        "textarea",
        "fields => fields.filter(f => f.scrollHeight > f.clientHeight || f.scrollWidth > f.clientWidth)"
        ".map(f => f.value)",
    )
    assert cut == []
    tab.close()
