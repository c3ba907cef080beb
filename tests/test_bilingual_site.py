"""The real site, built under a sub-path: both languages complete and linked."""

import re

import pytest

NL_PAGES = [
    "nl/",
    "nl/nieuws/",
    "nl/nieuws/charter-ondertekend/",
    "nl/nieuws/productiviteitskloof-limburg/",
    "nl/nieuws/europese-delegatie-limburg/",
    "nl/charter/",
    "nl/partners/",
    "nl/partners/metropoolregio-eindhoven/",
    "nl/partners/brainport/",
    "nl/partners/pom-limburg/",
    "nl/partners/pom-antwerpen/",
    "nl/partners/streekplatform-kempen/",
    "nl/domeinen/",
    "nl/domeinen/hightechindustrie/",
    "nl/domeinen/smart-en-clean-mobility/",
    "nl/domeinen/biobased-materialen-en-circulair-bouwen/",
    "nl/contact/",
    "nl/nieuwsbrief/",
    "nl/nieuwsbrief/maart-2026/",
    "nl/groeitips/innovatieplanning-lange-termijn/",
]
EN_PAGES = [
    "en/",
    "en/news/",
    "en/news/charter-signed/",
    "en/news/limburg-productivity-gap/",
    "en/news/european-delegation-limburg/",
    "en/charter/",
    "en/partners/",
    "en/partners/metropoolregio-eindhoven/",
    "en/partners/brainport/",
    "en/partners/pom-limburg/",
    "en/partners/pom-antwerpen/",
    "en/partners/streekplatform-kempen/",
    "en/domains/",
    "en/domains/high-tech-industry/",
    "en/domains/smart-and-clean-mobility/",
    "en/domains/biobased-materials-and-circular-construction/",
    "en/contact/",
    "en/newsletter/",
    "en/newsletter/march-2026/",
    "en/growth-tips/long-term-innovation-planning/",
]
PAIRS = list(zip(NL_PAGES, EN_PAGES))


def test_build_reports_no_problem(site):
    assert site.errors() == []


@pytest.mark.parametrize("rel", NL_PAGES + EN_PAGES)
def test_every_page_exists(site, rel):
    assert site.path(rel).is_file(), rel


@pytest.mark.parametrize("rel", NL_PAGES + EN_PAGES)
def test_html_lang_matches_tree(site, rel):
    assert site.soup(rel).html["lang"] == rel[:2]


@pytest.mark.parametrize("nl, en", PAIRS)
def test_language_switch_links_exact_counterpart(site, nl, en):
    for here, there in ((nl, en), (en, nl)):
        switch = site.soup(here).select(".language-switch a")
        assert [a["href"] for a in switch] == [f"{site.siteurl}/{there}"]
        assert switch[0]["hreflang"] == there[:2]
        assert switch[0]["lang"] == there[:2]


def alternates(soup):
    return {
        link["hreflang"]: link["href"]
        for link in soup.find_all("link", rel="alternate")
        if link.get("hreflang")
    }


@pytest.mark.parametrize("nl, en", PAIRS)
def test_hreflang_self_reciprocal_with_x_default(site, nl, en):
    nl_alt = alternates(site.soup(nl))
    en_alt = alternates(site.soup(en))
    expected = {"nl": f"{site.siteurl}/{nl}", "en": f"{site.siteurl}/{en}"}
    for alt in (nl_alt, en_alt):
        assert {k: alt[k] for k in ("nl", "en")} == expected
        assert alt["x-default"].startswith(site.siteurl + "/")
    assert nl_alt == en_alt


def test_homes_and_root_share_x_default_root(site):
    root = alternates(site.soup("index.html"))
    assert root == alternates(site.soup("nl/")) == alternates(site.soup("en/"))
    assert root["x-default"] == f"{site.siteurl}/"


def test_root_chooser_links_both_homes(site):
    links = [a["href"] for a in site.soup("index.html").select("main a")]
    assert links == [f"{site.siteurl}/nl/", f"{site.siteurl}/en/"]


@pytest.mark.parametrize("lang, other", [("nl", "en"), ("en", "nl")])
def test_lists_show_only_their_language(site, lang, other):
    news_list = site.soup(f"{lang}/nieuws/" if lang == "nl" else f"{lang}/news/")
    links = [a["href"] for a in news_list.select("main .news-card a")]
    assert len(links) == 3
    links += [a["href"] for a in news_list.select("main a")]
    assert all(href.startswith(f"{site.siteurl}/{lang}/") for href in links)


def text_of(site, rel):
    return re.sub(r"\s+", " ", site.soup(rel).get_text(" "))


@pytest.mark.parametrize(
    "rel, expected",
    [
        ("nl/nieuws/charter-ondertekend/", "18 maart 2026"),
        ("en/news/charter-signed/", "18 March 2026"),
        ("nl/nieuws/productiviteitskloof-limburg/", "13,2%"),
        ("en/news/limburg-productivity-gap/", "13.2%"),
        ("nl/nieuws/productiviteitskloof-limburg/", "13,8%"),
        ("en/news/limburg-productivity-gap/", "13.8%"),
        ("nl/nieuws/productiviteitskloof-limburg/", "€ 81"),
        ("en/news/limburg-productivity-gap/", "€93"),
        ("nl/nieuwsbrief/maart-2026/", "19 maart 2026"),
        ("en/newsletter/march-2026/", "19 March 2026"),
    ],
)
def test_dates_and_numbers_are_localized(site, rel, expected):
    assert expected in text_of(site, rel)


@pytest.mark.parametrize(
    "rel",
    ["nl/nieuws/productiviteitskloof-limburg/", "en/news/limburg-productivity-gap/"],
)
def test_figures_table_uses_the_page_language(site, rel):
    cells = [td.get_text() for td in site.soup(rel).select(".figures td")]
    decimal = "," if rel.startswith("nl") else "."
    assert f"13{decimal}8%" in cells and f"13{decimal}2%" in cells
