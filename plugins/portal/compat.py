"""The only place that touches Pelican's and Python-Markdown's internals.

Pelican has no public way to change an item's rendered body, to pick the
reader of a file extension, to parse one metadata field, or to make its
`Content` class remember URLs; plugins (ours and the community's) use these
attributes. They can change in any release, so:

- `problem()` checks once per process that the installed Pelican is in the
  supported range and still has every attribute used here. If not, the fast
  path (`fastbuild`) turns itself off with one warning, and the build goes the
  plain way, slower and still correct.
- Whatever is patched on a class or module goes through `patch()` and is put
  back by `undo_patches()` at the end of each build.
"""

import hashlib
import logging

import markdown
import pelican
from pelican import readers as pelican_readers
from pelican import urlwrappers
from pelican import utils as pelican_utils
from pelican.cache import FileStampDataCacher
from pelican.contents import Content
from pelican.readers import MarkdownReader

from . import problems

logger = logging.getLogger(__name__)

# Pelican releases whose internals this module was checked against:
# from the first, up to (not including) the second.
SUPPORTED_PELICAN = ((4, 12), (4, 13))

_checked = {}
_patches = []  # (owner, name, original value) in the order they were made


def _version(text):
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def _missing():
    """The internals we use that this Pelican or Markdown does not have."""
    missing = []
    for owner, name in ((MarkdownReader, "_parse_metadata"), (Content, "get_relative_source_path"),
                        (Content, "get_static_links"), (urlwrappers, "slugify"),
                        (pelican_readers.Readers, "read_file"), (Content, "_update_content"),
                        (pelican_readers, "get_date"), (pelican_utils, "strftime"),
                        (FileStampDataCacher, "_get_file_stamp")):
        if not hasattr(owner, name):
            missing.append(f"{getattr(owner, '__name__', owner)}.{name}")
    for name in ("content", "summary", "url", "save_as"):
        if not isinstance(Content.__dict__.get(name), property):
            missing.append(f"Content.{name} (a property)")
    if not hasattr(markdown.util.Registry(), "_priority"):
        missing.append("markdown.util.Registry._priority")
    return missing


def problem():
    """Why the fast path cannot run with the installed Pelican, or None."""
    if "answer" not in _checked:
        low, high = SUPPORTED_PELICAN
        version = _version(pelican.__version__)
        answer = None
        if not low <= version[:2] < high:
            answer = (f"Pelican {pelican.__version__} is outside the supported range "
                      f"{'.'.join(map(str, low))} to before {'.'.join(map(str, high))}")
        elif _missing():
            answer = f"Pelican {pelican.__version__} lacks {', '.join(_missing())}"
        _checked["answer"] = answer
    return _checked["answer"]


def fast_path_allowed():
    """True when the internals are as expected; else reports one warning per build."""
    reason = problem()
    if reason is None:
        return True
    problems.report("compat", "(site)", "pelican", f"{reason}: the fast build is off, the "
                    "site is built the plain way (slower, same pages)", problems.WARNING)
    return False


# --- Reading an item's body --------------------------------------------------

def body(item):
    """The item's rendered body before Pelican fills in link addresses."""
    return getattr(item, "_content", None)


def set_body(item, html):
    item._content = html


def written_summary(item):
    """The rendered `Summary` field of an item, or None."""
    return getattr(item, "_summary", None)


def set_written_summary(item, html):
    item._summary = html


def content(item):
    """The item's body with its links filled in, as its page shows it. Pelican
    keeps the result per item: what is asked for here before the pages are
    written is not worked out again for the page (a forked writer has it too)."""
    return item.get_content(item.get_siteurl())


def link_targets_digest(context, siteurl):
    """A digest of everything `content` reads besides the item's body:
    the address of every item and static file a `{filename}` or `{static}`
    link can name, and the site's address. Equal digests and equal texts
    give equal results."""
    digest = hashlib.sha256(str(siteurl).encode())
    for key in ("generated_content", "static_content"):
        for path, target in sorted((context.get(key) or {}).items()):
            digest.update(f"\0{key}\0{path}\0{getattr(target, 'url', '')}".encode(
                "utf-8", "surrogatepass"))
    return digest.hexdigest()


def parse_metadata(reader, meta):
    """Pelican's Markdown reader turning Python-Markdown's `Meta` into metadata."""
    return reader._parse_metadata(meta)


def preprocessor_priority(md, name):
    """The priority a Python-Markdown preprocessor was registered with."""
    return next(item.priority for item in md.preprocessors._priority if item.name == name)


def use_reader(readers, extension, reader_class):
    """Read files with this extension with `reader_class`."""
    readers.reader_classes[extension] = reader_class


def _no_stamp(filename):
    return None


def skip_unused_file_stamps(cacher):
    """Pelican's content cache (a generator, or its readers) looks up a file's
    modification time when it reads the file and again when it keeps it: four
    lookups per item, also when the cache is off (CACHE_CONTENT and
    LOAD_CONTENT_CACHE False) and the answer is never used. With nothing
    kept and nothing loaded, the stamp of every file is None: what the cache
    returns (the default) is the same."""
    if (isinstance(cacher, FileStampDataCacher) and "_filestamp_func" in vars(cacher)
            and not getattr(cacher, "_cache_data_policy", True)
            and getattr(cacher, "_cache", None) == {}):
        cacher._filestamp_func = _no_stamp


# --- Patching, undone after every build --------------------------------------

def patch(owner, name, make):
    """Replace `owner.name` by `make(original)` until `undo_patches`; a second
    call for the same attribute in one build changes nothing."""
    if any(o is owner and n == name for o, n, _ in _patches):
        return
    original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
    _patches.append((owner, name, original))
    setattr(owner, name, make(original))


def patch_property(cls, name, make_getter):
    """Replace the getter of property `cls.name` by `make_getter(name, property)`."""
    def make(prop):
        return property(make_getter(name, prop), prop.fset, prop.fdel, prop.__doc__)
    patch(cls, name, make)


def undo_patches():
    while _patches:
        owner, name, original = _patches.pop()
        setattr(owner, name, original)


def patched():
    """(owner, name) of every patch in force, for tests."""
    return [(owner, name) for owner, name, _ in _patches]
