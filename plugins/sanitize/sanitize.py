"""Raw HTML in Markdown is cleaned with nh3: no scripts reach the site.

Python-Markdown passes raw HTML through, so a pasted `<script>`, an `onclick=`
handler or a `javascript:` link would end up on the page. Every rendered
content body is cleaned with nh3 (an allow-list of tags and attributes), and
those three, which are never needed in an article, are also reported as errors
naming the file, so the author removes them from the source.
"""

import logging
import re

import nh3
from pelican import signals
from pelican.contents import Static

logger = logging.getLogger(__name__)
LOG_PREFIX = "[sanitize]"

DEFAULTS = {
    # Attributes allowed on every element (on top of nh3's defaults per tag).
    "generic_attributes": ["id", "class", "lang", "title", "dir"],
    "generic_attribute_prefixes": ["aria-"],
    # Extra attributes per tag.
    "attributes": {"a": ["rel"],
                   "img": ["loading", "decoding", "fetchpriority", "srcset", "sizes"],
                   "source": ["type", "srcset", "sizes", "media", "width", "height"]},
    # Tags allowed on top of nh3's defaults (responsive images, plugins/images).
    "tags": ["picture", "source"],
}

DANGERS = [
    (re.compile(r"<\s*script\b", re.I), "a <script> element"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "an event handler attribute (on...=)"),
    (re.compile(r"<[^>]*\b(?:href|src|action|formaction)\s*=\s*[\"']?\s*javascript:", re.I),
     "a javascript: link"),
]


def get_settings(settings):
    user = settings.get("SANITIZE", {}) or {}
    for key in sorted(set(user) - set(DEFAULTS)):
        logger.error("%s unknown key %r in the SANITIZE setting", LOG_PREFIX, key)
    return dict(DEFAULTS, **user)


def clean(html, conf=DEFAULTS):
    """`html` with only allowed tags, attributes and URL schemes left."""
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = set(conf["generic_attributes"])
    for tag, names in conf["attributes"].items():
        attributes.setdefault(tag, set()).update(names)
    return nh3.clean(
        html,
        tags=set(nh3.ALLOWED_TAGS) | set(conf["tags"]),
        attributes=attributes,
        generic_attribute_prefixes=set(conf["generic_attribute_prefixes"]),
        link_rel=None,
    )


def dangers(html):
    """Plain-word names of the dangerous things in `html`."""
    return [name for pattern, name in DANGERS if pattern.search(html)]


def report(relative_path, field, name):
    logger.error(
        "%s %s: %s: the text contains %s; remove it (scripts are not allowed "
        "in content, it was taken out)",
        LOG_PREFIX,
        relative_path,
        field,
        name,
    )


def sanitize_parts(parts, conf=DEFAULTS):
    """Clean `{field: html}`; returns the cleaned parts and the (field, danger)
    pairs found, for `report`."""
    found = [(field, name) for field, html in parts.items() for name in dangers(html)]
    return {field: clean(html, conf) for field, html in parts.items()}, found


def sanitize_content(content):
    if isinstance(content, Static) or not getattr(content, "_content", None):
        return
    conf = get_settings(content.settings)
    # A summary written in the metadata is rendered Markdown too.
    has_summary = "summary" in content.metadata and getattr(content, "_summary", None)
    parts = {"content": content._content}
    if has_summary:
        parts["summary"] = content._summary
    cleaned, found = sanitize_parts(parts, conf)
    for field, name in found:
        report(content.relative_source_path, field, name)
    content._content = cleaned["content"]
    if has_summary:
        content._summary = cleaned["summary"]
        content.metadata["summary"] = content._summary


def register():
    signals.content_object_init.connect(sanitize_content)
