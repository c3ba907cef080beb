"""Fast builds: what Pelican does, in less time, with the same pages.

- rendering.py: every Markdown file rendered in worker processes while
  Pelican starts, and kept between builds by content hash.
- writing.py: pages whose inputs did not change are not written again; the
  others are rendered in forked processes.
- this module: the plugin's settings and how it hooks into Pelican.

Everything it changes inside Pelican goes through `portal.compat`: when the
installed Pelican is not the one it was checked against, the plugin stays
out of the way (one warning) and Pelican builds the plain way. The output is
byte-identical with and without this plugin, and with and without its cache.
"""

import atexit
import gc
import os

from jinja2 import FileSystemBytecodeCache
from pelican import signals
from pelican.generators import Generator
from pelican.readers import MarkdownReader
from portal import compat, pipeline
from portal.settings import enabled, plugin_settings

from . import rendering, writing

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

_state = {}
_gc = {}  # the collector's thresholds before the build


get_settings = plugin_settings("FASTBUILD", DEFAULTS, "fastbuild")


def _reset():
    """Nothing of an earlier build in this process stays in force, also when
    that build stopped half-way (a content error stops it before the end)."""
    pipeline.run_in_reader(False)
    writing.settle_folders()
    writing.release_content_class()
    compat.undo_patches()
    restore_garbage_collector()
    _state.clear()


def start(pelican):
    """Decide once per build whether the fast path runs."""
    _reset()
    _state["active"] = enabled(pelican.settings, "fastbuild") and compat.fast_path_allowed()
    _state["settings"] = pelican.settings
    if _state["active"]:
        relax_garbage_collector(pelican.settings)
        conf = get_settings(pelican.settings)
        writing.begin(pelican.settings, conf["cache"] and conf["skip_unchanged"])


def active(settings):
    """Signals stay connected for the whole process: act only in the build
    that started us, and only when the fast path is allowed."""
    return _state.get("active", False) and _state.get("settings") is settings


class PreparedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, answering from the prepared results."""

    def read(self, source_path):
        prepared = _state.get("prepared")
        found = prepared and rendering.result(prepared, os.path.abspath(source_path))
        if found:
            content, metadata, problems = found
        else:
            rendering._render_setup(self.settings)
            content, metadata, problems = rendering.render(source_path)
        if problems:
            pipeline.report(os.path.relpath(source_path, self.settings["PATH"]), problems)
        return content, rendering._unpack(metadata, self.settings)


def use_prepared_reader(readers):
    if not active(readers.settings):
        return
    writing.prepare_content_class()
    pipeline.run_in_reader(True)
    if "prepared" not in _state:
        _state["prepared"] = rendering.prepare(readers.settings, get_settings(readers.settings))
    for ext in MarkdownReader.file_extensions:
        compat.use_reader(readers, ext, PreparedMarkdownReader)


def skip_file_stamps(generator):
    if active(generator.settings):
        compat.skip_unused_file_stamps(generator)
        compat.skip_unused_file_stamps(getattr(generator, "readers", None))


def relax_garbage_collector(settings):
    """A build makes millions of objects that live until it ends, and hardly
    any cyclic garbage; at Python's default threshold the collector walks the
    whole site model again and again, about a tenth of a rebuild."""
    if "before" in _gc:
        return
    threshold = get_settings(settings)["gc_threshold"]
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


def store_rendered(settings):
    """Keep the rendered files for the next build, then let go of them: once
    Pelican has read all content (it asks for its writer then) they are not
    needed again, and the pages are written and indexed with that much less
    memory."""
    prepared = _state.pop("prepared", None)
    if prepared:
        _state["digests"] = rendering.store(prepared, get_settings(settings)["cache"])


def use_fast_writer(pelican):
    if not active(pelican.settings):
        return None
    conf = get_settings(pelican.settings)
    store_rendered(pelican.settings)
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


class DeferredPagesGenerator(Generator):
    """Runs after the other generators: renders every page they asked for
    (items, lists, overviews) in one round of worker processes, so the site
    model is forked once per build and the workers share out all pages."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        if isinstance(writer, writing.FastWriter) and active(self.settings):
            _state["writer"] = writer
            writer.flush(get_settings(self.settings)["write_workers"])


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
    _state["hidden_lists"] = (generator, hidden)


def restore_lists(generator, writer=None):
    owner, hidden = _state.pop("hidden_lists", (None, {}))
    if owner is generator:
        for name, value in hidden.items():
            setattr(generator, name, value)


def get_generators(pelican):
    return DeferredPagesGenerator if active(pelican.settings) else None


def finish(pelican):
    """After the build: records kept, the classes as Pelican made them."""
    try:
        if active(pelican.settings):
            conf = get_settings(pelican.settings)
            writing.finish(pelican.settings, keep=conf["cache"], writer=_state.get("writer"))
            store_rendered(pelican.settings)
    finally:
        _reset()


def register():
    signals.initialized.connect(start)
    signals.readers_init.connect(use_prepared_reader)
    signals.generator_init.connect(cache_templates)
    signals.article_generator_init.connect(skip_file_stamps)
    signals.page_generator_init.connect(skip_file_stamps)
    signals.get_writer.connect(use_fast_writer)
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(hide_unwritten_lists)
    signals.article_writer_finalized.connect(restore_lists)
    signals.content_written.connect(writing.note_written)
    signals.finalized.connect(finish)
