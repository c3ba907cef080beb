"""Raw HTML in content is cleaned and titles are escaped in the built pages."""

from conftest import page


def pair(nl_title, nl_body, **meta):
    return {
        "news/x.nl.md": page(nl_title, nl_body, date="2026-03-18", **meta),
        "news/x.en.md": page("X", "Text.", date="2026-03-18"),
    }


def test_scripts_handlers_and_javascript_links_do_not_reach_the_page(fixture_site):
    body = ('Hallo <script>alert(1)</script> <a href="javascript:alert(2)">a</a> '
            '<img src="x.png" alt="x" onerror="alert(3)">')
    site = fixture_site(pair("Titel", body))
    html = site.path("nl/nieuws/x/").read_text("utf-8")
    main = site.soup("nl/nieuws/x/").select_one(".content__body")
    assert "alert(1)" not in html and "alert(2)" not in html and "alert(3)" not in html
    assert main.select_one("img")["src"] == "x.png"
    taken_out = "; remove it (scripts are not allowed in content, it was taken out)"
    assert site.error_records() == [
        ("sanitize", "news/x.nl.md", "content", f"the text contains {danger}{taken_out}")
        for danger in ("a <script> element", "an event handler attribute (on...=)",
                       "a javascript: link")]


def test_markup_in_a_title_comes_out_escaped(fixture_site):
    site = fixture_site(pair('<b onclick="x()">Vet</b> & "zo"', "Tekst."))
    soup = site.soup("nl/nieuws/x/")
    assert soup.select_one("h1").get_text() == '<b onclick="x()">Vet</b> & "zo"'
    assert not soup.select("h1 b")
    assert soup.select_one('meta[property="og:title"]')["content"] == '<b onclick="x()">Vet</b> & "zo"'
    assert "<b onclick" not in site.path("nl/nieuws/x/").read_text("utf-8")


def test_ordinary_markdown_keeps_its_structure(fixture_site):
    body = "## Kop\n\n[link](https://example.org/) en een tabel:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    site = fixture_site(pair("Titel", body))
    main = site.soup("nl/nieuws/x/").select_one(".content__body")
    assert main.select_one("h2")["id"] == "kop"
    assert main.select_one("a")["href"] == "https://example.org/"
    assert [td.get_text() for td in main.select("td")] == ["1", "2"]


def test_a_summary_cannot_carry_a_script_either(fixture_site):
    site = fixture_site(pair("Titel", "Tekst.", summary='Kort <img src="x" onerror="alert(4)">'))
    assert "alert(4)" not in site.path("nl/nieuws/x/").read_text("utf-8")
    assert "alert(4)" not in site.path("nl/nieuws/").read_text("utf-8")
    assert site.error_records() == [
        ("sanitize", "news/x.nl.md", "summary", "the text contains an event handler attribute "
         "(on...=); remove it (scripts are not allowed in content, it was taken out)")]
