"""Site search with Pagefind: one index per language, a search page per language.

- Every news item and page is indexed at the end of the build into
  `output/pagefind/` (Pagefind from PyPI, it runs offline). The language of a
  record is the page's `<html lang>`, so each language gets its own index and
  a search on the Dutch side only finds Dutch pages.
- Each language gets a search page (`/nl/zoeken/`, `/en/search/`), reached from
  the search field in the header; its script (`theme/js/search.js`) is the
  only page that loads Pagefind.
- Pagefind reads a minimal page per item (title, date, summary, body) rather
  than the themed page, so menus, footers and list pages stay out of results.
- Each language is indexed by its own Pagefind run, only when one of its
  pages changed; the bundles are combined into one, with the languages in a
  fixed order, so the same content always gives the same bytes.
"""

import hashlib
import json
import logging
import os
import shutil
import queue
import subprocess
import threading
from html import escape

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from bilingual import Listing, languages, languages_ready
from l10n import localizer_for

logger = logging.getLogger(__name__)
LOG_PREFIX = "[search]"

DEFAULTS = {
    # Build the search index (tiny test builds may switch it off).
    "index": True,
    # URL of the search page per language, under /<lang>/.
    "sections": {"nl": "zoeken/", "en": "search/"},
    "template": "search",
    # Folder of the search bundle inside the output folder.
    "bundle": "pagefind",
    # Pagefind's own interfaces; our search.js talks to pagefind.js directly.
    "drop": [
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-modular-ui.js",
        "pagefind-modular-ui.css",
        "pagefind-component-ui.js",
        "pagefind-component-ui.css",
    ],
}

_indexing = {}
_sites = {}


def get_settings(settings):
    user = settings.get("SEARCH", {}) or {}
    for key in sorted(set(user) - set(DEFAULTS)):
        logger.error("%s unknown key %r in the SEARCH setting", LOG_PREFIX, key)
    return dict(DEFAULTS, **user)


def body_text(item):
    """The item's body as rendered, before Pelican fills in link addresses: the
    words are the same, and the index does not wait for the links."""
    return getattr(item, "_content", None) or ""


def source_page(item, html_lang, date_text):
    """A minimal page for Pagefind: the item's title, summary and body in its language.

    Indexing these instead of the themed pages keeps menus, footers and list
    pages out of the results, whatever the theme does. The item's URL travels
    as metadata, so the source files need no folder each.
    """
    date_attr = f' data-pagefind-meta="date:{escape(date_text)}"' if date_text else ""
    summary = Markup(item.summary or "").striptags()
    return (
        f'<!doctype html><html lang="{escape(html_lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(item.title)}</title></head>"
        f"<body data-pagefind-body{date_attr}>"
        f'<h1 data-pagefind-meta="url:{escape(item.url)}">{escape(item.title)}</h1>'
        f"<p>{escape(summary)}</p>{body_text(item)}</body></html>"
    )


def source_name(lang, item):
    """The source file of `item`: flat in its language's folder (creating a
    folder per page would cost more than writing the page)."""
    return f"{lang}/{hashlib.sha256(item.url.encode()).hexdigest()[:24]}.html"


def source_pages(context, settings):
    """One source page per content item. Yields, per language, its code, the
    pages ({file name: bytes}) and a digest of all of them."""
    localizer = localizer_for(settings)
    html_langs = context.get("html_langs", {})
    dates = {}
    for lang, kinds in sorted(context.get("by_lang", {}).items()):
        digest = hashlib.sha256()
        pages = {}
        for kind in sorted(kinds):
            for item in kinds[kind]:
                date = item.date if "date" in item.metadata else None
                if date and (date, lang) not in dates:
                    dates[date, lang] = localizer.format_date({}, date, lang=lang)
                date_text = dates[date, lang] if date else ""
                name = source_name(lang, item)
                pages[name] = text = source_page(item, html_langs.get(lang, lang),
                                                 date_text).encode()
                digest.update(name.encode() + b"\0" + text + b"\0")
        yield lang, pages, digest.hexdigest()


def write_sources(folder, lang, pages):
    """Bring `folder`/`lang` in line with `pages`: write what changed, remove
    what is gone."""
    os.makedirs(os.path.join(folder, lang), exist_ok=True)
    for name, text in pages.items():
        target = os.path.join(folder, name)
        try:
            with open(target, "rb") as handle:
                if handle.read() == text:
                    continue
        except OSError:
            pass
        with open(target, "wb") as handle:
            handle.write(text)
    for entry in os.scandir(os.path.join(folder, lang)):
        if f"{lang}/{entry.name}" not in pages:
            if entry.is_dir():
                shutil.rmtree(entry.path)
            else:
                os.remove(entry.path)


class SearchPagesGenerator(Generator):
    """Writes the search page of each language and starts the indexing."""

    def generate_context(self):
        conf = get_settings(self.settings)
        localizer = localizer_for(self.settings)
        self.search_pages = []
        for code in languages(self.settings):
            url = f"{code}/{conf['sections'][code]}"
            self.search_pages.append(
                Listing(
                    kind="search",
                    lang=code,
                    url=url,
                    save_as=f"{url}index.html",
                    template=conf["template"],
                    title=localizer.gettext_in(code, "Search"),
                )
            )
        for page in self.search_pages:
            page.translations = [o for o in self.search_pages if o is not page]
        self.context["search_pages"] = {page.lang: page for page in self.search_pages}
        _sites[os.path.abspath(self.settings["OUTPUT_PATH"])] = (self.context, self.settings)

    def generate_output(self, writer):
        conf = get_settings(self.settings)
        news = self.context.get("listings", {})
        for page in self.search_pages:
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.context,
                url=page.url,
                page=page,
                lang=page.lang,
                news_list=news.get(("news", page.lang)),
            )


def start_indexing(generators):
    """Start indexing as soon as all content is read and sorted by language,
    so that it runs beside Pelican while the pages are written.

    The build process only makes the source pages; a thread writes them and
    runs Pagefind, which wait on the disk and the Pagefind process, not on
    Python. Each language is indexed on its own (half the memory of one run)
    and only when the text of one of its pages changed; the bundles are then
    combined.
    """
    output = next((g.settings["OUTPUT_PATH"] for g in generators
                   if isinstance(g, SearchPagesGenerator)), None)
    site = output and _sites.pop(os.path.abspath(output), None)
    if site is None:
        return None
    context, settings = site
    conf = get_settings(settings)
    if not conf["index"]:
        return None
    cache = os.path.abspath(settings.get("CACHE_PATH", "cache"))
    job = {
        "path": os.path.abspath(os.path.join(settings["OUTPUT_PATH"], conf["bundle"])),
        "sources": os.path.join(cache, "search-sources"),
        "bundles": os.path.join(cache, "search-bundles"),
        "drop": conf["drop"],
        "languages": {},
        "todo": [],
        "errors": [],
        "queue": queue.Queue(),
    }
    job["thread"] = threading.Thread(target=_index_languages, args=(job,))
    job["thread"].start()
    try:
        for lang, pages, digest in source_pages(context, settings):
            if not pages:
                logger.info("%s no page in language %r to index", LOG_PREFIX, lang)
                continue
            job["languages"][lang] = (len(pages), digest)
            job["queue"].put((lang, pages, digest))
    finally:
        job["queue"].put(None)
    _indexing[os.path.abspath(settings["OUTPUT_PATH"])] = job
    return None


def _index_languages(job):
    """Per language: write its source pages, then run Pagefind if they changed."""
    from pagefind_bin_extended import get_executable

    while (task := job["queue"].get()) is not None:
        lang, pages, digest = task
        try:
            write_sources(job["sources"], lang, pages)
        except OSError as error:
            job["errors"].append(f"{lang}: {error}")
            continue
        bundle = os.path.join(job["bundles"], lang)
        stamp = bundle + ".digest"
        try:
            with open(stamp, encoding="utf-8") as handle:
                if handle.read() == digest and os.path.isdir(bundle):
                    continue
        except OSError:
            pass
        if os.path.exists(stamp):
            os.remove(stamp)
        job["todo"].append(lang)
        shutil.rmtree(bundle, ignore_errors=True)
        result = subprocess.run(
            [str(get_executable()), "--site", job["sources"], "--glob", f"{lang}/*.html",
             "--output-path", bundle],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
        )
        if result.returncode != 0:
            job["errors"].append(result.stdout.strip()[-2000:])


def finish_indexing(pelican):
    job = _indexing.pop(os.path.abspath(pelican.output_path), None)
    if job is None:
        return
    job["thread"].join()
    if job["errors"]:
        logger.error("%s the search index could not be built (Pagefind said: %s)",
                     LOG_PREFIX, " / ".join(job["errors"]))
        return
    for lang in job["todo"]:
        with open(os.path.join(job["bundles"], lang + ".digest"), "w", encoding="utf-8") as out:
            out.write(job["languages"][lang][1])
    if not job["todo"] and os.path.exists(os.path.join(job["path"], "pagefind-entry.json")):
        logger.info("%s the search index is up to date", LOG_PREFIX)
        return
    combine_bundles(job)
    count = sum(found for found, _ in job["languages"].values())
    logger.info("%s indexed %d pages into %s", LOG_PREFIX, count, job["path"])


def _link_or_copy(source, target):
    """Bundle files are never changed in place: a hard link saves copying them."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def combine_bundles(job):
    """One bundle in the output from the bundles of the languages."""
    shutil.rmtree(job["path"], ignore_errors=True)
    if not job["languages"]:
        return
    languages = {}
    for lang in sorted(job["languages"]):
        bundle = os.path.join(job["bundles"], lang)
        with open(os.path.join(bundle, "pagefind-entry.json"), encoding="utf-8") as handle:
            entry = json.load(handle)
        languages.update(entry.get("languages", {}))
        shutil.copytree(bundle, job["path"], dirs_exist_ok=True, copy_function=_link_or_copy,
                        ignore=shutil.ignore_patterns("pagefind-entry.json", *job["drop"]))
    entry["languages"] = dict(sorted(languages.items()))
    with open(os.path.join(job["path"], "pagefind-entry.json"), "w", encoding="utf-8") as out:
        json.dump(entry, out, ensure_ascii=False, separators=(",", ":"))


def get_generators(pelican):
    return SearchPagesGenerator


def register():
    signals.get_generators.connect(get_generators)
    languages_ready.connect(start_indexing)
    signals.finalized.connect(finish_indexing)
