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
- Each language is indexed by its own Pagefind runs, one per part of about
  `part_size` pages (a page's part follows from its URL), and a part only
  when one of its pages changed: a rebuild after an edit indexes a few
  hundred pages, not all of them. The first parts of all languages are
  combined into `pagefind/`, the next ones into `pagefind-1/`, ..., with the
  languages in a fixed order, so the same content always gives the same
  bytes; the search page merges its language's parts.
"""

import base64
import contextlib
import hashlib
import json
import logging
import os
import shutil
import queue
import subprocess
import tempfile
import threading
import time
from html import escape

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from portal import compat, linker, model, problems
from portal.cache import fingerprint, previous_output
from portal.localize import localizer_for
from portal.settings import plugin_settings

logger = logging.getLogger(__name__)
LOG_PREFIX = "[search]"

DEFAULTS = {
    # Build the search index (tiny test builds may switch it off).
    "index": True,
    "template": "search",
    # Folder of the search bundle inside the output folder.
    "bundle": "pagefind",
    # A language with more pages than this is indexed in parts of about this
    # size (`<bundle>-1/`, `<bundle>-2/`, ... beside the first), which the
    # search page merges: a rebuild indexes again only the parts that changed.
    "part_size": 500,
    # Pagefind runs at a time, each indexing one part (about 40 MB of memory
    # per run of 500 pages).
    "runs": 1,
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


get_settings = plugin_settings("SEARCH", DEFAULTS, "search")


def body_text(item):
    """The item's body as rendered, with the addresses of `{static}` and
    `{filename}` links filled in, as on the page."""
    text = compat.body(item) or ""
    if "{" in text or "|" in text:
        text = compat.content(item)
    return text


def lead_thumb(item):
    """The small crop of the item's lead image (plugins/images), for results."""
    lead = getattr(item, "lead_image", None)
    if not lead:
        return ""
    fallback = lead["thumb"]["sets"][lead["thumb"]["fallback"]][0][0]
    return (f'<img data-pagefind-meta="image[src], image_alt[alt]" src="{escape(fallback)}" '
            f'alt="{escape(lead["alt"])}">')


def summary_source(item):
    """The item's summary as written, for the digest: the page has it without
    tags, so the addresses Pelican puts in its links change nothing (a summary
    cut from the body follows from the body)."""
    written = item.metadata.get("summary")
    return written if isinstance(written, str) else (item.summary or "")


def source_page(item, html_lang, date_text, url):
    """A minimal page for Pagefind: the item's title, summary and body in its language.

    Indexing these instead of the themed pages keeps menus, footers and list
    pages out of the results, whatever the theme does. The item's URL (`url`,
    worked out by the caller) travels as metadata, so the source files need no
    folder each.
    """
    date_attr = f' data-pagefind-meta="date:{escape(date_text)}"' if date_text else ""
    summary = Markup(item.summary or "").striptags()
    return (
        f'<!doctype html><html lang="{escape(html_lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(item.title)}</title></head>"
        f"<body data-pagefind-body{date_attr}>"
        f'<h1 data-pagefind-meta="url:{escape(url)}">{escape(item.title)}</h1>'
        f"<p>{escape(summary)}</p>{lead_thumb(item)}{body_text(item)}</body></html>"
    )


def part_count(pages, part_size):
    """How many parts the index of a language with `pages` pages has: parts
    of at least `part_size` pages, so that none is likely to be empty."""
    return max(1, pages // max(1, part_size))


def language_sizes(context):
    """{language: number of pages to index}."""
    return {lang: sum(len(items) for items in kinds.values())
            for lang, kinds in context.get("by_lang", {}).items()}


def source_pages(context, settings, needed=None):
    """One source page per content item, in the part of its language's index
    that its URL falls in (so a page stays in its part as others come and
    go). Yields, per part that has pages, its language, its name (`nl-0`),
    the number of pages, a digest of what they are made from, and the pages
    ({file name: bytes}), or None where `needed(part, digest)` says false (a
    part whose index is current needs no pages)."""
    localizer = localizer_for(settings)
    html_langs = context.get("html_langs", {})
    part_size = get_settings(settings)["part_size"]
    sizes = language_sizes(context)
    dates = {}
    # Our code and the libraries' versions: an upgrade indexes everything again.
    # A body's links are not filled in for the digest (that takes a quarter of
    # a second for thousands of items, on every build): its text as rendered
    # and the addresses its links can take tell the same.
    version = fingerprint(settings, compat.link_targets_digest(
        context, settings.get("SITEURL", ""))).encode()
    for lang, kinds in sorted(context.get("by_lang", {}).items()):
        parts = part_count(sizes[lang], part_size)
        html_lang = html_langs.get(lang, lang)
        found = [[] for _ in range(parts)]
        for kind in sorted(kinds):
            for item in kinds[kind]:
                date = item.date if "date" in item.metadata else None
                if date is None and getattr(item, "when", None) is not None:
                    date = item.when.first_day  # an event: the day it takes place
                if date and (date, lang) not in dates:
                    dates[date, lang] = localizer.format_date({}, date, lang=lang)
                date_text = dates[date, lang] if date else ""
                url = item.url  # worked out anew on every use until pages are written
                key = hashlib.sha256(url.encode()).hexdigest()[:24]
                number = int(key, 16) % parts
                found[number].append((f"{lang}-{number}/{key}.html", item, date_text, url))
        for number, entries in enumerate(found):
            if not entries:
                continue
            entries.sort(key=lambda entry: entry[0])
            digest = hashlib.sha256(version)
            for name, item, date_text, url in entries:
                for text in (name, url, item.title, summary_source(item), date_text, html_lang,
                             lead_thumb(item), compat.body(item) or ""):
                    digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
            part, digest = f"{lang}-{number}", digest.hexdigest()
            pages = None
            if needed is None or needed(part, digest):
                pages = {name: source_page(item, html_lang, date_text, url).encode()
                         for name, item, date_text, url in entries}
            yield lang, part, len(entries), digest, pages


def service_messages(pages, bundle):
    """What Pagefind's service mode (`pagefind --service`) is sent to index a
    part: a new index, every page of the part (`pages`: {name: bytes}) in
    name order with its name as its address (`/nl-0/<name>.html`), and the
    writing of the bundle to `bundle`. Each message is base64 of its JSON,
    ended by a comma. Pages are given in name order, so the index never
    depends on the order in which a file system lists a folder."""
    requests = [{"type": "NewIndex", "config": None}]
    requests += [{"type": "AddFile", "index_id": 0, "url": f"/{name}", "file_path": None,
                  "file_contents": pages[name].decode("utf-8")} for name in sorted(pages)]
    requests.append({"type": "WriteFiles", "index_id": 0, "output_path": bundle})
    return b"".join(
        base64.b64encode(json.dumps({"message_id": number, "payload": payload},
                                    ensure_ascii=False).encode("utf-8")) + b","
        for number, payload in enumerate(requests, 1))


def service_answers(data):
    """The messages Pagefind's service answered with: [(message id, payload)]."""
    found = []
    for message in data.split(b","):
        if message.strip():
            answer = json.loads(base64.b64decode(message))
            found.append((answer.get("message_id"), answer.get("payload") or {}))
    return found


class SearchPagesGenerator(Generator):
    """Writes the search page of each language and starts the indexing."""

    def generate_context(self):
        conf = get_settings(self.settings)
        localizer = localizer_for(self.settings)
        self.search_pages = model.listings_in_every_language(
            self.settings, "search",
            lambda code: f"{code}/{model.generated_section(self.settings, 'search', code)}",
            conf["template"])
        for page in self.search_pages:
            page.title = localizer.gettext_in(page.lang, "Search")
        self.context["search_pages"] = {page.lang: page for page in self.search_pages}
        _sites[os.path.abspath(self.settings["OUTPUT_PATH"])] = (self.context, self.settings)

    def generate_output(self, writer):
        conf = get_settings(self.settings)
        news = self.context.get("listings", {})
        parts = self.context.get("search_parts", {})
        for page in self.search_pages:
            extra = range(1, len(parts.get(page.lang, [])))
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.context,
                url=page.url,
                page=page,
                lang=page.lang,
                news_list=news.get(("news", page.lang)),
                search_parts=[f"{conf['bundle']}-{n}/" for n in extra],
            )


def start_indexing(generators):
    """Start indexing as soon as all content is read and sorted by language,
    so that it runs beside Pelican while the pages are written.

    The build process makes the source pages of the parts whose index is
    not current (a digest of what they are made from tells); a thread hands
    them to Pagefind's service mode through a pipe, so no source page is
    written to disk, and waits on the Pagefind process, not on Python. Each
    part of each language's index is a Pagefind run of its own, only when the
    text of one of its pages changed; the parts are then combined into one
    bundle per part number.
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
        "output": os.path.abspath(settings["OUTPUT_PATH"]),
        "bundle": conf["bundle"],
        "bundles": os.path.join(cache, "search-bundles"),
        "drop": conf["drop"],
        "parts": {},
        "languages": context.setdefault("search_parts", {}),
        "todo": [],
        "errors": [],
        "removing": [],
        "queue": queue.Queue(),
        "runs_queued": queue.Queue(),
        "sources": os.path.join(cache, "search-sources"),  # left by earlier versions
        "runs": max(1, conf["runs"]),
        "linker": previous_output(settings) is not None,  # a safe build's new folder
    }
    job["thread"] = threading.Thread(target=_index_parts, args=(job,))
    job["thread"].start()
    try:
        for lang, part, count, digest, pages in source_pages(
                context, settings, lambda part, digest: not _current(job, part, digest)):
            job["parts"][part] = (count, digest)
            job["languages"].setdefault(lang, []).append(part)
            job["queue"].put((part, pages, digest))
        for lang, size in sorted(language_sizes(context).items()):
            if not size:
                logger.info("%s no page in language %r to index", LOG_PREFIX, lang)
    finally:
        job["queue"].put(None)
    _indexing[job["output"]] = job
    return None


def _index_parts(job):
    """Per part whose pages changed: queue a Pagefind run with its pages,
    which `runs` threads take one at a time. Parts no longer made are removed
    afterwards."""
    runners = [threading.Thread(target=_run_queued, args=(job,)) for _ in range(job["runs"])]
    for runner in runners:
        runner.start()
    try:
        while (task := job["queue"].get()) is not None:
            part, pages, digest = task
            if pages is None:
                continue  # its index is current: Pagefind needs no pages
            bundle = os.path.join(job["bundles"], part)
            stamp = bundle + ".digest"
            if os.path.exists(stamp):
                os.remove(stamp)
            job["todo"].append(part)
            job["runs_queued"].put((part, pages, bundle))
    finally:
        for _ in runners:
            job["runs_queued"].put(None)
        for runner in runners:
            runner.join()
    if os.path.isdir(job["sources"]):
        shutil.rmtree(job["sources"], ignore_errors=True)
    folder = job["bundles"]
    for entry in os.scandir(folder) if os.path.isdir(folder) else []:
        if entry.name.split(".")[0] not in job["parts"] and TRASH not in entry.name:
            if entry.is_dir():
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.remove(entry.path)


def _current(job, part, digest):
    """Whether the index of `part` was made from pages with this digest."""
    bundle = os.path.join(job["bundles"], part)
    try:
        with open(bundle + ".digest", encoding="utf-8") as handle:
            return handle.read() == digest and os.path.isdir(bundle)
    except OSError:
        return False


def _run_queued(job):
    while (run := job["runs_queued"].get()) is not None:
        _run_pagefind(job, *run)


def _run_pagefind(job, part, pages, bundle):
    """Index one part with Pagefind's service mode: the messages go in with one
    write from a thread of their own, the answers are read here until the
    bundle is written (the service stops as soon as its input ends, so the
    input stays open until then), and the process is stopped once none of its
    files is open. Reading waits on the process and takes what came in the
    meantime, so a build that keeps the interpreter busy does not slow
    Pagefind down."""
    from pagefind_bin_extended import get_executable

    _remove_aside(job, bundle)
    messages = service_messages(pages, bundle)
    expected = len(pages) + 2
    try:
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen([str(get_executable()), "--service"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=log)
            feeder = threading.Thread(target=_feed, args=(process.stdin, messages))
            feeder.start()
            received, answers = b"", []
            while len(answers) < expected:
                chunk = os.read(process.stdout.fileno(), 1 << 20)
                if not chunk:
                    break
                received += chunk
                if b"," in chunk:
                    done, _, received = received.rpartition(b",")
                    answers += service_answers(done)
            feeder.join()
            if not wait_for_writes(process.pid, bundle):
                answers.append((None, {"type": "Error", "message": "its files in the bundle "
                                       "were still open after a minute"}))
            try:
                process.stdin.close()
            except OSError:
                pass  # it stopped before reading all: what it said is in the log
            # It stops when its input ends, but the page-writing processes
            # forked while it runs hold a copy of that input until they end:
            # its files are closed, so it is stopped rather than waited for.
            process.kill()
            process.stdout.close()
            process.wait()
            log.seek(0)
            said = log.read().decode("utf-8", "replace").strip()
    except OSError as error:
        job["errors"].append(f"{part}: {error}")
        return
    failed = [payload.get("message", "") for _, payload in answers
              if payload.get("type") == "Error"]
    if failed or len(answers) < expected or answers[-1][1].get("type") != "WriteFiles":
        job["errors"].append(f"{part}: " + (" / ".join(failed) or said[-2000:]
                                             or "Pagefind stopped before writing the index"))


def wait_for_writes(pid, folder, limit=60.0):
    """Wait until process `pid` holds no file in `folder` open. Pagefind
    answers WriteFiles when the last bytes of its files may still be on their
    way to the disk, and it stops the moment its input ends: closing the input
    before then leaves a file cut short (an empty `pagefind-entry.json`).
    Read from /proc; where there is none, a short wait. False when the files
    stay open for `limit` seconds."""
    fds = f"/proc/{pid}/fd"
    if not os.path.isdir("/proc/self/fd"):
        time.sleep(0.2)
        return True
    inside = os.path.realpath(folder) + os.sep
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            names = os.listdir(fds)
        except OSError:
            return True  # it has stopped: its files are closed
        try:
            if not any(os.readlink(os.path.join(fds, name)).startswith(inside)
                       for name in names):
                return True
        except OSError:
            pass  # a file closed while we looked: look again
        time.sleep(0.005)
    return False


def _feed(pipe, data):
    try:
        pipe.write(data)
        pipe.flush()
    except OSError:
        pass  # Pagefind ended early: the reader reports what it said


TRASH = ".old-"


def _remove_aside(job, path):
    """Move `path` out of the way in one step and remove it in a process of
    its own: removing a bundle's thousand files here, in a thread, would wait
    on the build's interpreter lock at every file."""
    if not os.path.exists(path):
        return
    trash = f"{path}{TRASH}{os.getpid()}-{len(job['removing'])}"
    os.rename(path, trash)
    rm = shutil.which("rm")
    if rm:
        job["removing"].append(subprocess.Popen([rm, "-rf", "--", trash]))
    else:
        shutil.rmtree(trash, ignore_errors=True)


def _finish_removing(job):
    """Wait for the removals, and take away what they (or a build that was
    stopped) left behind."""
    for process in job["removing"]:
        process.wait()
    folder = job["bundles"]
    for entry in os.scandir(folder) if os.path.isdir(folder) else []:
        if TRASH in entry.name:
            shutil.rmtree(entry.path, ignore_errors=True)


def finish_indexing(pelican):
    job = _indexing.pop(os.path.abspath(pelican.output_path), None)
    if job is None:
        return
    # One Pagefind run at a time: two at once spend much of their time
    # waiting on each other's threads (a third more processor time in all).
    job["thread"].join()
    _finish_removing(job)
    if job["errors"]:
        problems.report("search", "(site)", "search", "the search index could not be built "
                        f"(Pagefind said: {' / '.join(job['errors'])})")
        return
    for part in job["todo"]:
        with open(os.path.join(job["bundles"], part + ".digest"), "w", encoding="utf-8") as out:
            out.write(job["parts"][part][1])
    try:
        combine_bundles(job)
    except BundleError as error:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(job["bundles"], error.part + ".digest"))
        problems.report("search", "(site)", "search", f"the search index of {error.part} "
                        f"could not be read ({error.reason}); build again to index it anew")
        return
    count = sum(found for found, _ in job["parts"].values())
    logger.info("%s %d pages in the index (%d parts indexed again)", LOG_PREFIX, count,
                len(job["todo"]))


def _link_or_copy(source, target):
    """Bundle files are never changed in place: a hard link saves copying them."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def bundle_folder(job, number):
    """`output/pagefind/` for the first part of every language, then
    `output/pagefind-1/`, `output/pagefind-2/`, ... for the next ones."""
    name = job["bundle"] if number == 0 else f"{job['bundle']}-{number}"
    return os.path.join(job["output"], name)


def sync_folder(target, files, output=None):
    """Make `target` hold exactly `files` ({relative path: source file}).

    Files that are already there (the same hard link, or the same bytes) are
    left alone: Pagefind names most files by their content, so a rebuild
    changes few of them. Into a new folder of a safe build (`output` given),
    the links are made by `portal.linker`, beside the build."""
    if output and not os.path.isdir(target):
        os.makedirs(target)
        for rel, source in sorted(files.items()):
            linker.link(output, source, os.path.join(target, rel))
        return
    for root, dirs, names in os.walk(target, topdown=False):
        for name in names:
            path = os.path.join(root, name)
            if os.path.relpath(path, target) not in files:
                os.remove(path)
        if root != target and not os.listdir(root):
            os.rmdir(root)
    for rel, source in sorted(files.items()):
        path = os.path.join(target, rel)
        try:
            here, there = os.stat(path), os.stat(source)
            if here.st_ino == there.st_ino and here.st_dev == there.st_dev:
                continue
            if here.st_size == there.st_size:
                with open(path, "rb") as mine, open(source, "rb") as theirs:
                    if mine.read() == theirs.read():
                        continue
            os.remove(path)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        _link_or_copy(source, path)


def _same_text(path, text):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read() == text
    except OSError:
        return False


class BundleError(Exception):
    """A part's bundle that cannot be read."""

    def __init__(self, part, reason):
        super().__init__(part, reason)
        self.part, self.reason = part, reason


def combine_bundles(job):
    """One bundle per place in the output: the first part of every language
    in the first, the second parts in the next, and so on; the languages in a
    fixed order, so the same content always gives the same bytes. Folders no
    longer needed are removed."""
    places = {}
    for lang, parts in sorted(job["languages"].items()):
        for number, part in enumerate(parts):
            places.setdefault(number, []).append(part)
    skip = set(job["drop"]) | {"pagefind-entry.json"}
    for number in range(len(places)):
        target = bundle_folder(job, number)
        languages, entry, top = {}, None, {"pagefind-entry.json"}
        for part in places[number]:
            bundle = os.path.join(job["bundles"], part)
            try:
                with open(os.path.join(bundle, "pagefind-entry.json"),
                          encoding="utf-8") as handle:
                    entry = json.load(handle)
            except (OSError, ValueError) as error:
                raise BundleError(part, error) from error
            languages.update(entry.get("languages", {}))
            top.update(name for name in os.listdir(bundle) if name not in skip)
        entry["languages"] = dict(sorted(languages.items()))
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        if (not any(part in job["todo"] for part in places[number])
                and _same_text(os.path.join(target, "pagefind-entry.json"), text)
                and os.path.isdir(target) and set(os.listdir(target)) == top):
            continue  # made from these very parts before
        files = {}
        for part in places[number]:
            bundle = os.path.join(job["bundles"], part)
            for root, _, names in os.walk(bundle):
                for name in names:
                    if name not in skip:
                        path = os.path.join(root, name)
                        files.setdefault(path[len(bundle) + 1:], path)  # below the bundle
        sync_folder(target, files, job["output"] if job["linker"] else None)
        with open(os.path.join(target, "pagefind-entry.json"), "w", encoding="utf-8") as out:
            out.write(text)
    prefix = job["bundle"] + "-"
    for found in os.scandir(job["output"]):
        suffix = found.name[len(prefix):] if found.name.startswith(prefix) else ""
        if suffix.isdigit() and int(suffix) >= max(1, len(places)) and found.is_dir():
            shutil.rmtree(found.path)
    if not places:
        shutil.rmtree(bundle_folder(job, 0), ignore_errors=True)


def get_generators(pelican):
    return SearchPagesGenerator


def register():
    signals.get_generators.connect(get_generators)
    model.languages_ready.connect(start_indexing)
    signals.finalized.connect(finish_indexing)
