"""Raw HTML in Markdown is cleaned with nh3: no scripts reach the site.

Python-Markdown passes raw HTML through, so a pasted `<script>`, an `onclick=`
handler or a `javascript:` link would end up on the page. Every rendered
content body is cleaned with nh3 (an allow-list of tags and attributes), and
those three, which are never needed in an article, are also reported as errors
naming the file, so the author removes them from the source.
"""

import re

import nh3
from pelican import signals
from portal import pipeline
from portal.settings import plugin_settings


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


get_settings = plugin_settings("SANITIZE", DEFAULTS, "sanitize")


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


def danger_message(name):
    return (f"the text contains {name}; remove it (scripts are not allowed in content, "
            "it was taken out)")


def sanitize_parts(parts, conf=DEFAULTS):
    """Clean `{field: html}`; returns the cleaned parts and the (field, danger)
    pairs found."""
    found = [(field, name) for field, html in parts.items() for name in dangers(html)]
    return {field: clean(html, conf) for field, html in parts.items()}, found


@pipeline.body_step("sanitize", order=20)
def sanitize_step(parts, settings):
    """Body and Summary cleaned; what was taken out is reported on every build."""
    if not parts["content"]:
        return []
    cleaned, found = sanitize_parts(parts, get_settings(settings))
    parts.update(cleaned)
    return [(field, danger_message(name)) for field, name in found]


def register():
    signals.content_object_init.connect(pipeline.apply_to_item)
