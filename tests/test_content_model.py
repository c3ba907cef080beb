"""The built site carries cross-links, the chart, head metadata, JSON-LD and a sitemap."""

import json
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT, build_site, page

NEWS = {"nl": "nl/nieuws/productiviteitskloof-limburg/", "en": "en/news/limburg-productivity-gap/"}


def links(soup, selector):
    return [a["href"] for a in soup.select(selector)]


def json_ld(soup):
    scripts = soup.select('script[type="application/ld+json"]')
    assert len(scripts) <= 1
    return json.loads(scripts[0].string)["@graph"] if scripts else []


# --- Cross-links -------------------------------------------------------------

def test_domain_page_lists_its_news_and_partners(site):
    soup = site.soup("en/domains/high-tech-industry/")
    news = links(soup, "#domain-news ~ .news-card a")
    assert f"{site.siteurl}/{NEWS['en']}" in news
    assert f"{site.siteurl}/en/partners/pom-limburg/" in links(soup, "main a")


def test_partner_page_shows_side_domains_and_news(site):
    soup = site.soup("nl/partners/pom-limburg/")
    assert "Vlaamse kant" in soup.select_one(".badge").get_text() or \
        "Vlaams" in soup.select_one(".badge").get_text()
    hrefs = links(soup, "main a")
    assert f"{site.siteurl}/nl/domeinen/hightechindustrie/" in hrefs
    assert f"{site.siteurl}/{NEWS['nl']}" in hrefs


def test_news_item_links_its_domains_and_related_news(site):
    soup = site.soup(NEWS["en"])
    assert f"{site.siteurl}/en/domains/high-tech-industry/" in links(soup, ".tags a")
    related = links(soup, ".related-news .news-card a")
    assert related and f"{site.siteurl}/{NEWS['en']}" not in related
    assert all(href.startswith(f"{site.siteurl}/en/news/") for href in related)


def test_related_news_needs_a_shared_domain_or_partner(fixture_site):
    files = {}
    for lang in ("nl", "en"):
        files[f"news/a.{lang}.md"] = page("A", date="2026-03-18", domains="mobility")
        files[f"news/b.{lang}.md"] = page("B", date="2026-03-17", domains="mobility")
        files[f"news/c.{lang}.md"] = page("C", date="2026-03-16", domains="biobased")
    site = fixture_site(files)
    assert links(site.soup("en/news/a/"), ".related-news a") == ["http://example.test/en/news/b/"]
    assert not site.soup("en/news/c/").select(".related-news")


# --- Chart -------------------------------------------------------------------

@pytest.mark.parametrize("lang, title, value", [
    ("nl", "Bruto toegevoegde waarde per gewerkt uur in 2024", "Vlaanderen"),
    ("en", "Gross value added per hour worked in 2024", "Flanders"),
])
def test_productivity_chart_is_accessible_in_the_page_language(site, lang, title, value):
    svg = site.soup(NEWS[lang]).select_one("main svg.chart")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find(id=title_id).get_text() == title
    desc = svg.find(id=desc_id).get_text()
    assert value in desc and "81" in desc and "93" in desc
    labels = [t.get_text() for t in svg.select("text")]
    assert value in labels and any("93" in text for text in labels)
    assert not svg.select("script, [style]") and not svg.find_all(attrs={"onload": True})


def test_a_chart_naming_a_missing_table_is_an_error(fixture_site):
    files = {f"news/x.{lang}.md": page("X", date="2026-03-18", figures="productivity")
             for lang in ("nl", "en")}
    files["data/productivity.toml"] = (
        "[value_added_per_hour_2024]\nlimburg = 1\nflanders = 2\n\n[gap]\n2024 = 0.1\n\n"
        '[chart]\nseries = "value_added"\nlabels = { limburg = "Limburg" }\n')
    site = fixture_site(files)
    assert site.errors() == [
        "[charts] data/productivity.toml: chart: series 'value_added' is not a table in this file"]
    assert not site.soup("nl/nieuws/x/").select("svg")


def test_bars_are_proportional_to_the_figures(site):
    widths = [float(r["width"]) for r in site.soup(NEWS["en"]).select("svg.chart rect")]
    assert widths[0] / widths[1] == pytest.approx(81 / 93, abs=0.01)


# --- Head metadata and JSON-LD ---------------------------------------------------

def test_every_page_has_canonical_description_and_open_graph(site):
    for file in site.html_pages():
        if file.name == "404.html":
            continue
        soup = site.soup(str(file.relative_to(site.output)))
        url = site.url_of(file)
        assert soup.select_one('link[rel="canonical"]')["href"] == url, file
        assert soup.select_one('meta[name="description"]')["content"].strip(), file
        if file.parent != site.output:  # the bilingual root has no single language
            assert soup.select_one('meta[property="og:url"]')["content"] == url, file
            assert soup.select_one('meta[property="og:title"]')["content"].strip(), file


def test_news_item_is_a_news_article_with_breadcrumbs(site):
    graph = json_ld(site.soup(NEWS["nl"]))
    article = next(node for node in graph if node["@type"] == "NewsArticle")
    assert article["headline"].startswith("Limburg verkleint productiviteitskloof")
    assert article["datePublished"].startswith("2026-03-19")
    assert article["inLanguage"] == "nl"
    crumbs = next(node for node in graph if node["@type"] == "BreadcrumbList")
    assert [i["item"] for i in crumbs["itemListElement"]] == [
        f"{site.siteurl}/nl/", f"{site.siteurl}/nl/nieuws/", f"{site.siteurl}/{NEWS['nl']}"]


def test_partner_is_an_organization(site):
    graph = json_ld(site.soup("en/partners/brainport/"))
    assert {"@type": "Organization", "name": "Stichting Brainport",
            "url": f"{site.siteurl}/en/partners/brainport/"}.items() <= graph[0].items()


def test_json_ld_cannot_end_its_script_element(fixture_site):
    files = {
        "news/x.nl.md": page("a </script><b>& b", date="2026-03-18"),
        "news/x.en.md": page("Title", date="2026-03-18"),
    }
    site = fixture_site(files)
    html = site.path("nl/nieuws/x/").read_text("utf-8")
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and "\\u003c/script\\u003e" in script
    assert json.loads(script)["@graph"][0]["headline"] == "a </script><b>& b"


# --- Sitemap and robots.txt --------------------------------------------------------

SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_sitemap_lists_every_page_with_alternates(site):
    root = ET.parse(site.output / "sitemap.xml").getroot()
    listed = [loc.text for loc in root.findall("s:url/s:loc", SM)]
    pages = [site.url_of(f) for f in site.html_pages() if f.name != "404.html"]
    assert sorted(listed) == sorted(pages) == listed
    for url in root.findall("s:url", SM):
        loc = url.find("s:loc", SM).text
        alternates = {a.get("hreflang"): a.get("href") for a in url.findall("x:link", SM)}
        if loc != f"{site.siteurl}/":
            assert set(alternates) == {"nl", "en", "x-default"}, loc
            assert loc in alternates.values()


def test_robots_txt_names_the_sitemap(site):
    assert f"Sitemap: {site.siteurl}/sitemap.xml" in (site.output / "robots.txt").read_text()


def test_a_single_language_page_says_so_in_both_languages(fixture_site):
    site = fixture_site({"news/x.nl.md": page("Alleen", date="2026-03-18", single_language="true")})
    notes = {p["lang"]: p.get_text() for p in site.soup("nl/nieuws/x/").select(".single-language-note p")}
    assert notes == {"nl": "Deze pagina bestaat alleen in het Nederlands.",
                     "en": "This page is only available in Dutch."}
    assert not site.errors()


def test_guides_explain_every_field_a_problem_names():
    from test_safe_build import MISTAKES

    fields = {field for _, _, field in MISTAKES} | {"summary", "side", "order", "status", "image"}
    for lang in ("nl", "en"):
        guide = (ROOT / "docs" / f"content-guide.{lang}.md").read_text("utf-8")
        missing = [field for field in sorted(fields) if f"`{field}: " not in guide]
        assert not missing, (lang, missing)


def test_sitemap_leaves_out_noindex_404_and_pages_canonical_elsewhere(tmp_path):
    from sitemap import sitemap

    def html(head):
        return f"<!doctype html><html><head>{head}</head><body></body></html>"

    pages = {
        "nl/a/index.html": html('<link rel="canonical" href="http://x.test/nl/a/">'
                                '<link rel="alternate" hreflang="nl" href="http://x.test/nl/a/">'),
        "nl/zoek/index.html": html('<meta name="robots" content="noindex">'),
        "nl/oud/index.html": html('<link rel="canonical" href="http://x.test/nl/a/">'),
        "nl/404.html": html(""),
        "nl/nieuwsbrief/x/email.html": html(""),
    }
    for rel, text in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    found, _ = sitemap.entries(str(tmp_path), "http://x.test", sitemap.get_settings({}))
    assert found == {"http://x.test/nl/a/": [("nl", "http://x.test/nl/a/")]}


def test_sitemap_reads_a_page_again_when_it_changed(tmp_path):
    from sitemap import sitemap

    page = tmp_path / "nl" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html><head><link rel="alternate" hreflang="nl" href="http://x.test/nl/a/">'
                    "</head><body></body></html>")
    conf, cache = sitemap.get_settings({}), {}
    head = '<link rel="alternate" hreflang="nl" href="http://x.test/nl/a/">'
    assert sitemap.entries(str(tmp_path), "http://x.test", conf, cache) == (
        {"http://x.test/nl/a/": [("nl", "http://x.test/nl/a/")]}, True)
    page.write_text(f"<html><head>{head}</head><body>written again</body></html>")
    assert sitemap.entries(str(tmp_path), "http://x.test", conf, cache) == (
        {"http://x.test/nl/a/": [("nl", "http://x.test/nl/a/")]}, False)  # the same head
    page.write_text('<html><head><link rel="alternate" hreflang="en" href="http://x.test/en/a/">'
                    f"{head}</head><body></body></html>")
    assert sitemap.entries(str(tmp_path), "http://x.test", conf, cache) == (
        {"http://x.test/nl/a/": [("en", "http://x.test/en/a/"), ("nl", "http://x.test/nl/a/")]},
        True)
    page.unlink()
    assert sitemap.entries(str(tmp_path), "http://x.test", conf, cache) == ({}, True)
    assert cache == {}


def test_sitemap_is_written_again_when_a_page_comes_or_goes(content, tmp_path):
    out = tmp_path / "output"
    build_site(content, out, siteurl="http://example.test")
    before = (out / "sitemap.xml").read_text("utf-8")
    build_site(content, out, siteurl="http://example.test")
    assert (out / "sitemap.xml").read_text("utf-8") == before
    (out / "nl" / "extra").mkdir()
    (out / "nl" / "extra" / "index.html").write_text("<html><head></head></html>", "utf-8")
    build_site(content, out, siteurl="http://example.test")
    assert "http://example.test/nl/extra/" in (out / "sitemap.xml").read_text("utf-8")
