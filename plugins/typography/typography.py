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

import logging
import re

import smartypants
from pelican import signals
from pelican.contents import Article, Page
from typogrify.filters import process_ignores, typogrify

logger = logging.getLogger(__name__)
LOG_PREFIX = "[typography]"

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


def _quotes_only_where_there_are_any(convert_quotes):
    """smartypants runs some fifteen regular expressions over every piece of
    text, each of which needs a ' or a " to change anything; most pieces have
    neither. Same result, a third of the typesetting time."""
    if getattr(convert_quotes, "skips_text_without_quotes", False):
        return convert_quotes

    def convert(text):
        if "'" not in text and '"' not in text:
            return text
        return convert_quotes(text)

    convert.skips_text_without_quotes = True
    convert.original = convert_quotes
    return convert


smartypants.convert_quotes = _quotes_only_where_there_are_any(smartypants.convert_quotes)


def get_settings(settings):
    user = settings.get("TYPOGRAPHY", {}) or {}
    for key in sorted(set(user) - set(DEFAULTS)):
        logger.error("%s unknown key %r in the TYPOGRAPHY setting", LOG_PREFIX, key)
    return dict(DEFAULTS, **user)


def _in_text(html, ignore_tags, change):
    """Apply `change` to the text of `html`: not to tags, not to ignored tags."""
    out = []
    for section, should_process in process_ignores(html, list(ignore_tags)):
        if not should_process:
            out.append(section)
            continue
        out += [part if TAG.fullmatch(part) else change(part) for part in TAG.split(section)]
    return "".join(out)


def _dashes(text):
    text = text.replace("---", "&#8212;")
    text = RANGE_DASH.sub("&#8211;", text)
    return SPACED_DASH.sub("&#8211;", text)


def _before_smartypants(text):
    return ELISION.sub("&#8217;", _dashes(text))


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


def typeset_content(content):
    if not isinstance(content, (Article, Page)):
        return
    conf = get_settings(content.settings)
    if conf["enabled"] and content._content:
        content._content = typeset(content._content, conf["ignore_tags"])


def register():
    signals.content_object_init.connect(typeset_content)
