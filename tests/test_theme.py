"""The theme's components on the real site: 404 pages, accessibility
statement, footer, navigation and the stylesheet's rules."""

import re

import pytest

from conftest import ROOT

CSS = (ROOT / "theme" / "static" / "css" / "site.css").read_text("utf-8")


def test_root_404_speaks_both_languages_with_absolute_links(site):
    soup = site.soup("404.html")
    sections = {s["lang"]: s for s in soup.select("main section[lang]")}
    assert set(sections) == {"nl", "en"}
    assert "Pagina niet gevonden" in sections["nl"].get_text()
    assert "Page not found" in sections["en"].get_text()
    # GitHub Pages serves it at any depth: links must not be relative.
    hrefs = [a["href"] for a in soup.select("main a")]
    assert f"{site.siteurl}/nl/" in hrefs and f"{site.siteurl}/en/" in hrefs
    assert all(h.startswith(site.siteurl + "/") for h in hrefs)
    assert soup.select_one('link[rel="stylesheet"]')["href"].startswith(site.siteurl + "/")


@pytest.mark.parametrize("lang, other, heading", [
    ("nl", "en", "Pagina niet gevonden"), ("en", "nl", "Page not found"),
])
def test_404_page_per_language_has_the_site_around_it(site, lang, other, heading):
    soup = site.soup(f"{lang}/404.html")
    assert soup.html["lang"] == lang
    assert soup.h1.get_text() == heading
    assert soup.select_one(".main-nav") and soup.select_one(".site-footer")
    switch = soup.select_one(".language-switch a")
    assert switch["href"] == f"{site.siteurl}/{other}/404.html"


@pytest.mark.parametrize("lang, title", [
    ("nl", "Toegankelijkheidsverklaring"), ("en", "Accessibility statement"),
])
def test_every_page_links_the_accessibility_statement(site, lang, title):
    pages = [p for p in site.html_pages() if p.relative_to(site.output).parts[0] == lang]
    assert pages
    for file in pages:
        soup = site.soup(file.relative_to(site.output).as_posix())
        link = soup.select_one(".site-footer__meta a")
        assert link is not None and link.get_text() == title, file
    statement = site.soup(link["href"])
    assert statement.h1.get_text() == title
    assert "info@pomlimburg.be" in statement.select_one(".content__body").get_text()


def test_accessibility_statements_are_each_others_translation(site):
    switch = site.soup("nl/toegankelijkheid/").select_one(".language-switch a")
    assert switch["href"] == f"{site.siteurl}/en/accessibility/"


@pytest.mark.parametrize("path, current, value", [
    ("nl/", "Home", "page"), ("nl/nieuws/", "Nieuws", "page"),
    ("en/news/charter-signed/", "News", "true"), ("en/news/", "News", "page"),
    ("en/partners/pom-limburg/", "Partners", "true"), ("nl/contact/", "Contact", "page"),
])
def test_navigation_marks_the_current_section(site, path, current, value):
    # `page` on the entry that is this very page, `true` on its section's entry.
    marked = site.soup(path).select(".main-nav a[aria-current]")
    assert [(a.get_text(), a["aria-current"]) for a in marked] == [(current, value)]


def test_footer_has_pom_limburg_contact_on_every_language_page(site):
    for file in site.html_pages():
        rel = file.relative_to(site.output).as_posix()
        if rel in ("index.html", "404.html"):
            continue
        footer = site.soup(rel).select_one("footer .contact-block")
        assert footer is not None, rel
        assert "info@pomlimburg.be" in footer.get_text()


def test_skip_link_comes_first_and_targets_main(site):
    soup = site.soup("en/news/")
    first = soup.body.find("a")
    assert first["href"] == "#main" and soup.select_one("main#main")


def test_stylesheet_is_token_based_with_dark_and_print(site):
    assert CSS.lstrip().startswith("/*") and re.search(r"^:root \{", CSS, re.M)
    assert "@media (prefers-color-scheme: dark)" in CSS and "@media print" in CSS
    # Nothing from another origin and no web fonts.
    assert not re.search(r"@import|@font-face|url\(\s*['\"]?(https?:)?//", CSS)
    # Colours are set once, as tokens: components use var(--...).
    rules_outside_tokens = re.sub(r":root \{.*?\}", "", CSS, flags=re.S)
    rules_outside_tokens = re.sub(r"@media print \{.*?\n\}", "", rules_outside_tokens, flags=re.S)
    assert re.findall(r"#[0-9a-fA-F]{3,6}\b", rules_outside_tokens) == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_catalog_entry_has_a_translation(lang):
    # Also entries that are in the catalog but not (yet) in messages.pot,
    # and none left fuzzy: gettext ignores fuzzy entries.
    from babel.messages.pofile import read_po

    path = ROOT / "theme" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=lang)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == [], f"{path.relative_to(ROOT)}: fill the msgstr of {untranslated}"


def test_a_cached_partial_is_rendered_once_per_variant_and_stays_markup():
    from jinja2 import DictLoader, Environment

    from partials.partials import make_partial_cached

    calls = []
    env = Environment(autoescape=True, loader=DictLoader({
        "part.html": "{{ note(lang) }}<b>{{ lang }} & {{ text }}</b>",
        "page.html": "{{ partial_cached('part.html', lang) }}|",
    }))
    env.globals["note"] = lambda lang: calls.append(lang) or ""
    env.globals["partial_cached"] = make_partial_cached()
    page = env.get_template("page.html")
    rendered = [page.render(lang=lang, text="<i>") for lang in ("nl", "en", "nl", "nl")]
    assert rendered == ["<b>nl & &lt;i&gt;</b>|", "<b>en & &lt;i&gt;</b>|",
                        "<b>nl & &lt;i&gt;</b>|", "<b>nl & &lt;i&gt;</b>|"]
    assert calls == ["nl", "en"]


def test_a_cached_partial_gets_its_values_and_is_told_apart_by_lists():
    from jinja2 import DictLoader, Environment

    from partials.partials import make_partial_cached

    env = Environment(autoescape=True, loader=DictLoader({
        "links.html": "{{ lang }}:{{ item.name }}:{{ urls|join(',') }}",
        "page.html": "{{ partial_cached('links.html', lang, item.urls, item=item, urls=item.urls) }}",
    }))
    env.globals["partial_cached"] = make_partial_cached()
    page = env.get_template("page.html")
    a, b, c = ({"name": "a", "urls": ["x", "y"]}, {"name": "b", "urls": ["x", "y"]},
               {"name": "c", "urls": ["z"]})
    assert [page.render(lang="nl", item=i) for i in (a, b, c)] == [
        "nl:a:x,y", "nl:a:x,y", "nl:c:z"]  # the same list: the same rendering
    assert page.render(lang="en", item=b) == "en:b:x,y"


def test_every_page_of_a_language_has_its_languages_footer(site):
    footers = {}
    for file in site.html_pages():
        soup = site.soup(site.url_of(file))
        footer, lang = soup.select_one("footer.site-footer"), soup.html.get("lang")
        if footer is not None and lang in ("nl", "en"):
            footers.setdefault(lang, set()).add(str(footer))
    assert set(footers) == {"nl", "en"}
    assert all(len(found) == 1 for found in footers.values()), footers.keys()
    assert footers["nl"] != footers["en"]
    assert "Volg het nieuws" in next(iter(footers["nl"]))
    assert "Follow the news" in next(iter(footers["en"]))
