"""Fast builds: Markdown and typography in worker processes, cached between builds.

- When Pelican starts reading, every Markdown file is handed to a pool of
  worker processes (Markdown, then the typography rules of plugins/typography,
  then the sanitizer), in small batches; Pelican's reader takes each result
  as it needs it, and renders a batch itself when no worker has started it
  yet, so the build process renders too instead of waiting.
- Results are kept in `<CACHE_PATH>/fastbuild/` by the file's content hash,
  so a rebuild renders only the files that changed; a file not touched since
  the last build (same size, times and inode) is not even read again.
- Pages whose inputs did not change are not written again; the others are
  rendered in forked worker processes (see writing.py).
- The typography step runs here, once per file, instead of on every content
  object in the main process; the rules themselves stay in plugins/typography.
- A summary of plain words (no character that starts Markdown markup) is
  wrapped in a paragraph directly, as Markdown would, instead of running the
  whole pipeline for one sentence.

The output is byte-identical with and without the cache.
"""

import atexit
import gc
import hashlib
import logging
import multiprocessing
import os
import pickle
import re
from concurrent.futures import ProcessPoolExecutor

from jinja2 import FileSystemBytecodeCache
from markdown import Markdown
from pelican import signals
from pelican.generators import Generator
from pelican.readers import MarkdownReader
from pelican.urlwrappers import URLWrapper
from pelican.utils import pelican_open

import sanitize
import typography
from validation import content_files, file_stamp

from . import writing

logger = logging.getLogger(__name__)
LOG_PREFIX = "[fastbuild]"

DEFAULTS = {
    # Worker processes for rendering Markdown (0: render in the build process).
    "workers": os.cpu_count() or 1,
    # Fewer files than this are rendered in the build process (no pool start-up).
    "min_files_for_workers": 64,
    # Files handed to a worker at a time.
    "batch": 16,
    # Keep rendered files between builds.
    "cache": True,
    # Do not write again pages whose inputs did not change since the last build.
    "skip_unchanged": True,
    # Render pages in this many forked processes (1: in the build process).
    "write_workers": os.cpu_count() or 1,
    # New objects before the garbage collector looks for unreachable cycles
    # (Python's default: 700; 0 keeps it).
    "gc_threshold": 50000,
    # The folder of the previous build when this one writes into an empty one
    # (tools/build.py sets it): unchanged pages are hard-linked from there.
    "previous_output": None,
}
# Settings that change what a Markdown file renders to.
RENDER_SETTINGS = [
    "MARKDOWN", "FORMATTED_FIELDS", "TIMEZONE", "DEFAULT_LANG", "DEFAULT_DATE_FORMAT",
    "FILENAME_METADATA", "PATH_METADATA", "TYPOGRAPHY", "SUMMARY_MAX_LENGTH", "SANITIZE",
    "PLUGINS",
]
CACHE_FILE = "fastbuild/rendered.pickle"

_state = {}
_gc = {}  # the collector's thresholds before the build


def get_settings(settings):
    user = settings.get("FASTBUILD", {}) or {}
    for key in sorted(set(user) - set(DEFAULTS)):
        logger.error("%s unknown key %r in the FASTBUILD setting", LOG_PREFIX, key)
    return dict(DEFAULTS, **user)


def _fingerprint(settings):
    """What, besides the file itself, decides the rendered result."""
    digest = hashlib.sha256()
    for key in RENDER_SETTINGS:
        digest.update(f"{key}={settings.get(key)!r}\n".encode())
    for module in (__file__, typography.typography.__file__, sanitize.sanitize.__file__):
        with open(module, "rb") as handle:
            digest.update(handle.read())
    import markdown
    import typogrify

    digest.update(f"{markdown.__version__} {getattr(typogrify, '__version__', '')}".encode())
    return digest.hexdigest()


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
    these extensions (a typographer such as `smarty` would change quotes)."""
    names = set(markdown_settings.get("extension_configs", {})) | {
        e for e in markdown_settings.get("extensions", []) if isinstance(e, str)}
    others = [e for e in markdown_settings.get("extensions", []) if not isinstance(e, str)]
    return not others and names <= PLAIN_SAFE_EXTENSIONS


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
            priority = next(i.priority for i in md.preprocessors._priority if i.name == "meta")
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
        metadata = self._parse_metadata(md.Meta) if hasattr(md, "Meta") else {}
        return content, metadata


def _render_setup(settings):
    conf = typography.get_settings(settings)
    if not _listed(settings, "typography"):
        conf = dict(conf, enabled=False)
    _worker["reader"] = ReusingMarkdownReader(settings)
    _worker["typography"] = conf
    _worker["sanitize"] = (sanitize.get_settings(settings)
                           if _listed(settings, "sanitize") else None)


def render(path):
    """Markdown, typography, then the HTML sanitizer: (content, metadata) as
    Pelican's reader gives, and the dangers the sanitizer took out, to report
    on every build (the result may come from the cache)."""
    content, metadata = _worker["reader"].read(path)
    conf = _worker["typography"]
    if conf["enabled"] and content:
        content = typography.typeset(content, conf["ignore_tags"])
    found = []
    if _worker["sanitize"] is not None and content:
        parts = {"content": content}
        if metadata.get("summary"):
            parts["summary"] = metadata["summary"]
        cleaned, found = sanitize.sanitize_parts(parts, _worker["sanitize"])
        content = cleaned["content"]
        if "summary" in cleaned:
            metadata["summary"] = cleaned["summary"]
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


# --- Pelican integration -------------------------------------------------------

def _markdown_files(settings):
    files = content_files(settings, MarkdownReader.file_extensions)
    return sorted({os.path.abspath(os.path.join(settings["PATH"], rel)) for rel, _ in files})


def _cache_path(settings):
    return os.path.join(settings.get("CACHE_PATH", "cache"), CACHE_FILE)


def _load_cache(settings, fingerprint):
    try:
        with open(_cache_path(settings), "rb") as handle:
            stored = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        return {}, {}
    if not isinstance(stored, dict) or stored.get("fingerprint") != fingerprint:
        return {}, {}
    return stored.get("rendered", {}), stored.get("stamps", {})


def prepare(settings):
    """Start rendering every Markdown file not in the cache.

    Returns the state `result` answers from: {path: (key, result)} of the
    files already rendered, and the batches handed to the workers. The
    workers start as soon as there are enough files to render for them, while
    the other files are still being read and hashed."""
    conf = get_settings(settings)
    fingerprint = _fingerprint(settings)
    cached, stamps = _load_cache(settings, fingerprint) if conf["cache"] else ({}, {})
    prepared = {"results": {}, "pending": {}, "pool": None, "fingerprint": fingerprint,
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


class PreparedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, answering from the prepared results."""

    def read(self, source_path):
        prepared = _state.get("prepared")
        found = prepared and result(prepared, os.path.abspath(source_path))
        if found:
            content, metadata, dangers = found
        else:
            _render_setup(self.settings)
            content, metadata, dangers = render(source_path)
        for field, name in dangers:
            sanitize.report(os.path.relpath(source_path, self.settings["PATH"]), field, name)
        return content, _unpack(metadata, self.settings)


def _listed(settings, plugin):
    names = [str(getattr(p, "__name__", p)) for p in settings.get("PLUGINS") or []]
    return any(name == plugin or name.startswith(plugin + ".") for name in names)


def active(settings):
    """Signals stay connected for the whole process: act only in builds that list us."""
    return _listed(settings, "fastbuild")


def use_prepared_reader(readers):
    if not active(readers.settings):
        return
    writing.remember_relative_source_path()
    writing.remember_slugs()
    writing.look_for_static_links_in_words()
    writing.prepare_content_class()
    if "prepared" not in _state:
        _state["prepared"] = prepare(readers.settings)
    for ext in MarkdownReader.file_extensions:
        readers.reader_classes[ext] = PreparedMarkdownReader


def take_over_typography(pelican):
    """Typography and the sanitizer now run once per file in `render`; stop
    their per-object passes."""
    _state.clear()
    writing.release_content_class()
    if not active(pelican.settings):
        return
    signals.content_object_init.disconnect(typography.typeset_content)
    signals.content_object_init.disconnect(sanitize.sanitize_content)


def relax_garbage_collector(pelican):
    """A build makes millions of objects that live until it ends, and hardly
    any cyclic garbage; at Python's default threshold the collector walks the
    whole site model again and again, about a tenth of a rebuild."""
    if not active(pelican.settings) or "before" in _gc:
        return
    threshold = get_settings(pelican.settings)["gc_threshold"]
    if threshold:
        _gc["before"] = gc.get_threshold()
        gc.set_threshold(threshold, *_gc["before"][1:])
        if not _gc.get("hooked"):
            # Worker processes make their garbage as they go and are many:
            # they collect at the usual pace, which keeps their memory down.
            os.register_at_fork(after_in_child=restore_garbage_collector)
            # When the process ends, Python looks for cycles once more among
            # everything still alive (about a quarter of a second after a
            # build); nothing needs collecting then, memory is given back anyway.
            atexit.register(gc.freeze)
            _gc["hooked"] = True


def restore_garbage_collector():
    before = _gc.pop("before", None)
    if before:
        gc.set_threshold(*before)


def use_fast_writer(pelican):
    if not active(pelican.settings):
        return None
    conf = get_settings(pelican.settings)
    store_rendered(pelican.settings, conf)
    writing.start(pelican.settings, _state.get("digests", {}), conf["cache"] and conf["skip_unchanged"],
                  conf["write_workers"])
    return writing.FastWriter


def cache_templates(generator):
    """Compiled templates are kept in the cache too (each generator has its own
    template environment, so every build compiles them several times otherwise)."""
    if not active(generator.settings) or not hasattr(generator, "env"):
        return
    if get_settings(generator.settings)["cache"]:
        folder = os.path.join(generator.settings.get("CACHE_PATH", "cache"), "fastbuild", "jinja")
        os.makedirs(folder, exist_ok=True)
        generator.env.bytecode_cache = FileSystemBytecodeCache(folder)


def write_deferred(generator, writer=None):
    if isinstance(writer, writing.FastWriter) and active(generator.settings):
        _state["writer"] = writer
        writer.flush(get_settings(generator.settings)["write_workers"])


class DeferredPagesGenerator(Generator):
    """Runs after the other generators: renders every page they asked for
    (items, lists, overviews) in one round of worker processes, so the site
    model is forked once per build and the workers share out all pages."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        write_deferred(self, writer=writer)


# Per kind of list page Pelican writes for each author, category and tag:
# (the generator's attribute, its empty value, settings that make it write something).
LIST_PAGES = [
    ("authors", list, ("AUTHOR_SAVE_AS", "AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS")),
    ("categories", list, ("CATEGORY_SAVE_AS", "CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS")),
    ("tags", dict, ("TAG_SAVE_AS", "TAG_FEED_ATOM", "TAG_FEED_RSS")),
]


def hide_unwritten_lists(generator):
    """Before writing, Pelican lists the articles of every author (category,
    tag) page by date, looking each article up in that page's list: for one
    author of 4,000 articles about a tenth of a second, also when those pages
    and feeds are switched off. Where they are, the writing phase is given no
    such pages; the site model (the templates' `authors`, ...) keeps them."""
    if not active(generator.settings):
        return
    hidden = {}
    for name, empty, settings in LIST_PAGES:
        if not any(generator.settings.get(setting) for setting in settings):
            hidden[name] = getattr(generator, name)
            setattr(generator, name, empty())
    generator._fastbuild_hidden = hidden


def restore_lists(generator, writer=None):
    for name, value in getattr(generator, "_fastbuild_hidden", {}).items():
        setattr(generator, name, value)
    generator._fastbuild_hidden = {}


def get_generators(pelican):
    return DeferredPagesGenerator if active(pelican.settings) else None


def store_rendered(settings, conf):
    """Keep the rendered files for the next build, then let go of them: once
    Pelican has read all content (it asks for its writer then) they are not
    needed again, and the pages are written and indexed with that much less
    memory."""
    prepared = _state.pop("prepared", None)
    if not prepared:
        return
    finish_rendering(prepared)
    _state["digests"] = {path: key for path, (key, _) in prepared["results"].items()}
    changed = prepared["changed"] or len(prepared["cached"]) != len(prepared["results"])
    if conf["cache"] and changed:
        rendered = {key: result for key, result in prepared["results"].values()}
        target = _cache_path(settings)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target + ".tmp", "wb") as handle:
            pickle.dump({"fingerprint": prepared["fingerprint"], "rendered": rendered,
                         "stamps": prepared["stamps"]}, handle,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(target + ".tmp", target)


def save_cache(pelican):
    if not active(pelican.settings):
        return
    conf = get_settings(pelican.settings)
    writing.finish(pelican.settings, keep=conf["cache"], writer=_state.get("writer"))
    store_rendered(pelican.settings, conf)
    writing.release_content_class()
    restore_garbage_collector()


def register():
    signals.initialized.connect(take_over_typography)
    signals.initialized.connect(relax_garbage_collector)
    signals.readers_init.connect(use_prepared_reader)
    signals.generator_init.connect(cache_templates)
    signals.get_writer.connect(use_fast_writer)
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(hide_unwritten_lists)
    signals.article_writer_finalized.connect(restore_lists)
    signals.content_written.connect(writing.note_written)
    signals.finalized.connect(save_cache)
