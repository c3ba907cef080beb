"""The content model: one table of what the site is made of.

A content *kind* is a folder of `content/` (`news`, `partners`, ...). Its row
in `KINDS` says everything the plugins, the theme and the author tools need:
where its pages live in each language, which templates show it, which fields
it requires or allows, which of them are the same in every language, and how
its lists are sorted. The languages come from the `BILINGUAL` setting's
`languages` (Dutch, the default, and English here).

To add a kind, add a row (or give one in `BILINGUAL = {"kinds": {...}}`),
then its content and, for a list page, a template. To add a language, add it
to `BILINGUAL["languages"]` with the URL sections of its kinds and give the
theme a catalog for it.

What the bilingual plugin puts in the template context after reading (see
`SiteModel`): `by_lang` ({language: {kind: [items]}}), `by_key`
({translation key: {language: item}}), `listings` ({(kind, language): list
page}), `languages`, `language_names`, `html_langs`, `home_urls`.
"""

import fnmatch
import os
import re
from dataclasses import dataclass, field, replace

from blinker import signal

from . import settings as portal_settings

# Sent with the list of generators once translations are paired and the
# context holds the site model. Pelican calls the receivers of one signal in
# no fixed order, so plugins that read the model connect here.
languages_ready = signal("portal_languages_ready")
# Sent with the list of generators once `data` (content/data/*.toml) is in the
# context.
data_ready = signal("portal_data_ready")

# Fields every kind may carry; the lead image's (plugins/images) among them.
COMMON_FIELDS = (
    "title", "slug", "summary", "lang", "status", "template", "single_language",
    "date", "modified", "author", "authors", "order", "save_as", "url",
    "image", "image_alt", "image_caption", "image_credit",
    # The source commit a translation was brought in step with (make i18n-in-step).
    "in_step_with",
)
# Fields of every kind that are the same in each language.
COMMON_NEUTRAL = ("image",)
# Values a field may take, where the list is fixed.
FIELD_VALUES = {
    "side": ("nl", "be"),
    "status": ("published", "hidden", "draft"),
}
META_LINE = re.compile(r"^(?P<key>[A-Za-z][\w-]*)\s*:\s*(?P<value>.*)$")
# The texts `make newpost` writes for the author to replace, per language. An
# item that still holds one is not finished: `make html` warns, `make publish`
# refuses it.
PLACEHOLDERS = {
    "body": {"nl": "Schrijf hier de tekst van het bericht.",
             "en": "Write the text of the item here."},
    "summary": {"nl": "Vat het bericht hier samen in één zin.",
                "en": "Sum up the item here in one sentence."},
    # Before the Dutch title, in a translation whose title is not given yet.
    "title": {"nl": "Vertaal deze titel:", "en": "Translate this title:"},
}
# Fields whose value is a list of keys: the field -> the kind whose files they name.
KEY_FIELDS = {"domains": "domains", "partners": "partners", "news": "news", "tips": "tips"}


@dataclass(frozen=True)
class Kind:
    """One content folder and everything that follows from it."""

    name: str
    # URL section per language ("" = directly under /<lang>/).
    sections: dict
    # "article" (dated, in feeds) or "page".
    pelican_type: str = "page"
    # Template of an item, unless the file names its own `Template`.
    template: str = ""
    # Template of the overview page per language, if the kind has one, and its
    # name in breadcrumbs (an interface string).
    overview: str = ""
    overview_name: str = ""
    required: tuple = ("title",)
    optional: tuple = ()
    # Fields that are the same in every language.
    neutral: tuple = ()
    # Lists: "date" (newest first) or "order" (Order, then title).
    sort: str = "order"
    # Fields a new item of this kind starts with (`make newpost`), besides Title.
    scaffold: tuple = ("Summary",)

    def section(self, lang):
        return self.sections.get(lang, self.sections.get("*", f"{self.name}/"))

    @property
    def neutral_fields(self):
        return tuple(dict.fromkeys(self.neutral + COMMON_NEUTRAL))

    @property
    def fields(self):
        return frozenset(COMMON_FIELDS) | frozenset(self.required) | frozenset(self.optional)


KINDS = {
    "news": Kind(
        "news", {"nl": "nieuws/", "en": "news/"}, pelican_type="article",
        overview="news_list", overview_name="News",
        required=("title", "date"), optional=("domains", "partners", "figures"),
        neutral=("date", "domains", "partners", "figures"), sort="date",
        scaffold=("Date", "Domains", "Partners", "Summary"),
    ),
    "pages": Kind("pages", {"*": ""}, neutral=("order",)),
    "partners": Kind(
        "partners", {"*": "partners/"}, template="partner",
        overview="partners", overview_name="Partners",
        required=("title", "side"), optional=("domains",),
        neutral=("side", "order", "domains"),
    ),
    "domains": Kind(
        "domains", {"nl": "domeinen/", "en": "domains/"}, template="domain",
        overview="domains", overview_name="Focus domains",
        optional=("partners",), neutral=("order", "partners"),
    ),
    "editions": Kind(
        "editions", {"nl": "nieuwsbrief/", "en": "newsletter/"}, template="edition",
        overview="editions", overview_name="Newsletter editions",
        required=("title", "date"), optional=("news", "tips"),
        neutral=("date", "news", "tips"), sort="date",
        scaffold=("Date", "News", "Tips", "Summary"),
    ),
    "tips": Kind(
        "tips", {"nl": "groeitips/", "en": "growth-tips/"}, template="tip",
        optional=("partners", "domains"), neutral=("order", "partners", "domains"),
    ),
    # Start and End are read and checked further by plugins/agenda.
    "events": Kind(
        "events", {"*": "agenda/"}, template="event",
        overview="agenda", overview_name="Events",
        required=("title", "start"), optional=("end", "location", "domains", "partners", "news"),
        neutral=("start", "end", "domains", "partners", "news"),
        scaffold=("Start", "End", "Location", "Domains", "Partners", "News", "Summary"),
    ),
}

# Pages that are not content items, with their URL section per language.
GENERATED_SECTIONS = {
    "search": {"nl": "zoeken/", "en": "search/"},
}

LANGUAGES = {
    "nl": {"name": "Nederlands", "html_lang": "nl"},
    "en": {"name": "English", "html_lang": "en"},
}

DEFAULTS = {
    # Language code -> name, <html lang> value and, for kinds and generated
    # pages that have no section of their own in this language, `sections`.
    "languages": LANGUAGES,
    # Kind name -> fields of `Kind` to add or change (a new name adds a kind).
    "kinds": {},
    # The page whose translations are the home pages, at /nl/ and /en/.
    "home": "pages/home",
}


def config(settings):
    """The `BILINGUAL` setting merged over `DEFAULTS` (unknown keys reported)."""
    return portal_settings.merged(settings, "BILINGUAL", DEFAULTS, plugin="bilingual")


def language_table(settings):
    return config(settings)["languages"]


def languages(settings):
    """Language codes, the default language first."""
    codes = list(language_table(settings))
    default = settings.get("DEFAULT_LANG", codes[0])
    return sorted(codes, key=lambda code: code != default)


def kinds(settings):
    """{name: Kind}, the table with the setting's changes, in reading order
    (articles first, then pages, each in table order)."""
    found = dict(KINDS)
    table = language_table(settings)
    for name, changes in config(settings)["kinds"].items():
        base = found.get(name) or Kind(name, {})
        found[name] = replace(base, name=name, **{
            key: tuple(value) if isinstance(value, list) else value
            for key, value in changes.items()})
    for name, kind in list(found.items()):
        extra = {code: info["sections"][name] for code, info in table.items()
                 if name in info.get("sections", {})}
        if extra:
            found[name] = replace(kind, sections=dict(kind.sections, **extra))
    return dict(sorted(found.items(), key=lambda pair: pair[1].pelican_type != "article"))


def generated_section(settings, name, lang):
    """The URL section of a generated page (`search`) in `lang`."""
    own = language_table(settings).get(lang, {}).get("sections", {})
    if name in own:
        return own[name]
    return GENERATED_SECTIONS.get(name, {}).get(lang, f"{name}/")


def content_paths(settings):
    """ARTICLE_PATHS and PAGE_PATHS as the model gives them."""
    table = kinds(settings)
    return ([k.name for k in table.values() if k.pelican_type == "article"],
            [k.name for k in table.values() if k.pelican_type != "article"])


def read_metadata(text):
    """Metadata lines at the top of a Markdown file: `{lowercase key: raw value}`
    and the body after them."""
    meta, lines = {}, text.splitlines()
    key = None
    for number, line in enumerate(lines):
        if not line.strip():
            return meta, "\n".join(lines[number + 1:])
        match = META_LINE.match(line)
        if match:
            key = match["key"].lower()
            meta[key] = match["value"].strip()
        elif key and line.startswith((" ", "\t")):
            meta[key] += " " + line.strip()
        else:
            return meta, "\n".join(lines[number:])
    return meta, ""


def split_keys(value):
    return [key.strip() for key in value.split(",") if key.strip()]


def placeholders_in(meta, body):
    """The fields of an item that still hold a text of `make newpost`."""
    found = []
    for field, texts in PLACEHOLDERS.items():
        text = body if field == "body" else meta.get(field, "")
        if any(placeholder in text for placeholder in texts.values()):
            found.append(field)
    return found


def neutral_value(field, value):
    """A language-neutral field's value as compared between translations: key
    lists as sets (their order is the author's), others as written."""
    if field in KEY_FIELDS:
        return frozenset(split_keys(value))
    return " ".join(str(value).split())


def ignore_matcher(settings):
    """A test for the file names IGNORE_FILES leaves out, as fnmatch reads its
    patterns, in one regular expression for all of them."""
    patterns = settings.get("IGNORE_FILES", [])
    match = re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns)
                       or "(?!)").match
    return lambda name: match(os.path.normcase(name)) is not None


def content_files(settings, extensions):
    """`(relative path, kind)` of every content file Pelican will read with
    one of these `extensions`, kind by kind, each sorted."""
    root = settings["PATH"]
    ignored = ignore_matcher(settings)
    found = []
    for kind in kinds(settings):
        top = os.path.join(root, kind)
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            prefix = os.path.relpath(folder, root).replace(os.sep, "/")
            for name in sorted(files):
                if ignored(name) or name.rsplit(".", 1)[-1] not in extensions:
                    continue
                found.append((name if prefix == "." else f"{prefix}/{name}", kind))
    return found


def keys_of(settings, kind):
    """The keys of a kind's items: the file names in its folder without
    language and extension (`partners` -> `brainport`, ...), sorted."""
    folder = os.path.join(settings["PATH"], kind)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted({name.split(".", 1)[0] for name in names
                   if name.count(".") >= 2 and not name.startswith(".")})


def file_parts(rel):
    """(kind, key, file language or None) of a content path `news/x.nl.md`."""
    folder, name = os.path.split(rel.replace(os.sep, "/"))
    parts = name.split(".")
    lang = parts[-2] if len(parts) >= 3 else None
    return folder.split("/", 1)[0] if folder else "", parts[0], lang


def every_item(generators):
    """Every content item the generators made: published, hidden and draft,
    in each language, once each."""
    items = []
    for gen in generators:
        for name in ("articles", "translations", "hidden_articles", "hidden_translations",
                     "drafts", "drafts_translations", "pages", "hidden_pages",
                     "draft_pages", "draft_translations"):
            items += getattr(gen, name, [])
    return list({id(item): item for item in items}.values())


def listing(context, lang, kind):
    """The items of `kind` in `lang`, in the kind's order (empty when none)."""
    return context.get("by_lang", {}).get(lang, {}).get(kind, [])


def sort_key(kind):
    """The key that orders a kind's lists, and whether it runs newest first."""
    if kind is not None and kind.sort == "date":
        return (lambda item: item.date), True
    return (lambda item: (item_order(item), item.title)), False


def item_order(item):
    """The `Order` of an item; one that is not a number (reported by
    validation) sorts last instead of stopping the build."""
    try:
        return int(item.metadata.get("order", 100))
    except (TypeError, ValueError):
        return 100


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


def listings_in_every_language(settings, kind, url_of, template, save_as_of=None):
    """One `Listing` per language, each knowing the others as translations.
    `url_of(lang)` gives its URL; it is saved as `save_as_of(lang)`, by
    default `index.html` in the URL's folder."""
    save_as_of = save_as_of or (lambda code: f"{url_of(code)}index.html")
    group = [Listing(kind=kind, lang=code, url=url_of(code), save_as=save_as_of(code),
                     template=template) for code in languages(settings)]
    for listing_ in group:
        listing_.translations = [other for other in group if other is not listing_]
    return group


def project_settings(settings_file=None):
    """The settings of `pelicanconf.py` (or `settings_file`), for tools that
    run outside a build and need the model (`make newpost`, `make i18n-status`)."""
    from pelican.settings import read_settings

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return read_settings(settings_file or os.path.join(root, "pelicanconf.py"))
