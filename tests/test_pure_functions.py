"""The small pure functions the plugins are built from, with exact values."""

import datetime
import logging
from types import SimpleNamespace

from conftest import ROOT

from feeds.feeds import absolute_html
from portal.problems import Problem
from related.related import _keys, _rank
from sitemap.sitemap import head_links
from validation.validation import check_file, get_settings, read_metadata


def item(rel, lang, single=False):
    return SimpleNamespace(relative_source_path=rel, source_path=str(ROOT / "content" / rel),
                           translation_key=rel.rsplit(".", 2)[0], lang=lang,
                           file_lang=rel.split(".")[-2], single_language=single)


def test_pairing_translations_links_each_item_to_the_others():
    from bilingual.bilingual import pair_translations

    nl, en = item("news/a.nl.md", "nl"), item("news/a.en.md", "en")
    alone = item("news/b.nl.md", "nl")
    single = item("news/c.nl.md", "nl", single=True)
    found = pair_translations([en, nl, alone, single], ["nl", "en"])
    assert (nl.translations, en.translations, nl.counterpart, en.counterpart) == (
        [en], [nl], en, nl)
    assert alone.translations == [] and alone.counterpart is None
    assert found == [("news/b.nl.md", "translation",
                      "there is no en version; add news/b.en.md or set 'single_language: true'")]


def test_pairing_names_a_counterpart_whose_lang_field_disagrees():
    from bilingual.bilingual import pair_translations

    nl = item("news/a.nl.md", "nl")
    wrong = item("news/a.en.md", "nl")
    found = pair_translations([nl, wrong], ["nl", "en"])
    claim = "two files claim the nl version of 'news/a': news/a.en.md and news/a.nl.md"
    assert found == [
        ("news/a.nl.md", "lang", claim), ("news/a.en.md", "lang", claim),
        ("news/a.nl.md", "translation",
         "news/a.en.md should be the en version but its Lang field says 'nl'"),
        ("news/a.en.md", "translation",
         "news/a.en.md should be the en version but its Lang field says 'nl'"),
    ]


def test_reading_metadata_lines_and_body():
    text = ("Title: Het charter\nDomains: high-tech,\n  mobility\nsummary:  Kort. \n\n"
            "Body: not metadata\n\nMore.")
    assert read_metadata(text) == (
        {"title": "Het charter", "domains": "high-tech, mobility", "summary": "Kort."},
        "Body: not metadata\n\nMore.")
    assert read_metadata("Geen metadata hier.\n") == ({}, "Geen metadata hier.")
    assert read_metadata("Title: Alleen\n") == ({"title": "Alleen"}, "")


def test_checking_one_file_names_every_problem_in_it():
    settings = {"PATH": str(ROOT / "content"), "DEFAULT_LANG": "nl"}
    raw = ("Title: <b>X</b>\nDate: 2026-02-30\nDomains: space\nSide: nl\n\n"
           "See [a]({filename}/pages/none.nl.md).\n").encode()
    out = []
    check_file(out, "news/x.nl.md", "news", settings, get_settings(settings), ["nl", "en"], raw)
    assert out == [
        Problem("validation", "news/x.nl.md", "summary", "the Summary line is missing or empty; "
                "add one sentence: it is shown in lists, search results and link previews",
                logging.WARNING),
        Problem("validation", "news/x.nl.md", "side",
                "this field is not used for news; check the spelling"),
        Problem("validation", "news/x.nl.md", "title",
                "the title contains HTML markup; write the title as plain text"),
        Problem("validation", "news/x.nl.md", "date", "'2026-02-30' is not a real date; "
                "write year-month-day, e.g. 2026-03-18"),
        Problem("validation", "news/x.nl.md", "domains", "unknown domain 'space'; use one of: "
                "biobased, high-tech, mobility"),
        Problem("validation", "news/x.nl.md", "link", "the link {filename}/pages/none.nl.md "
                "points to pages/none.nl.md, which does not exist; check the file name and "
                "folder"),
    ]


def test_head_links_of_a_page():
    html = ('<html><head><link rel="canonical" href="https://x.test/nl/a/">'
            '<link rel="alternate" hreflang="en" href="https://x.test/en/a/">'
            '<link rel="alternate" hreflang="nl" href="https://x.test/nl/a/">'
            '<LINK REL="alternate" HREFLANG="fr" HREF="https://x.test/fr/a/">'
            '<link rel="alternate" type="application/rss+xml" href="https://x.test/nl/rss.xml">'
            '<meta name="robots" content="noindex, follow"></head>'
            '<body><link rel="alternate" hreflang="de" href="https://x.test/de/a/"></body></html>')
    assert head_links(html) == ("https://x.test/nl/a/",
                                [("en", "https://x.test/en/a/"), ("fr", "https://x.test/fr/a/"),
                                 ("nl", "https://x.test/nl/a/")],
                                True)
    assert head_links("<p>no head</p>") == (None, [], False)


def test_absolute_html_for_feeds_and_mail():
    html = ('<p><a href="../b/">b</a> <img src="/images/c.png" alt=""> '
            '<a href="https://other.test/">o</a> <a href="mailto:x@y.test">m</a> '
            '<a href="?q=1&amp;r=2">q</a></p>')
    assert absolute_html(html, "https://x.test/portal/nl/nieuws/a/") == (
        '<p><a href="https://x.test/portal/nl/nieuws/b/">b</a> '
        '<img src="https://x.test/images/c.png" alt=""> '
        '<a href="https://other.test/">o</a> <a href="mailto:x@y.test">m</a> '
        '<a href="https://x.test/portal/nl/nieuws/a/?q=1&amp;r=2">q</a></p>')


def test_related_ranking_most_shared_then_newest_then_path():
    def news(rel, day, **meta):
        return SimpleNamespace(relative_source_path=rel, metadata=meta,
                               date=datetime.datetime(2026, 3, day))

    mine = news("news/mine.nl.md", 18, domains="high-tech, mobility", partners="pom-limburg")
    both = news("news/both.nl.md", 1, domains="mobility, high-tech")
    newer = news("news/newer.nl.md", 17, partners="pom-limburg")
    older = news("news/older.nl.md", 2, domains="mobility")
    same_day = news("news/a-same-day.nl.md", 2, domains="high-tech")
    unrelated = news("news/other.nl.md", 19, domains="biobased")
    items = [mine, both, newer, older, same_day, unrelated]
    keys = {id(i): _keys(i) for i in items}
    assert keys[id(mine)] == frozenset({("domains", "high-tech"), ("domains", "mobility"),
                                        ("partners", "pom-limburg")})
    holders = {}
    for i in items:
        for key in keys[id(i)]:
            holders.setdefault(key, []).append(i)
    order = {id(i): (-i.date.timestamp(), i.relative_source_path) for i in items}
    ranked = _rank(keys[id(mine)], holders, keys, order, 5)
    assert [i.relative_source_path for i in ranked] == [
        "news/mine.nl.md", "news/both.nl.md", "news/newer.nl.md", "news/a-same-day.nl.md",
        "news/older.nl.md"]


def test_the_head_of_a_page_is_read_whole_and_no_further(tmp_path):
    # The head is read in chunks of bytes; a character of several bytes may
    # straddle two chunks, and the body is never decoded.
    from sitemap.sitemap import read_head

    head = "<html><head>" + "<meta name=\"description\" content=\"één ‘grens’ €\">" * 40 + "</head>"
    page = tmp_path / "index.html"
    page.write_bytes(head.encode() + b"<body>\xff not text</body></html>")
    assert read_head(str(page), chunk=7) == head
    assert read_head(str(page)) == head
    page.write_text("<p>no head, é</p>", encoding="utf-8")
    assert read_head(str(page), chunk=3) == "<p>no head, é</p>"
