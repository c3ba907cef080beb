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

import os
from operator import attrgetter

from pelican import signals
from pelican.contents import Article, Page, Static
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator
from pelican.utils import get_date, set_date_tzinfo
from portal import model, problems
from portal.cache import Store, file_stamp, fingerprint

PLUGIN = "bilingual"


def use_model(pelican):
    """Pelican reads the folders the content model names: articles (dated
    kinds) and pages. The metadata kept from earlier builds is loaded."""
    settings = pelican.settings
    model.config(settings)  # unknown keys reported once, at the start
    _load_sources(settings)
    default = settings.get("DEFAULT_LANG", "nl")
    if default not in model.language_table(settings):
        problems.report(PLUGIN, "(settings)", "DEFAULT_LANG", f"{default!r} is not one of the "
                        "BILINGUAL languages " + ", ".join(model.language_table(settings)))
    articles, pages = model.content_paths(settings)
    # Each type leaves out the other's folders, as Pelican does when it reads
    # the settings file.
    for own, paths, other, other_paths in (("ARTICLE", articles, "PAGE", pages),
                                           ("PAGE", pages, "ARTICLE", articles)):
        before = settings.get(f"{own}_PATHS", [])
        excludes = [p for p in settings.get(f"{other}_EXCLUDES", []) if p not in before]
        settings[f"{other}_EXCLUDES"] = excludes + [p for p in paths if p not in excludes]
    settings["ARTICLE_PATHS"], settings["PAGE_PATHS"] = articles, pages


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


_item_conf = [None, None, None]  # settings, kinds and home of the items being made


def _conf_of(settings):
    """The kinds and the home page's key, once per build's settings rather
    than once per item."""
    if _item_conf[0] is not settings:
        _item_conf[:] = [settings, model.kinds(settings), model.config(settings)["home"]]
    return _item_conf[1], _item_conf[2]


def init_content(content):
    """Give every item its language, translation key and localized URL."""
    if isinstance(content, Static) or not isinstance(content, (Article, Page)):
        return
    kinds, home = _conf_of(content.settings)
    kind = content_kind(content)
    content.kind = kind
    content.translation_key = translation_key(content)
    content.file_lang = _file_lang(content)
    lang = content.lang
    section = kinds[kind].section(lang) if kind in kinds else ""
    content.metadata["section"] = section
    content.section = section
    content.counterpart = None
    content.single_language = str(
        content.metadata.get("single_language", "")
    ).lower() in {"true", "yes", "1"}
    if kind in kinds:
        inherit_neutral_fields(content, kinds[kind])
    if "template" not in content.metadata and kind in kinds and kinds[kind].template:
        content.template = kinds[kind].template
    if content.translation_key == home:
        content.override_url = f"{lang}/"
        content.override_save_as = f"{lang}/index.html"


_source_fields = {}  # path -> (file stamp, metadata lines) of default-language files
_sources_kept = {"changed": False}
SOURCES_FILE = "bilingual.pickle"


def _load_sources(settings):
    """The metadata lines read in earlier builds (each with its file's stamp):
    every translation reads its default-language file's, thousands per build."""
    _sources_kept["changed"] = False
    _source_fields.update(Store(settings, SOURCES_FILE).load(fingerprint(settings)) or {})


def _save_sources(settings):
    if _sources_kept["changed"]:
        Store(settings, SOURCES_FILE).save(fingerprint(settings), dict(_source_fields))
        _sources_kept["changed"] = False


def _metadata_of(path):
    """The metadata lines of a content file, read again only when it changed."""
    try:
        stamp = file_stamp(path)
    except OSError:
        return {}
    known = _source_fields.get(path)
    if known is None or known[0] != stamp:
        with open(path, encoding="utf-8", errors="replace") as handle:
            known = _source_fields[path] = (stamp, model.read_metadata(handle.read())[0])
        _sources_kept["changed"] = True
    return known[1]


_dates = {}  # (text, time zone) -> the date Pelican makes of it


def _date(text, timezone):
    key = (text, timezone)
    if key not in _dates:
        _dates[key] = set_date_tzinfo(get_date(text.replace("_", " ")), timezone)
    return _dates[key]


def inherit_neutral_fields(content, kind):
    """A translation takes the language-neutral fields (Date, Domains,
    Partners, ...) it does not give itself from the default language's file:
    an author writes them once. Where both give one, validation checks that
    they agree."""
    settings = content.settings
    default = settings.get("DEFAULT_LANG", "nl")
    if content.file_lang in (None, default) or not content.source_path:
        return
    folder, name = os.path.split(content.source_path)
    source = os.path.join(folder, f"{name.split('.', 1)[0]}.{default}.{name.rsplit('.', 1)[-1]}")
    given = _metadata_of(source)
    for field in kind.neutral_fields:
        if field in content.metadata or not given.get(field):
            continue
        value = given[field]
        if field in ("date", "modified"):
            try:
                value = _date(value, settings.get("TIMEZONE"))
            except (ValueError, TypeError):
                continue  # validation names the wrong date in its own file
        content.metadata[field] = value
        setattr(content, field, value)
        if field == "date":
            content.locale_date = value.strftime(content.date_format)


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


def _index(items, codes, kinds):
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
    for groups in by_lang.values():
        for kind, kind_items in groups.items():
            key, newest_first = model.sort_key(kinds.get(kind))
            kind_items.sort(key=key, reverse=newest_first)
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
    _save_sources(settings)
    codes = model.languages(settings)
    items = _all_items(generators)
    for path, field, message in pair_translations(items, codes):
        problems.report(PLUGIN, path, field, message)
    by_lang, by_key = _index(items, codes, model.kinds(settings))
    link_related(by_lang, by_key)
    table = model.language_table(settings)
    context["by_lang"] = by_lang
    context["by_key"] = by_key
    context["languages"] = codes
    context["language_names"] = {code: info["name"] for code, info in table.items()}
    context["html_langs"] = {code: info.get("html_lang", code) for code, info in table.items()}
    context["home_urls"] = {code: f"{code}/" for code in codes}
    model.languages_ready.send(generators)


class LanguagePagesGenerator(Generator):
    """Writes the per-language overview pages and the bilingual root pages."""

    def generate_context(self):
        self.listings = []
        for kind in model.kinds(self.settings).values():
            if kind.overview:
                self.listings += model.listings_in_every_language(
                    self.settings, kind.name, lambda code, k=kind: f"{code}/{k.section(code)}",
                    kind.overview)
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
    signals.initialized.connect(use_model)
    signals.content_object_init.connect(init_content)
    signals.all_generators_finalized.connect(finalize)
    signals.get_generators.connect(get_generators)
