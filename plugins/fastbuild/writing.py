"""Writing pages: skip pages whose inputs did not change, render the rest in parallel.

A page is skipped when the previous build wrote it from the same inputs:
- the same site (settings, theme, plugins, non-Markdown content such as data files),
- the same metadata of every content item (titles, dates, URLs, links between items),
- the same template arguments,
- the same bodies of the items whose text the page showed (recorded while rendering).

Writes are collected and rendered by forked worker processes, which share the
finished site model with the build process: item pages when Pelican has asked
for all of them, the other pages after the last plugin generator.
"""

import dataclasses
import datetime
import gc
import hashlib
import logging
import os
import pickle
import re
import shutil
import subprocess

from pelican import readers, signals, urlwrappers
from pelican import utils as pelican_utils
from pelican.contents import Content, Static
from pelican.urlwrappers import URLWrapper
from pelican.utils import SafeDatetime
from pelican.writers import Writer
from portal import compat, linker, sidework
from portal.cache import Store, fingerprint, previous_output

logger = logging.getLogger(__name__)
LOG_PREFIX = "[fastbuild]"
RECORDS_FILE = "fastbuild/written.pickle"

_run = {}            # state of the current build
_urls = {"fixed": False}  # True while a fast build runs: item URLs are kept
_tracking = [None]   # set of source paths whose text the current page reads


_SIMPLE = (str, int, float, bool, type(None))


def stable(value, seen=None):
    """A text for `value` that is the same in every build (no memory addresses)."""
    if type(value) in _SIMPLE or isinstance(value, _SIMPLE):
        return repr(value)
    if isinstance(value, Content):
        return f"<{type(value).__name__} {value.source_path}>"
    if isinstance(value, URLWrapper):  # a category, tag or author: its name
        return f"<{type(value).__name__} {value.name}>"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    seen = seen or set()
    if id(value) in seen:
        return "<...>"
    seen = seen | {id(value)}
    if isinstance(value, dict):
        return "{" + ",".join(f"{stable(k, seen)}:{stable(v, seen)}"
                              for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable(v, seen) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable(v, seen) for v in value)) + "}"
    if dataclasses.is_dataclass(value):
        return type(value).__name__ + stable(
            {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}, seen)
    text = str(value)
    if " at 0x" in text:
        return f"<{type(value).__module__}.{type(value).__qualname__}>"
    return f"<{type(value).__name__} {text}>"


def _hash(*parts):
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def _files_digest(folders, skip_suffixes=()):
    digest = hashlib.sha256()
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(skip_suffixes) or name.endswith(".pyc"):
                    continue
                path = os.path.join(root, name)
                digest.update(os.path.relpath(path, folder).encode())
                with open(path, "rb") as handle:
                    digest.update(handle.read())
    return digest.hexdigest()


def site_digest(settings):
    """Everything but the Markdown files that can change any page. Where the
    pages are written is not part of it: tools/build.py writes into a new
    temporary folder every time."""
    simple = {k: v for k, v in settings.items() if k.isupper() and k != "OUTPUT_PATH"}
    simple["FASTBUILD"] = {k: v for k, v in (settings.get("FASTBUILD") or {}).items()
                           if k != "previous_output"}
    return fingerprint(
        settings,
        stable(simple),
        _files_digest([settings["THEME"]]),
        _files_digest([settings["PATH"]], skip_suffixes=(".md", ".markdown", ".mkd", ".mdown")),
    )


def model_digest(context):
    """Metadata of every content item: a change to any of them may show anywhere.

    URLs follow from the metadata, the file's path and the settings."""
    parts = []
    for key in ("articles", "pages", "hidden_articles", "hidden_pages", "drafts", "draft_pages"):
        for item in context.get(key, []) or []:
            parts.append(f"{item.source_path}|{_metadata_text(item.metadata)}|"
                         f"{[t.source_path for t in item.translations]!r}")
    return _hash(*sorted(parts))


def _metadata_text(metadata):
    """`repr` tells metadata values apart (text, dates, lists, Pelican's
    categories and tags) four times faster than `stable`, which takes over
    when a value shows only its memory address."""
    text = repr(metadata)
    return stable(metadata) if " at 0x" in text else text


def _tracked(name, prop):
    def read(self):
        # An explicit Summary is metadata; only a summary cut from the body reads the text.
        if _tracking[0] is not None and (name == "content" or "summary" not in self.metadata):
            _tracking[0].add(self.source_path)
        return prop.fget(self)
    return read


def _remembered(name, prop):
    """Pelican formats an item's URL again on every use, thousands of times per
    build. In a fast build an item's URLs are fixed once it is made: what they
    depend on (slug, language, date, the section our bilingual plugin sets)
    is set by its reader and by plugins in `content_object_init`."""
    slot = f"_fastbuild_{name}"

    def read(self):
        if not _urls["fixed"] or isinstance(self, Static):  # {attach} moves static files
            return prop.fget(self)
        try:
            return self.__dict__[slot]
        except KeyError:
            value = self.__dict__[slot] = prop.fget(self)
            return value
    return read


def _relative_source_path(original):
    """Pelican works out an item's path relative to PATH (two absolute paths and
    os.path.relpath) again for every URL it formats, thousands of times per
    build. The answer is kept on the item with the source path and PATH it was
    worked out from, and used only while both are the same."""

    def get_relative_source_path(self, source_path=None):
        own = self.source_path
        if source_path and source_path != own:
            return original(self, source_path)
        base = self.settings["PATH"]
        if not (own and os.path.isabs(own) and os.path.isabs(base)):
            return original(self, source_path)  # relative paths follow the working folder
        kept = self.__dict__.get("_fastbuild_relative_source_path")
        if kept is not None and kept[0] == own and kept[1] == base:
            return kept[2]
        root = base.rstrip(os.sep)
        if (own.startswith(root + os.sep) and os.path.normpath(own) == own
                and os.path.normpath(base) == root):
            # the path below PATH as it stands, with `/` (what os.path.relpath gives here)
            value = own[len(root) + 1:].replace(os.sep, "/")
        else:
            value = original(self, source_path)
        self.__dict__["_fastbuild_relative_source_path"] = (own, base, value)
        return value

    return get_relative_source_path


def _static_links(original):
    """Pelican looks for `{static}` and `{attach}` links in every item with a
    regular expression over its whole text; a text that has neither word has
    none."""

    def get_static_links(self):
        text = compat.body(self)
        if isinstance(text, str) and "static" not in text and "attach" not in text:
            return set()
        return original(self)

    return get_static_links




def _remembered_slugify(original):
    """Pelican gives every item an author object of its own (from AUTHOR) and
    slugifies that name again for every item's URL, about 15 µs each time; the
    same text with the same settings always gives the same slug."""
    known = {}

    def slugify(value, regex_subs=(), preserve_case=False, use_unicode=False):
        subs = tuple(tuple(sub) for sub in regex_subs)
        key = (value, subs, preserve_case, use_unicode)
        try:
            return known[key]
        except KeyError:
            pass
        if len(known) > 10000:
            known.clear()
        found = known[key] = original(value, regex_subs=subs, preserve_case=preserve_case,
                                      use_unicode=use_unicode)
        return found

    return slugify


ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")


def _iso_dates(original):
    """Pelican reads every `Date:` with dateutil's parser (a tenth of a
    millisecond each); a date written the usual way, `2025-03-18` or
    `2025-03-18 10:30`, is the same datetime without it. Anything else, an
    impossible date included, goes to Pelican's reading."""
    def get_date(string):
        match = ISO_DATE.fullmatch(string)
        if match:
            try:
                return SafeDatetime(*(int(part or 0) for part in match.groups()))
            except ValueError:
                pass
        return original(string)

    return get_date


# A part of a date format as Pelican's strftime splits it up.
DATE_DIRECTIVE = re.compile(r"%[-]?.")
C89_DIRECTIVES = "aAbBcdfGHIjmMpSUuVwWxXyYzZ%"


def _plain_formats(original):
    """Pelican formats every item's date (`locale_date`) by splitting the
    format into its directives and formatting them one by one, to allow
    `%-d`; for a format that has only the standard directives, none with
    `-`, that is what the datetime's own strftime gives at once. Any other
    format goes to Pelican's."""
    plain = {}

    def strftime(date, date_format):
        if date_format not in plain:
            directives = DATE_DIRECTIVE.findall(date_format)
            plain[date_format] = (
                "%" not in DATE_DIRECTIVE.sub("", date_format)
                and all(len(d) == 2 and d[1] in C89_DIRECTIVES for d in directives))
        if plain[date_format] and isinstance(date, datetime.datetime):
            return datetime.datetime.strftime(date, date_format)
        return original(date, date_format)

    return strftime


def prepare_content_class():
    """From reading on, for this build: every URL of an item is formatted from
    its path below PATH, worked out once; the slugs of authors, categories and
    tags are remembered; pages note which items' text (content or summary)
    they read; each item's URLs are formatted once; ISO dates are read
    without dateutil and plain date formats formatted at once.
    `compat.undo_patches` puts everything back after the build."""
    compat.patch(Content, "get_relative_source_path", _relative_source_path)
    compat.patch(Content, "get_static_links", _static_links)
    compat.patch(urlwrappers, "slugify", _remembered_slugify)
    compat.patch(readers, "get_date", _iso_dates)
    compat.patch(pelican_utils, "strftime", _plain_formats)
    for name in ("content", "summary"):
        compat.patch_property(Content, name, _tracked)
    for name in ("url", "save_as"):
        compat.patch_property(Content, name, _remembered)
    _urls["fixed"] = True


def release_content_class():
    _urls["fixed"] = False


def _text_digests():
    return _run["text_digests"]


def _weight(job):
    """Pages a write produces: a paginated list writes one per page."""
    paginated = job[3].get("paginated") or {}
    items = max((len(v) for v in paginated.values()), default=0)
    return max(1, items // 10)


def _balanced(jobs, workers):
    """Split the writes so every worker gets about the same number of pages, in
    runs of neighbouring pages: workers that create files in the same folders
    at the same time wait on each other in the file system."""
    ordered = sorted(jobs, key=lambda job: job[0])
    total = sum(_weight(job) for job in ordered)
    shares = [[] for _ in range(workers)]
    done = 0
    for job in ordered:
        index = min(workers - 1, done * workers // max(1, total))
        shares[index].append(job)
        done += _weight(job)
    return shares


class FastWriter(Writer):
    """Pelican's writer, skipping unchanged pages and deferring the others."""

    def write_file(self, name, template, context, *args, **kwargs):
        if not name or not _run:
            return super().write_file(name, template, context, *args, **kwargs)
        if "model" not in _run:
            _run["model"] = model_digest(context)
        key = _hash(_run["site"], _run["model"], name, template.name or "",
                    stable(args), stable(kwargs))
        previous = _run["previous"].get(name)
        if previous and previous["key"] == key and self._still_valid(previous):
            _run["records"][name] = previous
            _run["skipped"] += 1
            for path in _output_files(previous):
                localcontext = dict(context, output_file=name, **kwargs)
                signals.content_written.send(path, context=localcontext)
            return None
        if _run["defer"] is not None and not args:
            _run["defer"].append((name, template, context, kwargs, key))
            return None
        self._write_now(name, template, context, args, kwargs, key)
        return None

    def _still_valid(self, previous):
        digests = _text_digests()
        if any(digests.get(path) != digest for path, digest in previous["texts"].items()):
            return False
        return _reuse(previous["files"])

    def _write_now(self, name, template, context, args, kwargs, key):
        reads, files = set(), []
        _tracking[0] = reads
        _run["files"] = files
        try:
            super().write_file(name, template, context, *args, **kwargs)
        finally:
            _tracking[0] = None
            _run["files"] = None
        digests = _text_digests()
        _run["records"][name] = {
            "key": key,
            "texts": {path: digests.get(path) for path in sorted(reads)},
            "files": [_file_record(path) for path in files],
        }
        _run["written"] += 1

    def flush(self, workers):
        """Render the deferred pages in `workers` processes: this one and
        forked ones, which also do the work queued beside the pages
        (`portal.sidework`). The build process takes a share instead of
        waiting: one process less holds its copy of the site in memory."""
        jobs, _run["defer"] = _run["defer"] or [], []
        if workers <= 1 or len(jobs) < 2 * workers:
            for name, template, context, kwargs, key in jobs:
                self._write_now(name, template, context, (), kwargs, key)
            return
        children = []
        # Objects frozen out of the garbage collector are not touched by it in the
        # children, so their memory stays shared with the build process.
        gc.freeze()
        shares = _balanced(jobs, workers)
        beside = sidework.share(sidework.take(self.settings),
                                [sum(_weight(job) for job in share) for share in shares])
        for share, other_work in list(zip(shares, beside))[1:]:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child renders its share and reports what it wrote
                os.close(read_end)
                status = 0
                try:
                    _run["records"] = {}
                    for name, template, context, kwargs, key in share:
                        self._write_now(name, template, context, (), kwargs, key)
                    sidework.run(other_work)
                    with os.fdopen(write_end, "wb") as out:
                        pickle.dump(_run["records"], out, protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:  # reported by the parent through the exit status
                    logger.exception("%s rendering pages (or the work beside them) failed",
                                     LOG_PREFIX)
                    status = 1
                finally:
                    os._exit(status)
            os.close(write_end)
            children.append((pid, read_end, share))
        gc.unfreeze()
        try:
            for name, template, context, kwargs, key in shares[0]:
                self._write_now(name, template, context, (), kwargs, key)
            sidework.run(beside[0])
        finally:
            self._collect(children)

    def _collect(self, children):
        for pid, read_end, share in children:
            with os.fdopen(read_end, "rb") as source:
                data = source.read()
            _, status = os.waitpid(pid, 0)
            if status != 0 or not data:
                raise RuntimeError("[fastbuild] a worker process could not write its pages")
            records = pickle.loads(data)
            _run["records"].update(records)
            _run["written"] += len(records)
            for name, template, context, kwargs, key in share:
                for path in _output_files(records[name]):
                    localcontext = dict(context, output_file=name, **kwargs)
                    signals.content_written.send(path, context=localcontext)


def _file_record(path):
    """A written file as the records keep it: its path below the output folder,
    size and modification time (to know it again in another folder)."""
    stat = os.stat(path)
    return (os.path.relpath(path, _run["output"]), stat.st_size, stat.st_mtime_ns)


def _output_files(record):
    return [os.path.join(_run["output"], entry[0]) for entry in record["files"]]


def _reuse(files):
    """Whether the files of a page are in the output folder, or, hard-linked
    from the previous build's folder (`previous_output`), can be: only when
    they are the very files that build wrote (same size and time)."""
    if not all(isinstance(entry, tuple) and len(entry) == 3 for entry in files):
        return False  # recorded by an older version
    output, previous = _run["output"], _run["previous_output"]
    if _run["fresh"]:  # the folder was empty when the build began
        missing = files
    else:
        missing = [entry for entry in files if not os.path.exists(os.path.join(output, entry[0]))]
    if not missing:
        return True
    if not previous:
        return False
    for rel, size, mtime in missing:  # all of them first: a page is linked whole or not at all
        try:
            stat = os.stat(os.path.join(previous, rel))
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            return False
    if _run["fresh"]:
        # A new folder: the links are made by a process of their own beside
        # the build (pages are never changed in place).
        for rel, _, _ in missing:
            linker.link(output, os.path.join(previous, rel), os.path.join(output, rel))
        return True
    for rel, _, _ in missing:  # pages are never changed in place
        linker.link_now(os.path.join(previous, rel), os.path.join(output, rel), _run["folders"])
    return True


def note_written(path, context=None):
    if _run.get("files") is not None:
        _run["files"].append(path)


# Each record holds the digest of the site it was written from (`site_digest`,
# with the library versions and our code), so the store needs no key of its own.
RECORDS_KEY = "records"


def _empty(folder):
    if not os.path.isdir(folder):
        return True
    with os.scandir(folder) as entries:
        return not any(entries)


_early = {}  # what a build starts before Pelican reads the content


def begin(settings, use_records):
    """When a build starts: the previous build's records are loaded, and when
    the pages go into an empty folder beside the previous build's (tools/build.py
    does that), `mkdir -p` makes the folders of the pages that build wrote
    while Pelican reads the content: thousands of new folders take a good part
    of a rebuild, and a process of its own does not wait for the interpreter.
    Folders no page of this build uses are removed at the end."""
    _early.clear()
    output = os.path.abspath(settings["OUTPUT_PATH"])
    previous = (Store(settings, RECORDS_FILE).load(RECORDS_KEY) if use_records else None) or {}
    _early.update(settings=settings, previous=previous, fresh=_empty(output), created=set())
    mkdir = shutil.which("mkdir")
    if mkdir and _early["fresh"] and previous and previous_output(settings):
        folders = sorted({os.path.dirname(entry[0]) for record in previous.values()
                          for entry in record.get("files", ())
                          if isinstance(entry, tuple) and len(entry) == 3} - {""})
        os.makedirs(output, exist_ok=True)
        # Processes of their own (a thread would wait for the interpreter after
        # every folder while the build process reads), each given a bounded
        # number of folders (a command line has a limit).
        _early["making"] = [
            subprocess.Popen([mkdir, "-p", "--", *folders[start:start + FOLDERS_PER_MKDIR]],
                             cwd=output, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for start in range(0, len(folders), FOLDERS_PER_MKDIR)]
        _early["folders"] = {os.path.join(output, folder) for folder in folders}


FOLDERS_PER_MKDIR = 4000


def settle_folders():
    """Wait for the folders begun by `begin` (before the pages are written)."""
    making = _early.pop("making", None)
    if making is not None and all([process.wait() == 0 for process in making]):
        _early["created"] = _early.pop("folders")


def start(settings, text_digests, use_records, workers):
    settle_folders()
    early = _early if _early.get("settings") is settings else {}
    if "previous" in early:
        previous, fresh = early["previous"], early["fresh"]
    else:
        previous = (Store(settings, RECORDS_FILE).load(RECORDS_KEY) if use_records else None) or {}
        fresh = _empty(os.path.abspath(settings["OUTPUT_PATH"]))
    created = early.get("created", set())
    _early.clear()
    _run.clear()
    output = os.path.abspath(settings["OUTPUT_PATH"])
    _run.update(site=site_digest(settings), previous=previous, records={}, skipped=0,
                written=0, text_digests=text_digests, files=None,
                defer=[] if workers > 1 else None, output=output, folders=set(created),
                created=created, fresh=fresh,
                previous_output=previous_output(settings))


def _remove_unused_folders():
    """Folders made for the pages of the previous build that this build did
    not write (an item renamed or removed) go again."""
    used = {os.path.dirname(os.path.join(_run["output"], entry[0]))
            for record in _run["records"].values() for entry in record.get("files", ())}
    for folder in sorted(_run.get("created", set()) - used, reverse=True):
        try:
            os.rmdir(folder)  # only when nothing else was written into it
        except OSError:
            continue


def finish(settings, keep, writer=None):
    if not _run:
        return
    if _run["defer"] and writer is not None:
        writer.flush(1)
    _remove_unused_folders()
    logger.info("%s %d pages written, %d unchanged", LOG_PREFIX, _run["written"],
                _run["skipped"])
    if keep:
        Store(settings, RECORDS_FILE).save(RECORDS_KEY, _run["records"])
    _run.clear()
