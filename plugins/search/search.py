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
- The bundle is byte-identical for the same content: the language list is
  sorted and Pagefind's unused ready-made interfaces are not kept.
"""

import hashlib
import json
import logging
import os
import shutil
import subprocess
from html import escape

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from bilingual import Listing, languages
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


def source_page(item, html_lang, date_text):
    """A minimal page for Pagefind: the item's title, summary and body in its language.

    Indexing these instead of the themed pages keeps menus, footers and list
    pages out of the results, whatever the theme does.
    """
    date_attr = f' data-pagefind-meta="date:{escape(date_text)}"' if date_text else ""
    summary = Markup(item.summary or "").striptags()
    return (
        f'<!doctype html><html lang="{escape(html_lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(item.title)}</title></head>"
        f"<body data-pagefind-body{date_attr}><h1>{escape(item.title)}</h1>"
        f"<p>{escape(summary)}</p>{item.content or ''}</body></html>"
    )


def write_sources(context, settings, folder):
    """One source page per content item, at the item's URL, in `folder`.

    Only changed files are written and stale ones removed. Returns the number
    of pages and a digest of all of them.
    """
    localizer = localizer_for(settings)
    html_langs = context.get("html_langs", {})
    digest = hashlib.sha256()
    wanted = set()
    for lang, kinds in sorted(context.get("by_lang", {}).items()):
        for kind in sorted(kinds):
            for item in kinds[kind]:
                date = item.date if "date" in item.metadata else None
                date_text = localizer.format_date({}, date, lang=lang) if date else ""
                text = source_page(item, html_langs.get(lang, lang), date_text).encode()
                target = os.path.join(folder, item.url, "index.html")
                wanted.add(os.path.normpath(target))
                digest.update(target.encode() + b"\0" + text + b"\0")
                try:
                    with open(target, "rb") as handle:
                        if handle.read() == text:
                            continue
                except OSError:
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as handle:
                    handle.write(text)
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.normpath(os.path.join(root, name))
            if path not in wanted:
                os.remove(path)
    return len(wanted), digest.hexdigest()


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


def start_indexing(pelican):
    """Start Pagefind as soon as all content is read (Pelican asks for its writer
    then), so that it runs beside Pelican while the pages are written."""
    site = _sites.pop(os.path.abspath(pelican.output_path), None)
    if site is None:
        return None
    context, settings = site
    conf = get_settings(settings)
    if not conf["index"]:
        return None
    from pagefind_bin_extended import get_executable

    bundle_path = os.path.abspath(os.path.join(settings["OUTPUT_PATH"], conf["bundle"]))
    sources = os.path.join(settings.get("CACHE_PATH", "cache"), "search-sources")
    count, digest = write_sources(context, settings, sources)
    stamp = os.path.join(sources + ".digest")
    job = {"count": count, "path": bundle_path, "drop": conf["drop"], "stamp": stamp,
           "digest": digest, "process": None}
    try:
        with open(stamp, encoding="utf-8") as handle:
            unchanged = handle.read() == f"{digest} {bundle_path}"
    except OSError:
        unchanged = False
    if not (unchanged and os.path.exists(os.path.join(bundle_path, "pagefind-entry.json"))):
        shutil.rmtree(bundle_path, ignore_errors=True)
        if os.path.exists(stamp):
            os.remove(stamp)
        job["process"] = subprocess.Popen(
            [str(get_executable()), "--site", sources, "--output-path", bundle_path],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    _indexing[os.path.abspath(settings["OUTPUT_PATH"])] = job
    return None


def finish_indexing(pelican):
    job = _indexing.pop(os.path.abspath(pelican.output_path), None)
    if job is None:
        return
    process = job["process"]
    if process is None:
        logger.info("%s the search index is up to date", LOG_PREFIX)
        return
    output, _ = process.communicate()
    if process.returncode != 0:
        logger.error("%s the search index could not be built (Pagefind said: %s)",
                     LOG_PREFIX, output.strip()[-2000:])
        return
    normalize_entry(os.path.join(job["path"], "pagefind-entry.json"))
    for name in job["drop"]:
        target = os.path.join(job["path"], name)
        if os.path.exists(target):
            os.remove(target)
    with open(job["stamp"], "w", encoding="utf-8") as handle:
        handle.write(f"{job['digest']} {job['path']}")
    logger.info("%s indexed %d pages into %s", LOG_PREFIX, job["count"], job["path"])


def normalize_entry(path):
    """Pagefind lists the languages in a random order: sort them, so that two
    builds of the same content give the same bytes."""
    with open(path, encoding="utf-8") as handle:
        entry = json.load(handle)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(entry, handle, ensure_ascii=False, separators=(",", ":"))


def get_generators(pelican):
    return SearchPagesGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(start_indexing)
    signals.finalized.connect(finish_indexing)
