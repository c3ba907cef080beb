"""The newsletter feeds: what RSS readers and feed-to-mail tools rely on."""

import datetime
import email.utils
import re
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import feedparser
import pytest
from lxml import etree

from conftest import ROOT, page

LANGS = ["nl", "en"]
BRUSSELS = ZoneInfo("Europe/Brussels")
FEED_TYPES = {"application/rss+xml", "application/atom+xml"}


def advertised(site, file):
    """(type, href) of the feed autodiscovery links in a page's head."""
    head = site.soup(file.relative_to(site.output).as_posix()).head
    return [
        (link["type"], link["href"])
        for link in head.find_all("link", rel="alternate")
        if link.get("type") in FEED_TYPES
    ]


def all_feeds(site):
    """Every feed URL advertised anywhere on the site, by language."""
    found = {lang: set() for lang in LANGS}
    for file in site.html_pages():
        for _, href in advertised(site, file):
            lang = href[len(site.siteurl) + 1:].split("/", 1)[0]
            found[lang].add(href)
    return found


def parsed(site, url):
    return feedparser.parse(site.path(url).read_bytes())


def xml(site, url):
    return etree.parse(str(site.path(url)))


def news_urls(site, lang):
    """The news item pages a language has, read from the source files and the
    output: every built page under the language's news list."""
    news_list = site.soup(f"{lang}/").find("a", href=re.compile(r"/(nieuws|news)/$"))["href"]
    folder = site.path(news_list).parent
    return {
        site.url_of(index)
        for index in folder.glob("*/index.html")
        if not index.parent.name.isdigit()
    }


def language_feed(lang, fmt="rss"):
    section = {"nl": "nieuws", "en": "news"}[lang]
    return f"{lang}/{section}/{'rss' if fmt == 'rss' else 'atom'}.xml"


@pytest.mark.parametrize("lang", LANGS)
def test_five_feeds_per_language_all_well_formed(site, lang):
    # The news in RSS and Atom, and one RSS feed per focus domain.
    feeds = all_feeds(site)[lang]
    assert len(feeds) == 2 + len(list((ROOT / "content" / "domains").glob(f"*.{lang}.md"))) == 5
    for url in sorted(feeds):
        result = parsed(site, url)
        assert not result.bozo, (url, result.get("bozo_exception"))
        assert result.entries, url


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_language_feed_holds_exactly_that_languages_news(site, lang, fmt):
    result = parsed(site, language_feed(lang, fmt))
    links = {entry.link for entry in result.entries}
    assert links == news_urls(site, lang)
    assert len(result.entries) == len(list((ROOT / "content" / "news").glob(f"*.{lang}.md")))


@pytest.mark.parametrize("lang", LANGS)
def test_every_item_links_into_its_own_language(site, lang):
    for url in sorted(all_feeds(site)[lang]):
        for entry in parsed(site, url).entries:
            assert entry.link.startswith(f"{site.siteurl}/{lang}/"), (url, entry.link)
            assert site.path(entry.link).is_file(), entry.link


@pytest.mark.parametrize("lang", LANGS)
def test_guid_is_the_permalink(site, lang):
    tree = xml(site, language_feed(lang))
    for item in tree.iter("item"):
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "true"
        assert guid.text == item.findtext("link")


@pytest.mark.parametrize("lang", LANGS)
def test_pub_date_is_rfc822_in_brussels_time_and_matches_the_page(site, lang):
    for item in xml(site, language_feed(lang)).iter("item"):
        published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
        assert published.utcoffset() == published.astimezone(BRUSSELS).utcoffset()
        shown = site.soup(item.findtext("link")).find("time")["datetime"]
        assert published.date().isoformat() == shown


@pytest.mark.parametrize("lang", LANGS)
def test_channel_language_self_link_and_last_build_date(site, lang):
    url = language_feed(lang)
    channel = xml(site, url).find("channel")
    assert channel.findtext("language") == lang
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == f"{site.siteurl}/{url}"
    dates = [
        email.utils.parsedate_to_datetime(i.findtext("pubDate")) for i in channel.iter("item")
    ]
    assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate")) == max(dates)


@pytest.mark.parametrize("lang", LANGS)
def test_items_have_an_author_and_full_content_with_absolute_links(site, lang):
    for entry in parsed(site, language_feed(lang)).entries:
        assert entry.get("author")
        body = entry.description
        page_text = site.soup(entry.link).find(class_="content__body").get_text(" ", strip=True)
        # Full content, not the summary: the page's last words are in the feed.
        assert page_text.split()[-1].strip(".") in body
        for value in re.findall(r'(?:href|src)="([^"]*)"', body):
            assert urlparse(value).scheme in {"http", "https", "mailto", "tel"}, value


@pytest.mark.parametrize("lang", LANGS)
def test_domain_feeds_and_categories_agree(site, lang):
    # An item is in a domain's feed exactly when that domain is one of its
    # categories, and its categories are titles of domain pages.
    news = {e.link: {t.term for t in e.get("tags", [])}
            for e in parsed(site, language_feed(lang)).entries}
    domain_feeds = [u for u in all_feeds(site)[lang] if u.endswith("rss.xml")
                    and u != f"{site.siteurl}/{language_feed(lang)}"]
    assert len(domain_feeds) == 3
    for url in domain_feeds:
        result = parsed(site, url)
        domain_title = site.soup(result.feed.link).h1.get_text(strip=True)
        in_feed = {entry.link for entry in result.entries}
        tagged = {link for link, terms in news.items() if domain_title in terms}
        assert in_feed == tagged, url


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_advertises_its_languages_news_feeds(site, lang):
    expected = {f"{site.siteurl}/{language_feed(lang, f)}" for f in ("rss", "atom")}
    pages = [p for p in site.html_pages() if p.relative_to(site.output).parts[0] == lang]
    assert pages
    for file in pages:
        hrefs = {href for _, href in advertised(site, file)}
        assert expected <= hrefs, file


def test_domain_feed_is_advertised_on_its_domain_page_only(site):
    for lang in LANGS:
        for url in all_feeds(site)[lang]:
            if "/nieuws/" in url or "/news/" in url:
                continue
            domain_page = url.rsplit("/", 1)[0] + "/"
            pages = [f for f in site.html_pages()
                     if url in {href for _, href in advertised(site, f)}]
            assert [site.url_of(f) for f in pages] == [domain_page]


@pytest.mark.parametrize("lang, slug", [("nl", "volg-ons"), ("en", "subscribe")])
def test_subscribe_page_lists_every_feed_and_links_its_counterpart(site, lang, slug):
    soup = site.soup(f"{lang}/{slug}/")
    text = soup.find("main").get_text(" ")
    for url in all_feeds(site)[lang]:
        assert url in text
    other = "en/subscribe/" if lang == "nl" else "nl/volg-ons/"
    switch = soup.find("nav", class_="language-switch").find("a")["href"]
    assert switch == f"{site.siteurl}/{other}"
    footer_links = [a["href"] for a in soup.find("footer").find_all("a")]
    assert f"{site.siteurl}/{lang}/{slug}/" in footer_links


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feeds_name_a_stylesheet_from_our_own_origin(site, lang, fmt):
    raw = site.path(language_feed(lang, fmt)).read_text("utf-8")
    match = re.search(r'<\?xml-stylesheet href="([^"]+)" type="text/xsl"', raw)
    assert match and match.group(1).startswith(site.siteurl + "/")
    stylesheet = etree.parse(str(site.path(match.group(1))))
    transformed = etree.XSLT(stylesheet)(xml(site, language_feed(lang, fmt)))
    assert transformed.getroot().get("lang") == lang
    titles = [a.text for a in transformed.getroot().iter("a")]
    shown = " ".join(transformed.getroot().itertext())
    for entry in parsed(site, language_feed(lang, fmt)).entries:
        assert entry.title in titles
        # Dates read as on the item's page, in the page's language.
        assert site.soup(entry.link).find("time").get_text(strip=True) in shown


NEWS = page(
    "A news item",
    body="See [the other item](../other/) and ![a map](/images/map.png).",
    Date="2026-03-18",
    Domains="high-tech",
)


def test_relative_links_in_content_become_absolute(fixture_site):
    built = fixture_site(
        {
            "news/one.nl.md": NEWS,
            "news/one.en.md": NEWS,
            "domains/high-tech.nl.md": page("Hightech"),
            "domains/high-tech.en.md": page("High tech"),
        }
    )
    body = parsed(built, "en/news/rss.xml").entries[0].description
    assert 'href="http://example.test/en/news/other/"' in body
    assert 'src="http://example.test/images/map.png"' in body


def test_empty_domain_feed_is_dated_by_the_newest_news_not_the_clock(fixture_site):
    built = fixture_site(
        {
            "news/one.nl.md": NEWS,
            "news/one.en.md": NEWS,
            "domains/high-tech.nl.md": page("Hightech"),
            "domains/high-tech.en.md": page("High tech"),
            "domains/mobility.nl.md": page("Mobiliteit"),
            "domains/mobility.en.md": page("Mobility"),
        }
    )
    channel = xml(built, "en/domains/mobility/rss.xml").find("channel")
    assert channel.find("item") is None
    last = email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate"))
    assert last == datetime.datetime(2026, 3, 18, tzinfo=BRUSSELS)


def test_unknown_feeds_setting_is_reported(fixture_site):
    built = fixture_site(
        {"pages/home.nl.md": page("Home"), "pages/home.en.md": page("Home")},
        FEEDS={"rsss": "x.xml"},
    )
    assert built.error_records() == [
        ("feeds", "(settings)", "FEEDS", "unknown key 'rsss' in the FEEDS setting; "
         "did you mean 'rss'?")]


def test_feeds_and_exports_are_byte_identical_across_builds(tmp_path):
    from conftest import build_site

    first, second = tmp_path / "a" / "output", tmp_path / "b" / "output"
    build_site(ROOT / "content", first)
    build_site(ROOT / "content", second)
    written = sorted(
        p.relative_to(first) for p in first.rglob("*")
        if p.suffix in {".xml", ".xsl"} or p.name.startswith("email.")
    )
    assert len(written) >= 10
    for rel in written:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_titles_with_ampersands_are_escaped_once(fixture_site):
    news = page("R&D <and> more", Date="2026-03-18")
    built = fixture_site(
        {"news/one.nl.md": news, "news/one.en.md": news},
        SITENAME="Eindhoven & Limburg",
    )
    for url in ("en/news/rss.xml", "en/news/atom.xml"):
        result = parsed(built, url)
        assert not result.bozo
        assert result.feed.title.startswith("Eindhoven & Limburg")
        titles = [t.text for t in xml(built, url).iter("title", "{*}title")]
        assert "R&D <and> more" in titles


def test_a_feed_carries_the_newest_items_up_to_max_items(fixture_site):
    news = {}
    for day in (3, 1, 4, 2):
        for lang in LANGS:
            news[f"news/day-{day}.{lang}.md"] = page(
                f"Day {day}", Date=f"2026-03-0{day}", Domains="high-tech")
    news["domains/high-tech.nl.md"] = page("Hightech")
    news["domains/high-tech.en.md"] = page("High tech")
    built = fixture_site(news, FEEDS={"max_items": 2})
    for url in ("en/news/rss.xml", "en/news/atom.xml", "en/domains/high-tech/rss.xml"):
        assert [e.title for e in parsed(built, url).entries] == ["Day 4", "Day 3"], url
    # The news list itself still shows every item.
    assert len(built.soup("en/news/").select("main .news-card")) == 4


def test_a_rebuild_writes_again_only_the_feeds_whose_items_changed(content, tmp_path):
    from conftest import build_site

    out = tmp_path / "output"
    build_site(content, out)
    feeds = {p.relative_to(out): p for p in out.rglob("*.xml") if p.name in ("rss.xml", "atom.xml")}
    stamps = {rel: p.stat().st_mtime_ns for rel, p in feeds.items()}
    item = content / "news" / "productivity.en.md"
    item.write_text(item.read_text("utf-8") + "\nA sentence added later.\n", "utf-8")
    (out / "nl" / "nieuws" / "rss.xml").unlink()
    build_site(content, out)
    again = {rel for rel, p in feeds.items() if p.stat().st_mtime_ns != stamps[rel]}
    assert again and all(rel.parts[0] == "en" for rel in again - {Path("nl/nieuws/rss.xml")})
    assert (out / "nl" / "nieuws" / "rss.xml").exists()
    assert "A sentence added" in (out / "en" / "news" / "rss.xml").read_text("utf-8")
    assert any(rel.parts[0] == "nl" and rel not in again for rel in feeds)
    fresh = tmp_path / "fresh" / "output"
    build_site(content, fresh)
    for rel in feeds:
        assert (out / rel).read_bytes() == (fresh / rel).read_bytes(), rel
