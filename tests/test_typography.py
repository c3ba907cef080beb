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


TRICKY = [
    # Quotes of all kinds, nested, at the start, alone between tags.
    '<p>He said "no" -- \'twice\'.</p>', "<p>plain text, no quotes</p>",
    '<p>"</p><p>\'</p>', "<p>a <em>\"quoted\"</em> 'word'</p>",
    "<p>\"'Quoted' words in a larger quote.\"</p>", "<p>'\"Quoted\" inside'</p>",
    '<h2>"Kop" met aanhalingstekens</h2>', "<li><a href=\"#\">'Link'</a> in een lijst</li>",
    "<p>&ldquo;al gekruld&rdquo; en &#8216;ook&#8217; en &lsquo;zo&rsquo;</p>",
    "<p>``backticks'' and `single' and ''two''</p>", "<p>Only ''two''</p>",
    '"Quote at the start" of a fragment', "<p> 'After a space'</p>", "<p>\n<em>\"Em\"</em></p>",
    # Dashes and ellipses.
    "<p>2022--2024, a -- b, a---b, a --- b, --begin en eind--</p>",
    "<p>Wacht... even. . . en .... of . . . . zo</p>", "<p>Spaced. . . only</p>",
    "<p>-- </p><p> --</p>",
    # Backslash escapes.
    r'<p>\\ \" \' \. \- \` and \--not a dash\...</p>', r"<p>One escape\. only</p>",
    # Ampersands and entities.
    "<p>One &amp; two & three &#38; four&nbsp;&amp;&nbsp;five, R&amp;D, &#169; &#xE9; &#8212;</p>",
    "<p>Four&nbsp;&amp;&nbsp;five</p>", "<p>Six &#38;&nbsp;seven</p>",
    '<p><a href="/?a=1&amp;b=2" title="x & y">A & B</a></p>', "<p>&#0; &#99999999999; &#x110000;</p>",
    # Capitals.
    "<p>NASA en de EU, POM Limburg, KU2 and 2KU2, D.O.T. and U. S. A., JIMMY'S</p>",
    "<h3>ALL CAPS HEADING</h3>", "<p>Type K2U</p>", "<p>The D.O.T. agency</p>",
    "<p>Visit the U. S. A. soon</p>", "<p><abbr title=\"Europese Unie\">EU</abbr>-beleid</p>",
    # Code, preformatted text, kbd, scripts, comments.
    "<p>Zie <code>'s -- \"x\" ... NASA & co</code> en</p><pre>'t -- 1--2 \"y\"</pre>",
    "<pre><code>a -- b\n'c' ... \\ NASA</code></pre><p>na -- code</p>",
    "<p><kbd>Ctrl -- 'C'</kbd> en <samp>\"uit\"</samp></p><script>var a = '--';</script>",
    "<p>a</p><!-- 's -- opmerking -- -->\n<p>b</p>", "<p>a <!-- x --> 'b'</p>",
    # Widows in headings, paragraphs, list items, after inline tags.
    "<h1>Een kop van vijf woorden</h1>", "<p>Alinea met <em>nadruk op het eind</em></p>",
    "<ul><li>Eerste punt hier</li><li>Tweede <a href=\"/x\">punt</a> </li></ul>",
    "<dl><dt>Term met woorden</dt><dd>Uitleg met woorden</dd></dl>", "Geen tags hier maar wel woorden",
    # Dutch and English elisions.
    "<p>'s-Hertogenbosch, 's avonds, 't Is zo'n dag, auto's, rock 'n' roll, '24, the '80s</p>",
    "<p>'k Heb 'm gezien, 'r is niks, 'tis, 'stop' en '240</p>",
]


def rendered_content(extensions=("extra", "toc", "meta")):
    """Every Markdown file of the site, rendered as the build renders it."""
    import markdown

    md = markdown.Markdown(extensions=list(extensions), output_format="html5")
    pages = []
    for path in sorted((ROOT / "content").rglob("*.md")) + sorted((ROOT / "docs").glob("*.md")):
        md.reset()
        pages.append(md.convert(path.read_text("utf-8")))
    return pages


def test_skipping_rules_where_they_cannot_apply_changes_nothing(monkeypatch):
    import smartypants
    from typogrify import filters

    from typography import typography

    pages = rendered_content() + TRICKY
    fast = [typeset(p) for p in pages]
    for module, name in [(smartypants, "convert_quotes"), (smartypants, "convert_backticks"),
                         (smartypants, "convert_dashes"), (smartypants, "convert_ellipses"),
                         (smartypants, "process_escapes"), (filters, "amp"), (filters, "caps"),
                         (filters, "initial_quotes"), (filters, "widont")]:
        monkeypatch.setattr(module, name, getattr(module, name).original)
    for change in (typography._before_smartypants, typography._characters):
        monkeypatch.setattr(change, "may_change", lambda text: True)
    assert [typeset(p) for p in pages] == fast


# Pieces of HTML the widont pattern turns on: words, every kind of white
# space, the block and inline tags it names, tags it does not name, tags that
# begin like a named one, and stray brackets.
WIDONT_TOKENS = [
    "word", "x", "'s", "&nbsp;", "&amp;", " ", "  ", "\t", "\n", "\u00a0",
    "<p>", "</p>", "<h2>", "</h2>", "</h6>", "<li>", "</li>", "<dt>", "</dt>", "</dd>",
    '<a href="x">', "</a>", "<em>", "</em>", "<span>", "</span>", "<b>", "</b>",
    "<i>", "</i>", "<strong>", "</strong>", "<br>", "<abbr>", "</abbr>", "<div>",
    "</div>", "<pre>", "</pre>", "</ul>", "<", ">", "</", "<a", "<b x", "</p",
]


def widont_cases(count=4000, seed=20250611):
    import random

    rng = random.Random(seed)
    for _ in range(count):
        text = "".join(rng.choice(WIDONT_TOKENS) for _ in range(rng.randint(0, 24)))
        yield text + rng.choice(["", "", "\n", "\n\n", " ", "</p>\n"])


def test_fast_widont_gives_what_typogrify_gives(monkeypatch):
    """Widont is tried only where its pattern can match; on every text it
    must give what typogrify's own widont gives."""
    import ast
    import doctest

    from typogrify import filters

    from typography import typography  # noqa: F401 (installs the fast widont)

    fast, original = filters.widont, filters.widont.original
    assert fast is not original
    # Typogrify looks the filter up when it runs: replacing it takes effect.
    seen = []
    monkeypatch.setattr(filters, "widont", lambda text: seen.append(text) or fast(text))
    assert filters.typogrify("<p>Een kop van woorden</p>") == "<p>Een kop van&nbsp;woorden</p>"
    assert seen == ["<p>Een kop van woorden</p>"]

    # Without "meta" the metadata lines are paragraphs too.
    pages = rendered_content(("extra", "toc"))
    assert pages
    examples = doctest.DocTestParser().get_examples(original.__doc__)
    samples = [ast.literal_eval(example.source.strip()[len("widont("):-1])
               for example in examples]
    assert len(samples) >= 10
    for text in pages + TRICKY + samples + list(widont_cases()):
        assert fast(text) == original(text), text
