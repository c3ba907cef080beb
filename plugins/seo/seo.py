"""Metadata for search engines and link previews, built in Python.

Templates get two filters (see `theme/templates/partials/head_meta.html`):

- `json_ld`: the page's schema.org data as the body of a
  `<script type="application/ld+json">`: an Organization for a partner, a
  NewsArticle for a news item, and a BreadcrumbList (home, overview, page)
  for every page but the home pages. Serialized with `json.dumps`; `<`, `>`
  and `&` are written as `\\u003c` etc., so no text can end the script.
- `og_locale`: the Open Graph locale (`nl_BE`) of a language code.
"""

import json

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.contents import Content
from portal import model
from portal.settings import plugin_settings

DEFAULTS = {
    # Open Graph locale per language code.
    "og_locales": {"nl": "nl_BE", "en": "en_GB"},
}
_build = {}  # this build's settings, taken when the templates are set up


get_settings = plugin_settings("SEO", DEFAULTS, "seo")


def script_json(data):
    """JSON that is safe inside a `<script>` element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)


def _plain(value):
    return Markup(str(value or "")).striptags()


def breadcrumbs(doc, context, conf):
    """Home > overview > page, as a BreadcrumbList (None on a home page)."""
    siteurl, lang = context["SITEURL"], doc.lang
    home = context["home_urls"][lang]
    if doc.url == home:
        return None
    gettext_in = context.environment.globals["gettext_in"]
    trail = [(gettext_in(lang, "Home"), home)]
    overview = context["listings"].get((getattr(doc, "kind", ""), lang))
    if overview is not None and overview.url != doc.url:
        trail.append((gettext_in(lang, conf["overview_names"][overview.kind]), overview.url))
    name = getattr(doc, "title", "")
    if not name and getattr(doc, "kind", "") in conf["overview_names"]:
        name = gettext_in(lang, conf["overview_names"][doc.kind])
    if not name:
        return None  # a generated page without a name of its own
    trail.append((str(name), doc.url))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": str(name),
             "item": f"{siteurl}/{url}"}
            for number, (name, url) in enumerate(trail, start=1)
        ],
    }


def main_entity(doc, context):
    """Organization for a partner, NewsArticle for a news item, else None."""
    if not isinstance(doc, Content):
        return None  # an overview page
    kind = getattr(doc, "kind", "")
    url = f"{context['SITEURL']}/{doc.url}"
    description = _plain(getattr(doc, "summary", ""))
    if kind == "partners":
        entity = {"@type": "Organization", "name": str(doc.title), "url": url}
    elif kind == "news":
        publisher = {"@type": "Organization", "name": context["SITENAME"],
                     "url": f"{context['SITEURL']}/"}
        entity = {
            "@type": "NewsArticle",
            "headline": str(doc.title),
            "url": url,
            "mainEntityOfPage": url,
            "inLanguage": context["html_langs"][doc.lang],
            "datePublished": doc.date.isoformat(),
            "dateModified": getattr(doc, "modified", doc.date).isoformat(),
            "author": {"@type": "Organization", "name": context["AUTHOR"]},
            "publisher": publisher,
        }
    elif getattr(doc, "schema_entity", None):
        entity = dict(doc.schema_entity)  # worked out by the plugin of its kind (agenda)
    else:
        return None
    # The share card of plugins/images: the lead image cropped, or a drawn card.
    card = (context.get("share_cards") or {}).get(doc.url)
    if card and kind == "news":
        entity["image"] = [card["url"]]
    if description:
        entity["description"] = str(description)
    return entity


@pass_context
def json_ld(context, doc):
    conf = _build["conf"]
    graph = [part for part in (main_entity(doc, context), breadcrumbs(doc, context, conf)) if part]
    if not graph:
        return ""
    return script_json({"@context": "https://schema.org", "@graph": graph})


@pass_context
def og_locale(context, lang):
    conf = _build["conf"]
    return conf["og_locales"].get(lang, lang)


def install(generator):
    # Each overview's breadcrumb name (an interface string) comes from the content model.
    _build["conf"] = dict(get_settings(generator.settings), overview_names={
        kind.name: kind.overview_name
        for kind in model.kinds(generator.settings).values() if kind.overview})
    generator.env.filters["json_ld"] = json_ld
    generator.env.filters["og_locale"] = og_locale


def register():
    signals.generator_init.connect(install)
