"""Typography for content bodies: curly quotes, dashes, no widows.

Pelican's own TYPOGRIFY also rewrites titles into HTML (`<span class="caps">`),
which an escaping theme then shows as code, so it stays off and this plugin
applies typogrify to rendered content only. Titles stay plain text.

Two rules are added for Dutch and English:
- Elisions take an apostrophe (’), never an opening quote (‘): `'s-Hertogenbosch`,
  `'s avonds`, `'t`, `'n`, `rock 'n' roll`, `'24`, `the '80s`. Smartypants sees
  a quote before a word and opens it; these are put right afterwards.
- Dashes: `--` between digits is a range (10–20), ` -- ` between words a
  spaced en dash, as both Dutch and British English set it; `---` stays an
  em dash.
Text inside `ignore_tags` (code, scripts) and inside tags (attributes) is
never changed.

The result holds characters (’ “ – …), not numeric references (&#8217;), as
the HTML sanitizer writes them: cleaning before or after typesetting gives the
same page.
"""

import functools
import re

import smartypants
from pelican import signals
from portal import pipeline
from portal.settings import plugin_settings
from typogrify import filters
from typogrify.filters import process_ignores, typogrify


DEFAULTS = {
    "enabled": True,
    # Tags whose text is never touched.
    "ignore_tags": ["pre", "code", "kbd", "samp", "script", "style", "svg", "math"],
}

# A straight quote not after a letter, before an elided letter or century:
# 's 't 'n 'k 'm 'r, '24, '80s (a letter after the quote ends a word).
ELISION = re.compile(r"(?<![^\W_])'(?=(?:[stnkmr]|\d\ds?)(?![^\W_]))")
TAG = re.compile(r"(<[^>]*>)")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
RANGE_DASH = re.compile(r"(?<=\d)--(?=\d)")
SPACED_DASH = re.compile(r"(?<=\s)--(?=\s)")
NUMERIC_REF = re.compile(r"&#(?:(\d+)|[xX]([0-9a-fA-F]+));")
# Kept as references: markup characters, and the no-break space (as &nbsp;).
KEEP_AS_REF = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\u00a0": "&nbsp;"}


def _skipped_unless(may_change):
    """Wrap a text function so it is not called on text where `may_change`
    finds nothing its rules start from. Smartypants and typogrify run many
    small regular expressions over every piece of text, and most pieces hold
    none of the characters a rule needs (a quote, "--", "...", a backslash,
    two capitals): the same result at a fraction of the time.

    `may_change` must be true wherever the function could change the text;
    when in doubt it says yes. The function itself stays the rule, and is kept
    as `.original`; `.may_change` can be replaced, to compare with the rule
    applied everywhere."""
    def wrap(function):
        if hasattr(function, "may_change"):  # the module was imported again
            return function

        @functools.wraps(function)
        def guarded(text):
            if guarded.may_change(text):
                return function(text)
            return text

        guarded.may_change = may_change
        guarded.original = function
        return guarded
    return wrap


# What each rule needs before it can change anything. Smartypants' rules
# replace the substrings named here, in each piece of text between tags.
# Typogrify's filters get the whole fragment and are tested there with a
# necessary part of their own pattern (amp and caps search pieces of the
# fragment, and a pattern without anchors, lookarounds or word boundaries that
# finds nothing in a text finds nothing in any piece of it either). Each test
# starts with a character to look for, which the regular expression engine
# skips to; the patterns themselves would be tried at every position.
# amp: an ampersand (&, &amp; or &#38;) before white space or &nbsp;.
AMP = re.compile(r"&(?:amp;|\#38;)?(?:\s|&nbsp;)")
# caps: two capitals with only digits between, or capitals with dots (D.O.T.).
CAPS = re.compile(r"[A-Z](?:\d*|\.\s?)[A-Z]")
# initial_quotes: an opening quote at the start, or after white space or a tag.
OPENING_QUOTES = ('"', "'", "&ldquo;", "&#8220;", "&lsquo;", "&#8216;")
QUOTE_AFTER_SPACE_OR_TAG = re.compile(r"[>\s](?:[\"']|&ldquo;|&\#8220;|&lsquo;|&\#8216;)")


def _may_open_with_quote(text):
    """The start is tested apart: a pattern that may match at the start is
    tried at every position, and this test runs on every fragment."""
    return text.startswith(OPENING_QUOTES) or QUOTE_AFTER_SPACE_OR_TAG.search(text)


smartypants.convert_quotes = _skipped_unless(
    lambda text: "'" in text or '"' in text)(smartypants.convert_quotes)
smartypants.convert_backticks = _skipped_unless(
    lambda text: "``" in text or "''" in text)(smartypants.convert_backticks)
smartypants.convert_dashes = _skipped_unless(
    lambda text: "--" in text)(smartypants.convert_dashes)
smartypants.convert_ellipses = _skipped_unless(
    lambda text: "..." in text or ". ." in text)(smartypants.convert_ellipses)
smartypants.process_escapes = _skipped_unless(
    lambda text: "\\" in text)(smartypants.process_escapes)
filters.amp = _skipped_unless(AMP.search)(filters.amp)
filters.caps = _skipped_unless(CAPS.search)(filters.caps)
filters.initial_quotes = _skipped_unless(_may_open_with_quote)(filters.initial_quotes)


# widont's own pattern, as typogrify writes it: the last white space before a
# closing block tag (or the end), after a word or an inline tag.
WIDONT = re.compile(
    r"((?:</?(?:a|em|span|strong|i|b)[^>]*>)|[^<>\s])"
    r"\s+([^<>\s]+\s*(</(a|em|span|strong|i|b)>\s*)*((</(p|h[1-6]|li|dt|dd)>)|$))")
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|dt|dd)>")
# Read backwards (on the reversed text) from a block end: white space and
# closing inline tags, the last word, the white space before it.
LAST_WORD_REVERSED = re.compile(r"(?:\s|>(?:a|me|naps|gnorts|i|b)/<)*[^<>\s]+\s+")


def _widont_from_block_ends(widont):
    """Typogrify's widont with its own pattern, tried only where it can match.

    The pattern starts with any character that is not white space or a tag
    bracket, so `re.sub` tries it at almost every position of the fragment,
    while a match ends only at a closing block tag or at the end. Read from
    there, a match is fixed: its start (group 1) is a word character or an
    inline tag just before the white space in front of the last word, the
    white space and the word are whole runs (neither can give characters back
    and still match), and between the word and the end there is only white
    space and closing inline tags (including a final newline, which `$` may
    also match before). So every position where the pattern matches is found
    by reading back from each closing block tag and from the end of the text;
    for an inline tag, every "<" since the previous ">" is taken, as the tag
    may hold a "<" and the leftmost one wins.

    At those positions, in order, the pattern itself is tried, each after the
    end of the previous match: the matches `re.sub` finds, leftmost and not
    overlapping, and the same text in their place, the white space between
    the groups becoming &nbsp;. The original stays as `.original`."""
    if hasattr(widont, "original"):  # the module was imported again
        return widont

    @functools.wraps(widont)
    def fast(text):
        reversed_text = text[::-1]
        size = len(text)
        starts = set()
        for end in [m.start() for m in BLOCK_END.finditer(text)] + [size]:
            found = LAST_WORD_REVERSED.match(reversed_text, size - end)
            if not found or found.end() == size:  # nothing before the white space
                continue
            before = size - found.end() - 1  # the last character of group 1
            if text[before] == ">":
                bracket = text.find("<", text.rfind(">", 0, before) + 1, before)
                while bracket != -1:
                    starts.add(bracket)
                    bracket = text.find("<", bracket + 1, before)
            elif text[before] != "<":
                starts.add(before)
        out, done, searched = [], 0, 0
        for start in sorted(starts):
            if start < searched:
                continue
            match = WIDONT.match(text, start)
            if match:
                out += [text[done:match.end(1)], "&nbsp;"]
                done, searched = match.start(2), match.end()
        out.append(text[done:])
        return "".join(out)

    fast.original = widont
    return fast


filters.widont = _widont_from_block_ends(filters.widont)


get_settings = plugin_settings("TYPOGRAPHY", DEFAULTS, "typography")


def _in_text(html, ignore_tags, change):
    """Apply `change` to the text of `html`: not to tags, not to ignored tags.

    Skipped where `change.may_change` finds nothing: on the whole fragment
    first, most fragments have no elision, dash or numeric reference."""
    if not change.may_change(html):
        return html
    out = []
    for section, should_process in process_ignores(html, list(ignore_tags)):
        if not should_process:
            out.append(section)
            continue
        # Splitting on a captured pattern alternates text and tag.
        parts = TAG.split(section)
        parts[::2] = map(change, parts[::2])
        out += parts
    return "".join(out)


def _dashes(text):
    text = text.replace("---", "&#8212;")
    text = RANGE_DASH.sub("&#8211;", text)
    return SPACED_DASH.sub("&#8211;", text)


@_skipped_unless(lambda text: "'" in text or "--" in text)
def _before_smartypants(text):
    return ELISION.sub("&#8217;", _dashes(text))


@_skipped_unless(lambda text: "&#" in text)
def _characters(text):
    """Numeric character references in text as the characters themselves."""
    def char(match):
        decimal, hexa = match.groups()
        try:
            found = chr(int(decimal) if decimal else int(hexa, 16))
        except (ValueError, OverflowError):
            return match.group(0)
        return KEEP_AS_REF.get(found, found)
    return NUMERIC_REF.sub(char, text)


def typeset(html, ignore_tags=DEFAULTS["ignore_tags"]):
    """Typeset an HTML fragment for Dutch or English readers."""
    if not html:
        return html
    # Smartypants would turn the dashes of an HTML comment into em dashes.
    comments = COMMENT.findall(html)
    html = COMMENT.sub("\x00", html)
    html = _in_text(html, ignore_tags, _before_smartypants)
    html = typogrify(html, list(ignore_tags))
    html = _in_text(html, ignore_tags, _characters)
    for comment in comments:
        html = html.replace("\x00", comment, 1)
    return html


@pipeline.body_step("typography", order=10)
def typeset_step(parts, settings):
    """The body (never the title or Summary fields) typeset."""
    conf = get_settings(settings)
    if conf["enabled"] and parts["content"]:
        parts["content"] = typeset(parts["content"], conf["ignore_tags"])
    return []


def register():
    signals.content_object_init.connect(pipeline.apply_to_item)
