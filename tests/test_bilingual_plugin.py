"""Unit tests of the bilingual plugin on tiny fixture content."""

import pytest

from conftest import page


@pytest.fixture
def pair():
    return {
        "pages/about.nl.md": page("Over ons", slug="over-ons"),
        "pages/about.en.md": page("About us", slug="about-us"),
        "news/first.nl.md": page("Eerste", date="2026-03-18", slug="eerste"),
        "news/first.en.md": page("First", date="2026-03-18", slug="first"),
    }


def test_urls_carry_language_and_localized_section(fixture_site, pair):
    site = fixture_site(pair)
    for rel in ("nl/over-ons/", "en/about-us/", "nl/nieuws/eerste/", "en/news/first/"):
        assert site.path(rel).is_file(), rel


def test_counterparts_link_each_other(fixture_site, pair):
    site = fixture_site(pair)
    link = site.soup("nl/nieuws/eerste/").select_one(".language-switch a")
    assert link["href"] == "http://example.test/en/news/first/"
    link = site.soup("en/about-us/").select_one(".language-switch a")
    assert link["href"] == "http://example.test/nl/over-ons/"


def test_missing_counterpart_is_reported_with_the_file(fixture_site, pair):
    del pair["news/first.en.md"]
    site = fixture_site(pair)
    assert site.error_records() == [
        ("bilingual", "news/first.nl.md", "translation",
         "there is no en version; add news/first.en.md or set 'single_language: true'")]


def test_single_language_item_links_other_home(fixture_site, pair):
    del pair["news/first.en.md"]
    pair["news/first.nl.md"] = page("Eerste", date="2026-03-18", slug="eerste", single_language="true")
    site = fixture_site(pair)
    assert site.error_records() == []
    link = site.soup("nl/nieuws/eerste/").select_one(".language-switch a")
    assert link["href"] == "http://example.test/en/"


def test_two_files_claiming_one_language_are_reported(fixture_site, pair):
    pair["news/first.nl.markdown"] = page("Dubbel", date="2026-03-18", slug="dubbel")
    site = fixture_site(pair)
    claim = ("two files claim the nl version of 'news/first': news/first.nl.markdown and "
             "news/first.nl.md")
    assert sorted(site.error_records()) == [
        ("bilingual", "news/first.nl.markdown", "lang", claim),
        ("bilingual", "news/first.nl.md", "lang", claim)]


def test_list_pages_hold_one_language_each(fixture_site, pair):
    site = fixture_site(pair)
    nl = [a["href"] for a in site.soup("nl/nieuws/").select("main .news-card__title a")]
    en = [a["href"] for a in site.soup("en/news/").select("main .news-card__title a")]
    assert nl == ["http://example.test/nl/nieuws/eerste/"]
    assert en == ["http://example.test/en/news/first/"]


def test_news_list_paginates_per_language_and_links_same_page(fixture_site):
    files = {}
    for n in range(12):
        files[f"news/item{n}.nl.md"] = page(f"Bericht {n}", date=f"2026-03-{n + 1:02d}", slug=f"bericht-{n}")
        files[f"news/item{n}.en.md"] = page(f"Item {n}", date=f"2026-03-{n + 1:02d}", slug=f"item-{n}")
    site = fixture_site(files)
    second = site.soup("nl/nieuws/2/")
    assert len(second.select("main .news-card__title a")) == 2
    assert second.select_one(".language-switch a")["href"] == "http://example.test/en/news/2/"
    canonical = second.find("link", rel="canonical")["href"]
    assert canonical == "http://example.test/nl/nieuws/2/"


def test_home_pages_live_at_language_roots(fixture_site, pair):
    pair["pages/home.nl.md"] = page("Welkom", template="home")
    pair["pages/home.en.md"] = page("Welcome", template="home")
    site = fixture_site(pair)
    assert site.soup("nl/").h1.get_text() == "Welkom"
    assert site.soup("en/").h1.get_text() == "Welcome"


def test_titles_are_escaped(fixture_site, pair):
    pair["pages/about.nl.md"] = page("Over <b>ons</b> & \"zo\"", slug="over-ons")
    site = fixture_site(pair)
    html = site.path("nl/over-ons/").read_text("utf-8")
    assert "<b>ons</b>" not in html
    assert "Over &lt;b&gt;ons&lt;/b&gt; &amp;" in html


def test_an_unknown_bilingual_key_is_reported_without_repeating_it_per_item(fixture_site):
    from conftest import page

    files = {f"news/n{i}.{lang}.md": page(f"N{i}", Date="2026-03-18", Summary="Kort.")
             for i in range(20) for lang in ("nl", "en")}
    languages = {"nl": {"name": "Nederlands", "html_lang": "nl"},
                 "en": {"name": "English", "html_lang": "en"}}
    site = fixture_site(files, BILINGUAL={"languages": languages, "colour": "x"})
    assert site.error_records() == [
        ("bilingual", "(settings)", "BILINGUAL", "unknown key 'colour' in the BILINGUAL setting")]
