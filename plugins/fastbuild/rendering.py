"""Rendering Markdown files: in a pool of worker processes, cached between builds.

- When Pelican starts reading, every Markdown file is handed to a pool of
  worker processes (Markdown, then the body steps of `portal.pipeline`:
  typography, then the sanitizer), in small batches; Pelican's reader takes
  each result as it needs it, and renders a batch itself when no worker has
  started it yet, so the build process renders too instead of waiting.
- Results are kept in `<CACHE_PATH>/fastbuild/rendered.pickle` by the file's
  content hash, so a rebuild renders only the files that changed; a file not
  touched since the last build (same size, times and inode) is not even read
  again. The cache's fingerprint holds the render settings, the library
  versions and our plugins' code.
- A summary of plain words (no character that starts Markdown markup) is
  wrapped in a paragraph directly, as Markdown would, instead of running the
  whole pipeline for one sentence.
"""

import hashlib
import importlib
import logging
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.urlwrappers import URLWrapper
from pelican.utils import pelican_open
from portal import compat, model, pipeline
from portal.cache import Store, file_stamp, fingerprint

logger = logging.getLogger(__name__)
LOG_PREFIX = "[fastbuild]"

# Settings that change what a Markdown file renders to.
RENDER_SETTINGS = [
    "MARKDOWN", "FORMATTED_FIELDS", "TIMEZONE", "DEFAULT_LANG", "DEFAULT_DATE_FORMAT",
    "FILENAME_METADATA", "PATH_METADATA", "TYPOGRAPHY", "SUMMARY_MAX_LENGTH", "SANITIZE",
    "PLUGINS",
]
CACHE_FILE = "fastbuild/rendered.pickle"


def render_fingerprint(settings):
    """What, besides the file itself, decides the rendered result."""
    return fingerprint(settings, *(f"{key}={settings.get(key)!r}" for key in RENDER_SETTINGS))


def _pack(metadata):
    """Metadata without Pelican objects that drag the settings along when pickled."""
    def pack(value):
        if isinstance(value, URLWrapper):
            return ("__urlwrapper__", type(value), value.name)
        if isinstance(value, list):
            return [pack(v) for v in value]
        return value
    return {key: pack(value) for key, value in metadata.items()}


def _unpack(metadata, settings):
    def unpack(value):
        if isinstance(value, tuple) and len(value) == 3 and value[0] == "__urlwrapper__":
            return value[1](value[2], settings)
        if isinstance(value, list):
            return [unpack(v) for v in value]
        return value
    return {key: unpack(value) for key, value in metadata.items()}


# --- Rendering (in a worker, or in the build process) ------------------------

_worker = {}

# A one-line text Python-Markdown turns into just `<p>text</p>` with the
# extensions below: it starts with a letter and has no character that starts
# markup (`*_[]<>&\\`{}#|~^` and the like) or that Markdown escapes.
PLAIN_LINE = re.compile(r"[^\W\d_](?:[^\W_]|[ ,.;:?!'\"()/%€$@=+\-’‘“”–—…])*")
PLAIN_SAFE_EXTENSIONS = {"markdown.extensions.extra", "markdown.extensions.toc",
                         "markdown.extensions.meta", "markdown.extensions.codehilite"}


def plain_fields_allowed(markdown_settings):
    """Whether `PLAIN_LINE` texts come out of Markdown as they are: true for
    these extensions (a typographer such as `smarty` would change quotes) and
    for those whose module says so (`KEEPS_PLAIN_LINES = True`)."""
    names = set(markdown_settings.get("extension_configs", {})) | {
        e for e in markdown_settings.get("extensions", []) if isinstance(e, str)}
    others = [e for e in markdown_settings.get("extensions", []) if not isinstance(e, str)]
    return not others and all(name in PLAIN_SAFE_EXTENSIONS or _keeps_plain_lines(name)
                              for name in names)


def _keeps_plain_lines(name):
    try:
        module = importlib.import_module(name)
    except ImportError:
        return False
    return getattr(module, "KEEPS_PLAIN_LINES", False) is True


class _FieldMarkdown:
    """The shared Markdown instance as Pelican's metadata parsing sees it: a
    summary of plain words is wrapped in a paragraph without running the
    whole Markdown pipeline (about 0.1 ms per file)."""

    def __init__(self, md):
        self._md = md

    def __getattr__(self, name):
        return getattr(self._md, name)

    def convert(self, text):
        if PLAIN_LINE.fullmatch(text) and not text.endswith(" "):
            return f"<p>{text}</p>"
        return self._md.convert(text)


class ReusingMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with one Markdown instance for all files:
    setting one up costs about a third of converting a news item."""

    _shared = None

    def read(self, source_path):
        if self._shared is None:
            md = Markdown(**self.settings["MARKDOWN"])
            priority = compat.preprocessor_priority(md, "meta")
            fields = _FieldMarkdown(md) if plain_fields_allowed(self.settings["MARKDOWN"]) else md
            self._shared = (md, md.preprocessors["meta"], priority, fields)
        md, meta, priority, fields = self._shared
        md.reset()
        if "meta" not in md.preprocessors:  # Pelican's metadata parsing removes it
            md.preprocessors.register(meta, "meta", priority)
        self._source_path = source_path
        self._md = md
        with pelican_open(source_path) as text:
            content = md.convert(text)
        self._md = fields
        metadata = compat.parse_metadata(self, md.Meta) if hasattr(md, "Meta") else {}
        return content, metadata


def _render_setup(settings):
    _worker["reader"] = ReusingMarkdownReader(settings)
    _worker["settings"] = settings


def render(path):
    """Markdown, then the body steps (typography, the sanitizer): (content,
    metadata) as Pelican's reader gives, and the problems the steps found, to
    report on every build (the result may come from the cache)."""
    content, metadata = _worker["reader"].read(path)
    found = []
    if content:
        parts = {"content": content}
        if metadata.get("summary"):
            parts["summary"] = metadata["summary"]
        found = pipeline.run(parts, _worker["settings"])
        content = parts["content"]
        if "summary" in parts:
            metadata["summary"] = parts["summary"]
    return content, _pack(metadata), found


def try_render(path):
    """`render`, or None when the file cannot be read: such a file is read again
    by Pelican's own reader loop, which reports it with its name and goes on
    with the other files (validation names the field and the fix)."""
    try:
        return render(path)
    except Exception:  # noqa: BLE001 - reported when Pelican reads the file again
        return None


def render_batch(paths):
    return [try_render(path) for path in paths]


def _worker_init(settings):
    _render_setup(settings)


# --- Preparing all files before Pelican reads them -----------------------------

def _markdown_files(settings):
    """The Markdown files in the order Pelican will ask for them: articles
    first, and within each kind of generator the order of a set of the
    files' paths below PATH (Pelican's generators iterate such a set; this
    process has the same hash seed). Batches in this order are rendered
    before they are asked for: in sorted order, the build process waited for
    a batch at the back of the queue while the workers rendered the rest."""
    root = os.path.abspath(settings["PATH"])
    _, page_kinds = model.content_paths(settings)
    groups = (set(), set())
    for rel, kind in model.content_files(settings, MarkdownReader.file_extensions):
        groups[kind in page_kinds].add(os.path.normpath(rel))  # as relpath below PATH gives it
    return [os.path.join(root, rel) for group in groups for rel in group]


def _load_cache(settings, key):
    stored = Store(settings, CACHE_FILE).load(key) or {}
    return stored.get("rendered", {}), stored.get("stamps", {})


def prepare(settings, conf):
    """Start rendering every Markdown file not in the cache.

    Returns the state `result` answers from: {path: (key, result)} of the
    files already rendered, and the batches handed to the workers. The
    workers start as soon as there are enough files to render for them, while
    the other files are still being read and hashed."""
    key = render_fingerprint(settings)
    cached, stamps = _load_cache(settings, key) if conf["cache"] else ({}, {})
    prepared = {"results": {}, "pending": {}, "pool": None, "fingerprint": key,
                "changed": False, "cached": cached, "settings": settings, "stamps": {}}
    _render_setup(settings)
    size = max(1, conf["batch"])
    todo, rendering = [], 0
    for path in _markdown_files(settings):
        stamp = file_stamp(path)
        known_stamp, key = stamps.get(path, (None, None))
        if known_stamp != stamp:  # touched since the last build, or new
            with open(path, "rb") as handle:
                key = hashlib.sha256(path.encode() + b"\0" + handle.read()).hexdigest()
        prepared["stamps"][path] = (stamp, key)
        if key in cached:
            prepared["results"][path] = (key, cached[key])
            continue
        todo.append((path, key))
        rendering += 1
        if (prepared["pool"] is None and conf["workers"] > 1
                and rendering >= conf["min_files_for_workers"]):
            prepared["pool"] = _start_pool(conf, settings)
        while prepared["pool"] is not None and len(todo) >= size:
            _submit(prepared, todo[:size])
            todo = todo[size:]
    if prepared["pool"] is not None and todo:
        _submit(prepared, todo)
    elif prepared["pool"] is None:
        for path, key in todo:
            prepared["results"][path] = (key, try_render(path))
    prepared["changed"] = rendering > 0 or prepared["stamps"] != stamps
    logger.debug("%s %d files to render, %d from the cache", LOG_PREFIX, rendering,
                 sum(1 for key, _ in prepared["results"].values() if key in cached))
    return prepared


def _start_pool(conf, settings):
    return ProcessPoolExecutor(
        max_workers=conf["workers"],
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_init,
        initargs=(settings,),
    )


def _submit(prepared, batch):
    """Hand `batch` [(path, key)] to the workers."""
    job = (prepared["pool"].submit(render_batch, [path for path, _ in batch]), batch)
    for path, _ in batch:
        prepared["pending"][path] = job


def _collect(prepared, path):
    """Wait for the batch holding `path`, or render it here if no worker has
    started it yet."""
    future, batch = prepared["pending"][path]
    if future.cancel():
        rendered = render_batch([name for name, _ in batch])
    else:
        rendered = future.result()
    for (name, key), result in zip(batch, rendered):
        prepared["pending"].pop(name, None)
        prepared["results"][name] = (key, result)


def result(prepared, path):
    """The rendered file, as `render` gives it, or None."""
    if path in prepared["pending"]:
        _collect(prepared, path)
    found = prepared["results"].get(path)
    return found[1] if found else None


def finish_rendering(prepared):
    """All batches done, the pool closed; files that could not be rendered are
    left out (Pelican's reader reports them)."""
    while prepared["pending"]:
        _collect(prepared, next(iter(prepared["pending"])))
    if prepared["pool"] is not None:
        prepared["pool"].shutdown()
        prepared["pool"] = None
    prepared["results"] = {path: found for path, found in prepared["results"].items()
                           if found[1] is not None}


def store(prepared, keep):
    """Finish rendering and keep the results for the next build (when `keep`
    and anything changed); returns {path: content key} of the files read."""
    finish_rendering(prepared)
    changed = prepared["changed"] or len(prepared["cached"]) != len(prepared["results"])
    if keep and changed:
        rendered = {key: found for key, found in prepared["results"].values()}
        Store(prepared["settings"], CACHE_FILE).save(
            prepared["fingerprint"], {"rendered": rendered, "stamps": prepared["stamps"]})
    return {path: key for path, (key, _) in prepared["results"].items()}
