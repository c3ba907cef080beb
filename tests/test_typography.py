"""Typography of content bodies, in Dutch and English, without breaking markup."""

import html

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, page
from typography.typography import typeset


def text_of(fragment):
    """What a reader sees: entities resolved, tags dropped."""
    return BeautifulSoup(typeset(fragment), "html.parser").get_text()


@pytest.mark.parametrize("source, expected", [
    # Dutch elisions take an apostrophe, also at the start of a word.
    ("'s-Hertogenbosch", "’s-Hertogenbosch"),
    ("'s avonds en 's morgens", "’s avonds en ’s\u00a0morgens"),
    ("'t Is zo'n dag", "’t Is zo’n\u00a0dag"),
    ("auto's en foto's", "auto’s en\u00a0foto’s"),
    ("De jaren '90", "De jaren\u00a0’90"),
    # English: possessives, decades, rock 'n' roll.
    ("Limburg's productivity", "Limburg’s\u00a0productivity"),
    ("in the '80s", "in the\u00a0’80s"),
    ("rock 'n' roll", "rock ’n’\u00a0roll"),
])
def test_apostrophes(source, expected):
    assert text_of(f"<p>{source}</p>") == expected


@pytest.mark.parametrize("source, expected", [
    ("zij zei 'welkom' vandaag", "zij zei ‘welkom’\u00a0vandaag"),
    ("'stop' is a word", "‘stop’ is a\u00a0word"),
    ('"Samen groeien" over de grens', "“Samen groeien” over de\u00a0grens"),
])
def test_quotes_open_and_close(source, expected):
    assert text_of(f"<p>{source}</p>") == expected


@pytest.mark.parametrize("source, expected", [
    ("2022--2024 was het", "2022–2024 was\u00a0het"),
    ("de kloof -- nog altijd -- groot", "de kloof – nog altijd –\u00a0groot"),
    ("zo---dus", "zo—dus"),
])
def test_dashes(source, expected):
    assert text_of(f"<p>{source}</p>") == expected


# Typogrify wraps these in spans, for styling; every other tag stays as it was.
ADDED_SPANS = {"amp", "caps", "quo", "dquo"}


def structure(fragment):
    soup = BeautifulSoup(fragment, "html.parser")
    return [
        (tag.name, sorted((k, str(v)) for k, v in tag.attrs.items()))
        for tag in soup.find_all(True)
        if not (tag.name == "span" and set(tag.get("class", [])) <= ADDED_SPANS)
    ]


@pytest.mark.parametrize("fragment", [
    '<p><a href="https://example.test/a--b?x=1&amp;y=\'2\'" title="auto\'s &quot;x&quot;">De auto\'s</a></p>',
    "<p>Zie <code>'s -- \"x\"</code> en</p><pre>'t -- 1--2 \"y\"</pre>",
    "<p>a</p><!-- 's -- opmerking -- -->\n<p>b</p>",
    '<ul><li><em>\'s</em>-Hertogenbosch &amp; "Eindhoven"</li></ul>',
    '<table><tr><th scope="row">2024</th><td>13,2%</td></tr></table>',
])
def test_markup_is_never_changed(fragment):
    result = typeset(fragment)
    assert structure(result) == structure(fragment)
    # Code and comments keep every character.
    for literal in ("'s -- \"x\"", "'t -- 1--2 \"y\"", "<!-- 's -- opmerking -- -->"):
        if literal in html.unescape(fragment):
            assert literal in result


def test_content_is_typeset_and_titles_stay_plain(fixture_site):
    site = fixture_site({
        "pages/city.nl.md": page("De auto's van NASA", "In 's-Hertogenbosch rijden \"auto's\".", slug="stad"),
        "pages/city.en.md": page("NASA's cars", "Cars in '80s Eindhoven -- a story.", slug="city"),
    })
    nl = site.soup("nl/stad/")
    assert nl.h1.find_all(True) == [] and nl.h1.get_text() == "De auto's van NASA"
    assert "In ’s-Hertogenbosch rijden\u00a0“auto’s”." in nl.select_one(".content__body").get_text()
    en = site.soup("en/city/")
    assert en.title.get_text().startswith("NASA's cars")
    assert "Cars in ’80s Eindhoven – a\u00a0story." in en.select_one(".content__body").get_text()


def test_skipping_text_without_quotes_changes_nothing(monkeypatch):
    import markdown
    import smartypants

    samples = [(ROOT / "content").rglob("*.md"), (ROOT / "docs").glob("*.md")]
    pages = [markdown.markdown(p.read_text("utf-8"), extensions=["extra"])
             for group in samples for p in sorted(group)]
    pages += ['<p>He said "no" -- \'twice\'.</p>', "<p>plain text, no quotes</p>",
              '<p>"</p><p>\'</p>', "<p>a <em>\"quoted\"</em> 'word'</p>"]
    fast = [typeset(p) for p in pages]
    monkeypatch.setattr(smartypants, "convert_quotes", smartypants.convert_quotes.original)
    assert [typeset(p) for p in pages] == fast
