"""Bilingual site model: every item in Dutch and English, in one Pelican run.

- The language of a content file is the part of its name before `.md`
  (`charter.nl.md`); files with the same name in the same folder are each
  other's translation (the *translation key* is `folder/name`).
- Every URL starts with the language: `/nl/...`, `/en/...`; the folder (the
  content *kind*) gives a localized section (`news` -> `nieuws/` or `news/`).
- Each language gets its own list pages (news, partners, domains, editions),
  and the site root is a small bilingual chooser.
- Every page knows its counterpart in the other language, so the theme can
  link it and emit reciprocal hreflang alternates.
"""

import logging
import os
from dataclasses import dataclass, field
from operator import attrgetter

from blinker import signal
from pelican import signals
from pelican.contents import Article, Page, Static
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator

logger = logging.getLogger(__name__)
LOG_PREFIX = "[bilingual]"

# Sent (with the list of generators) once translations are paired and the
# context holds `by_lang` and `by_key`. Pelican calls the receivers of one
# signal in no fixed order, so plugins that need these connect here rather
# than to all_generators_finalized.
languages_ready = signal("bilingual_languages_ready")

DEFAULTS = {
    # Language code -> display name and the value of <html lang>.
    "languages": {
        "nl": {"name": "Nederlands", "html_lang": "nl"},
        "en": {"name": "English", "html_lang": "en"},
    },
    # Content folder -> URL section per language ("" = directly under /lang/).
    "sections": {
        "news": {"nl": "nieuws/", "en": "news/"},
        "pages": {"nl": "", "en": ""},
        "partners": {"nl": "partners/", "en": "partners/"},
        "domains": {"nl": "domeinen/", "en": "domains/"},
        "editions": {"nl": "nieuwsbrief/", "en": "newsletter/"},
        "tips": {"nl": "groeitips/", "en": "growth-tips/"},
        "events": {"nl": "agenda/", "en": "agenda/"},
    },
    # Template per content folder, unless a file names its own `template`.
    "templates": {
        "partners": "partner",
        "domains": "domain",
        "editions": "edition",
        "tips": "tip",
        "events": "event",
    },
    # The page whose translations are the home pages, at /nl/ and /en/.
    "home": "pages/home",
    # Kinds that get an overview page per language, with its template.
    "overviews": {
        "news": "news_list",
        "partners": "partners",
        "domains": "domains",
        "editions": "editions",
        "events": "agenda",
    },
}

SETTINGS_KEYS = set(DEFAULTS)


def get_settings(settings):
    """The plugin settings: BILINGUAL merged over DEFAULTS, unknown keys reported."""
    user = settings.get("BILINGUAL", {}) or {}
    for key in sorted(set(user) - SETTINGS_KEYS):
        logger.error("%s unknown key %r in the BILINGUAL setting", LOG_PREFIX, key)
    merged = dict(DEFAULTS, **user)
    default = settings.get("DEFAULT_LANG", "nl")
    if default not in merged["languages"]:
        logger.error(
            "%s DEFAULT_LANG %r is not one of the BILINGUAL languages %s",
            LOG_PREFIX,
            default,
            ", ".join(merged["languages"]),
        )
    return merged


def languages(settings):
    """Language codes, the default language first."""
    codes = list(get_settings(settings)["languages"])
    default = settings.get("DEFAULT_LANG", codes[0])
    return sorted(codes, key=lambda code: code != default)


@dataclass
class Listing:
    """A generated page (an overview or list) that exists in every language.

    It quacks like a content page where the theme needs it: `lang`, `url`,
    `save_as`, `title` and `translations`.
    """

    kind: str
    lang: str
    url: str
    save_as: str
    template: str
    title: str = ""
    translations: list = field(default_factory=list)

    num_pages: int = 1

    @property
    def counterpart(self):
        return self.translations[0] if self.translations else None

    def page_url(self, number):
        """URL of page `number` of this list (page 1 is the list itself);
        a page this list does not have falls back to page 1."""
        if number <= 1 or number > self.num_pages:
            return self.url
        return f"{self.url}{number}/"


def content_kind(content):
    """The content folder an item comes from (`news`, `pages`, ...)."""
    rel = content.get_relative_source_path() or ""
    return rel.split("/", 1)[0] if "/" in rel else ""


def translation_key(content):
    """`folder/name` of the source file without language and extension."""
    rel = content.get_relative_source_path() or ""
    folder, filename = os.path.split(rel)
    name = filename.split(".", 1)[0]
    return f"{folder}/{name}" if folder else name


def _file_lang(content):
    """The language code written in the file name, or None."""
    filename = os.path.basename(content.source_path or "")
    parts = filename.split(".")
    return parts[-2] if len(parts) >= 3 else None


_item_conf = [None, None]  # (settings, get_settings(settings)) of the items being made


def _conf_of(settings):
    """`get_settings` once per build's settings, not once per item (which also
    reported a wrong key thousands of times)."""
    if _item_conf[0] is not settings:
        _item_conf[:] = [settings, get_settings(settings)]
    return _item_conf[1]


def init_content(content):
    """Give every item its language, translation key and localized URL."""
    if isinstance(content, Static) or not isinstance(content, (Article, Page)):
        return
    conf = _conf_of(content.settings)
    kind = content_kind(content)
    content.kind = kind
    content.translation_key = translation_key(content)
    content.file_lang = _file_lang(content)
    lang = content.lang
    sections = conf["sections"].get(kind, {})
    section = sections.get(lang, "")
    content.metadata["section"] = section
    content.section = section
    content.counterpart = None
    content.single_language = str(
        content.metadata.get("single_language", "")
    ).lower() in {"true", "yes", "1"}
    if "template" not in content.metadata and kind in conf["templates"]:
        content.template = conf["templates"][kind]
    if content.translation_key == conf["home"]:
        content.override_url = f"{lang}/"
        content.override_save_as = f"{lang}/index.html"


def _all_items(generators):
    """Every published or hidden article and page, across the generators."""
    items = []
    for gen in generators:
        if isinstance(gen, ArticlesGenerator):
            items += gen.articles + gen.translations
            items += gen.hidden_articles + gen.hidden_translations
        elif isinstance(gen, PagesGenerator):
            items += gen.pages + gen.translations
            items += gen.hidden_pages + gen.hidden_translations
    return items


def _missing_text(item, code, group):
    """What to do about a missing `code` version of `item`, in words for authors."""
    folder = os.path.dirname(item.relative_source_path)
    stem = os.path.basename(item.relative_source_path).split(".", 1)[0]
    counterpart = f"{folder}/{stem}.{code}.md"
    for other in group:
        if getattr(other, "file_lang", None) == code:
            return (f"{other.relative_source_path} should be the {code} version but its Lang "
                    f"field says {other.lang!r}")
    if os.path.exists(os.path.join(os.path.dirname(item.source_path), f"{stem}.{code}.md")):
        return (f"the {code} version {counterpart} could not be built; fix the problems "
                "reported for that file")
    return f"there is no {code} version; add {counterpart} or set 'single_language: true'"


def pair_translations(items, codes):
    """Link each item to its counterparts; return a list of problems.

    Each problem is `(source_path, field, message)`, worded for the author.
    """
    problems = []
    groups = {}
    for item in items:
        groups.setdefault(item.translation_key, []).append(item)
    for key, group in sorted(groups.items()):
        by_lang = {}
        for item in group:
            by_lang.setdefault(item.lang, []).append(item)
        for lang, same in by_lang.items():
            if len(same) > 1:
                paths = " and ".join(sorted(i.relative_source_path for i in same))
                for item in same:
                    problems.append(
                        (
                            item.relative_source_path,
                            "lang",
                            f"two files claim the {lang} version of {key!r}: {paths}",
                        )
                    )
        for item in group:
            item.translations = [
                other for other in group if other.lang != item.lang
            ]
            item.translations.sort(key=lambda other: codes.index(other.lang)
                                   if other.lang in codes else len(codes))
            item.counterpart = item.translations[0] if item.translations else None
            missing = [
                code for code in codes if code != item.lang and code not in by_lang
            ]
            if missing and not item.single_language and item.lang in codes:
                for code in missing:
                    problems.append(
                        (item.relative_source_path, "translation", _missing_text(item, code, group))
                    )
    return problems


def _order(item):
    """The `Order` of an item; one that is not a number (reported by the
    validation plugin) sorts last instead of stopping the build."""
    try:
        return int(item.metadata.get("order", 100))
    except (TypeError, ValueError):
        return 100


def _index(items, codes):
    """Items per language and kind, plus lookup by translation key."""
    by_lang = {code: {} for code in codes}
    by_key = {}
    # Pelican finds files in no fixed order: items of the same date stay in
    # file-name order, so that every build lists them the same way.
    for item in sorted(items, key=attrgetter("relative_source_path")):
        if item.lang not in by_lang:
            continue
        by_lang[item.lang].setdefault(item.kind, []).append(item)
        by_key.setdefault(item.translation_key, {})[item.lang] = item
    for kinds in by_lang.values():
        for kind, kind_items in kinds.items():
            if kind == "news" or kind == "editions":
                kind_items.sort(key=attrgetter("date"), reverse=True)
            else:
                kind_items.sort(key=lambda i: (_order(i), i.title))
    return by_lang, by_key


def _resolve(item, field_name, kind, by_key):
    """Turn a metadata list of keys (`domains: high-tech, mobility`) into
    same-language items, keeping the author's order."""
    raw = item.metadata.get(field_name, "")
    keys = [k.strip() for k in raw.split(",")] if isinstance(raw, str) else list(raw)
    found = []
    for key in filter(None, keys):
        other = by_key.get(f"{kind}/{key}", {}).get(item.lang)
        if other is not None:
            found.append(other)
    return found


def link_related(by_lang, by_key):
    """Cross-links within one language: news <-> domains and partners."""
    for kinds in by_lang.values():
        for item in [i for group in kinds.values() for i in group]:
            item.domain_items = _resolve(item, "domains", "domains", by_key)
            item.partner_items = _resolve(item, "partners", "partners", by_key)
            item.news_items = []
            # Editions bundle news items and growth tips by their keys.
            item.edition_news = _resolve(item, "news", "news", by_key)
            item.edition_tips = _resolve(item, "tips", "tips", by_key)
        for news in kinds.get("news", []):
            for target in news.domain_items + news.partner_items:
                target.news_items.append(news)


def finalize(generators):
    """After all content is read: pair translations, index and cross-link."""
    settings = generators[0].settings
    context = generators[0].context
    codes = languages(settings)
    items = _all_items(generators)
    for problem in pair_translations(items, codes):
        logger.error("%s %s: %s: %s", LOG_PREFIX, *problem)
    by_lang, by_key = _index(items, codes)
    link_related(by_lang, by_key)
    context["by_lang"] = by_lang
    context["by_key"] = by_key
    context["languages"] = codes
    context["language_names"] = {
        code: info["name"]
        for code, info in get_settings(settings)["languages"].items()
    }
    context["html_langs"] = {
        code: info.get("html_lang", code)
        for code, info in get_settings(settings)["languages"].items()
    }
    context["home_urls"] = {code: f"{code}/" for code in codes}
    languages_ready.send(generators)


class LanguagePagesGenerator(Generator):
    """Writes the per-language overview pages and the bilingual root pages."""

    def generate_context(self):
        conf = get_settings(self.settings)
        codes = languages(self.settings)
        self.listings = []
        for kind, template in conf["overviews"].items():
            group = []
            for code in codes:
                url = f"{code}/{conf['sections'][kind][code]}"
                group.append(
                    Listing(
                        kind=kind,
                        lang=code,
                        url=url,
                        save_as=f"{url}index.html",
                        template=template,
                    )
                )
            for listing in group:
                listing.translations = [o for o in group if o is not listing]
            self.listings += group
        self.context["listings"] = {
            (listing.kind, listing.lang): listing for listing in self.listings
        }

    def generate_output(self, writer):
        by_lang = self.context.get("by_lang", {})
        per_page = self.settings.get("DEFAULT_PAGINATION") or 0
        for listing in self.listings:
            items = by_lang.get(listing.lang, {}).get(listing.kind, [])
            paginated = listing.template in self.settings.get("PAGINATED_TEMPLATES", {})
            if paginated and per_page:
                listing.num_pages = max(1, -(-len(items) // per_page))
        for listing in self.listings:
            items = by_lang.get(listing.lang, {}).get(listing.kind, [])
            writer.write_file(
                listing.save_as,
                self.get_template(listing.template),
                self.context,
                paginated={"articles": items},
                template_name=listing.template,
                url=listing.url,
                page=listing,
                items=items,
                lang=listing.lang,
            )
        for name, template in (("index.html", "chooser"), ("404.html", "404")):
            writer.write_file(
                name,
                self.get_template(template),
                self.context,
                lang=self.settings.get("DEFAULT_LANG", "nl"),
                output_name=name,
            )


def get_generators(pelican):
    return LanguagePagesGenerator


def register():
    signals.content_object_init.connect(init_content)
    signals.all_generators_finalized.connect(finalize)
    signals.get_generators.connect(get_generators)
