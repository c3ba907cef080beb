"""What a build keeps for the next one, in one kind of store.

    store = Store(settings, "validation.pickle")
    kept = store.load(fingerprint)      # None when absent, unreadable or outdated
    store.save(fingerprint, data)       # atomic: a stopped build leaves the old file

A fingerprint always includes the versions of Pelican, Python-Markdown,
typogrify, smartypants and nh3 and the source of our plugins, so an upgrade
or a code change never reuses results made by another version.
"""

import hashlib
import logging
import os
import pickle
from importlib import metadata

logger = logging.getLogger(__name__)

# Libraries whose version changes what a build makes.
LIBRARIES = ("pelican", "markdown", "typogrify", "smartypants", "nh3", "jinja2", "babel")
_code = {}
_versions = []
# Stores read ahead by `preload`: absolute path -> (file_stamp, what the file holds).
_preloaded = {}


def file_stamp(path):
    """Size, modification and change times and inode: any write to the file,
    or another file put in its place, changes them."""
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def versions():
    """`name==version` of every library in LIBRARIES that is installed, looked
    up once per process (the process runs the versions it imported)."""
    if not _versions:
        found = []
        for name in LIBRARIES:
            try:
                found.append(f"{name}=={metadata.version(name)}")
            except metadata.PackageNotFoundError:
                found.append(f"{name}==none")
        _versions.append(" ".join(found))
    return _versions[0]


def code_digest(folders):
    """A digest of the Python files below `folders` (our plugins), kept for as
    long as none of them changes."""
    files = []
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            files += [(folder, os.path.join(root, n)) for n in sorted(names) if n.endswith(".py")]
    stamps = tuple((path, file_stamp(path)) for _, path in files)
    if _code.get("stamps") != stamps:
        digest = hashlib.sha256()
        for folder, path in files:
            digest.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as handle:
                digest.update(handle.read())
        _code.update(stamps=stamps, digest=digest.hexdigest())
    return _code["digest"]


def fingerprint(settings, *parts):
    """A digest of `parts` (texts), the library versions and our code."""
    digest = hashlib.sha256()
    digest.update(versions().encode())
    plugin_dirs = [p for p in settings.get("PLUGIN_PATHS", []) if os.path.isdir(p)]
    digest.update(code_digest(plugin_dirs).encode())
    for part in parts:
        digest.update(b"\0" + (part if isinstance(part, bytes) else str(part).encode()))
    return digest.hexdigest()


def previous_output(settings):
    """The folder of the previous build when this build writes into a new,
    empty folder (tools/build.py names it in FASTBUILD's `previous_output`),
    else None. Files that build wrote and this one would write the same can
    be hard-linked from there."""
    return (settings.get("FASTBUILD") or {}).get("previous_output") or None


def link_stamp(path):
    """Size, modification time and inode of a file (None if there is none):
    the same for every hard link of it, so a file found again in a later
    build's folder is known to be the very file."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def link_previous(settings, output_path, rel, stamp):
    """Hard-link `rel` from the previous build's folder (`previous_output`)
    into `output_path` when it is the very file with `stamp` (`link_stamp`);
    whether it did. Files are never changed in place, so the link is safe."""
    previous = previous_output(settings)
    if not previous or not stamp:
        return False
    source = os.path.join(previous, rel)
    if link_stamp(source) != list(stamp):
        return False
    target = os.path.join(output_path, rel)
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(source, target)
    except OSError:
        return False
    return True


def preload(folder):
    """Read every store below `folder` now. The preview's build process does
    this between builds, so that each build it forks finds them read (a tenth
    of a second of every edit-to-reload on a large site). A build takes a
    store from here only while its file is the one read, and only once."""
    found = {}
    for root, _, names in os.walk(folder):
        for name in sorted(names):
            if not name.endswith(".pickle"):
                continue
            path = os.path.abspath(os.path.join(root, name))
            try:
                stamp = file_stamp(path)
                with open(path, "rb") as handle:
                    found[path] = (stamp, pickle.load(handle))
            except Exception:  # noqa: BLE001 - the build reads it itself and says why
                continue
    _preloaded.clear()
    _preloaded.update(found)
    return sorted(found)


def _preloaded_store(path):
    """What `preload` read from `path`, if the file is still the one it read."""
    kept = _preloaded.pop(os.path.abspath(path), None)
    if kept is None:
        return None
    try:
        return kept[1] if file_stamp(path) == kept[0] else None
    except OSError:
        return None


_held = []  # saves put off by `hold_saves`: (store, fingerprint, data), in order
_holding = [False]


def hold_saves():
    """Put off every `Store.save` until `flush_saves`. The preview's build
    process does this: its edit is shown as soon as the new folder is in
    place, and the caches for the next build are written after that."""
    _holding[0] = True


def flush_saves():
    """Write every save put off by `hold_saves`, in the order they were made."""
    _holding[0] = False
    while _held:
        store, fingerprint, data = _held.pop(0)
        store.save(fingerprint, data)


class Store:
    """One file below CACHE_PATH holding (fingerprint, data)."""

    def __init__(self, settings, name):
        self.path = os.path.join(settings.get("CACHE_PATH", "cache"), name)

    def load(self, fingerprint):
        """The data saved with this fingerprint, or None."""
        stored = _preloaded_store(self.path)
        try:
            if stored is None:
                with open(self.path, "rb") as handle:
                    stored = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as error:  # noqa: BLE001 - a damaged cache is rebuilt
            logger.debug("cache %s unreadable (%s); starting afresh", self.path, error)
            return None
        if not isinstance(stored, dict) or stored.get("fingerprint") != fingerprint:
            return None
        return stored.get("data")

    def save(self, fingerprint, data):
        if _holding[0]:
            _held.append((self, fingerprint, data))
            return
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        temporary = f"{self.path}.tmp-{os.getpid()}"
        with open(temporary, "wb") as handle:
            pickle.dump({"fingerprint": fingerprint, "data": data}, handle,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)
