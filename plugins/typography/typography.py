"""Typography for content bodies: curly quotes, dashes, no widows.

Pelican's own TYPOGRIFY also rewrites titles into HTML (`<span class="caps">`),
which an escaping theme then shows as code, so it stays off and this plugin
applies typogrify to rendered content only. Titles stay plain text.
"""

import logging

from pelican import signals
from pelican.contents import Article, Page
from typogrify.filters import typogrify

logger = logging.getLogger(__name__)
LOG_PREFIX = "[typography]"

DEFAULTS = {
    "enabled": True,
    # Tags whose text is never touched.
    "ignore_tags": ["pre", "code", "kbd", "script", "style", "svg"],
}


def get_settings(settings):
    user = settings.get("TYPOGRAPHY", {}) or {}
    for key in sorted(set(user) - set(DEFAULTS)):
        logger.error("%s unknown key %r in the TYPOGRAPHY setting", LOG_PREFIX, key)
    return dict(DEFAULTS, **user)


def typeset(html, ignore_tags=()):
    """Apply the typogrify filters to an HTML fragment."""
    if not html:
        return html
    return typogrify(html, list(ignore_tags))


def typeset_content(content):
    if not isinstance(content, (Article, Page)):
        return
    conf = get_settings(content.settings)
    if conf["enabled"] and content._content:
        content._content = typeset(content._content, conf["ignore_tags"])


def register():
    signals.content_object_init.connect(typeset_content)
