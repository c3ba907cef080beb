"""Newsletter editions: web page, archive, and the e-mail exports."""

import re
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, page

LANGS = ["nl", "en"]
LIMIT = 102 * 1024
EDITIONS = sorted(ROOT.glob("content/editions/*.md"))


def edition_pages(site, lang):
    """The edition web pages of a language, from the archive page."""
    archive = site.soup(f"{lang}/").find("a", href=re.compile(r"/(nieuwsbrief|newsletter)/$"))
    links = site.soup(archive["href"]).find("main").find_all("a", href=True)
    return [a["href"] for a in links if a["href"].startswith(archive["href"]) and a["href"] != archive["href"]]


def export(site, edition_url, name):
    return site.path(edition_url).parent / name


def exports(site):
    for lang in LANGS:
        for url in edition_pages(site, lang):
            yield lang, url


def test_every_edition_has_a_page_and_both_exports_in_both_languages(site):
    found = list(exports(site))
    assert len(found) == len(EDITIONS)
    for lang in LANGS:
        assert [u for code, u in found if code == lang]
    for _, url in found:
        assert site.path(url).is_file()
        assert export(site, url, "email.html").is_file()
        assert export(site, url, "email.txt").is_file()


def test_email_html_is_small_enough_not_to_be_clipped(site):
    for _, url in exports(site):
        assert export(site, url, "email.html").stat().st_size < LIMIT


def test_email_html_has_only_inline_css(site):
    for _, url in exports(site):
        soup = BeautifulSoup(export(site, url, "email.html").read_text("utf-8"), "html.parser")
        assert soup.find("style") is None
        assert soup.find("link", rel="stylesheet") is None
        assert soup.body.get("style"), "the body keeps its look as a style attribute"
        assert soup.find("table", attrs={"role": "presentation"}) is not None


def test_every_link_and_image_in_email_is_absolute(site):
    for _, url in exports(site):
        soup = BeautifulSoup(export(site, url, "email.html").read_text("utf-8"), "html.parser")
        values = [t.get("href") for t in soup.find_all(href=True)]
        values += [t.get("src") for t in soup.find_all(src=True)]
        assert values
        for value in values:
            assert urlparse(value).scheme in {"http", "https", "mailto", "tel"}, value
            if value.startswith(site.siteurl):
                assert site.path(value).is_file(), value


@pytest.mark.parametrize("lang", LANGS)
def test_email_has_lang_and_a_view_in_browser_link(site, lang):
    for url in edition_pages(site, lang):
        soup = BeautifulSoup(export(site, url, "email.html").read_text("utf-8"), "html.parser")
        assert soup.html["lang"] == lang
        first_link = soup.body.find("a")
        assert first_link["href"] == url


@pytest.mark.parametrize("lang", LANGS)
def test_march_edition_reproduces_the_newsletter(site, lang):
    url = [u for u in edition_pages(site, lang) if "2026" in u][0]
    web = site.soup(url)
    news_links = [a["href"] for a in web.select(".news-card a")]
    tip_links = [a["href"] for a in web.select(".tip a")]
    assert len(news_links) == 3 and len(tip_links) == 1
    html = export(site, url, "email.html").read_text("utf-8")
    text = export(site, url, "email.txt").read_text("utf-8")
    for name in ("Tom Vandeput", "Noël Slangen", "Corda Campus, gebouw 6B",
                 "Kempische Steenweg 303 / bus 101", "3500 Hasselt", "+32 11 300 100",
                 "info@pomlimburg.be"):
        assert name in html and name in text, name
    soup = BeautifulSoup(html, "html.parser")
    email_links = {a["href"] for a in soup.find_all("a")}
    for link in news_links + tip_links:
        assert link in email_links
        assert link in text
        title = site.soup(link).h1.get_text(strip=True)
        assert title in text


@pytest.mark.parametrize("lang", LANGS)
def test_plain_text_starts_with_the_web_address(site, lang):
    for url in edition_pages(site, lang):
        text = export(site, url, "email.txt").read_text("utf-8")
        head = text.split("\n\n", 3)[:3]
        assert any(url in part for part in head)
        assert "<p>" not in text and "&amp;" not in text


def edition(title, date, **meta):
    return page(title, body="## Foreword\n\nWelcome.", Date=date, **meta)


EDITION_SITE = {
    "editions/2026-02.nl.md": edition("Februari", "2026-02-10"),
    "editions/2026-02.en.md": edition("February", "2026-02-10"),
    "editions/2026-04.nl.md": edition("April", "2026-04-10"),
    "editions/2026-04.en.md": edition("April", "2026-04-10"),
}


def test_archive_lists_editions_newest_first(fixture_site):
    built = fixture_site(EDITION_SITE)
    titles = [a.get_text(strip=True) for a in built.soup("en/newsletter/").select("main li a")]
    assert titles == ["April", "February"]


def test_too_big_export_is_reported_with_the_file(fixture_site):
    built = fixture_site(EDITION_SITE, FEEDS={"editions": {"max_bytes": 1000}})
    records = built.error_records()
    # Every edition's export is larger than 1,000 bytes.
    assert sorted(r[:3] for r in records) == [("feeds", f"editions/{name}", "e-mail") for name in
                                              ("2026-02.en.md", "2026-02.nl.md",
                                               "2026-04.en.md", "2026-04.nl.md")]
    for *_, message in records:
        assert re.fullmatch(r"the e-mail version is \d+\.\d KB, more than the 1\.0 KB mail "
                            r"clients show without clipping; shorten the foreword or bundle "
                            r"fewer items", message), message


@pytest.mark.parametrize("lang, subscribe", [("nl", "nl/volg-ons/#feed-nieuws"),
                                              ("en", "en/subscribe/#feed-news")])
def test_edition_pages_and_archive_point_to_the_news_feeds_on_the_subscribe_page(site, lang, subscribe):
    # An edition's news reaches readers through the news feeds: the link goes to their section.
    urls = edition_pages(site, lang)
    archive = urls[0].rstrip("/").rsplit("/", 1)[0] + "/"
    for url in urls + [archive]:
        links = [a["href"] for a in site.soup(url).find("main").find_all("a")]
        assert f"{site.siteurl}/{subscribe}" in links, url


def test_unknown_bundled_item_is_reported_with_the_file(fixture_site):
    files = dict(EDITION_SITE)
    files["editions/2026-04.en.md"] = edition("April", "2026-04-10", News="no-such-item")
    built = fixture_site(files)
    assert [r for r in built.error_records() if r[0] == "feeds"] == [
        ("feeds", "editions/2026-04.en.md", "News",
         "there is no en item 'no-such-item' in content/news/; write the file name without "
         "language and extension (news/no-such-item.en.md)")]
    assert not any("2026-02" in r[1] for r in built.error_records())
