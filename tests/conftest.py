"""Shared fixtures: build the real site, or a tiny fixture site, into tmp_path."""

import logging
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import sys

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
# Our plugins import as top-level packages, as Pelican loads them.
sys.path.insert(0, str(ROOT / "plugins"))
SUBPATH_SITEURL = "http://127.0.0.1:8765/portal"

# Deterministic builds: fixed time zone whatever the machine says.
os.environ.setdefault("TZ", "Europe/Brussels")


def build_site(content, output, siteurl=SUBPATH_SITEURL, conf="pelicanconf.py", **overrides):
    """Build `content` into `output` with our configuration, in this process.

    Returns the log records of the build, so tests can assert on problems.
    """
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(
        str(ROOT / conf),
        override=dict(
            {
                "PATH": str(content),
                "OUTPUT_PATH": str(output),
                "SITEURL": siteurl,
                "THEME": str(ROOT / "theme"),
                "PLUGIN_PATHS": [str(ROOT / "plugins")],
                "CACHE_PATH": str(Path(output).parent / "cache"),
            },
            **overrides,
        ),
    )
    from portal import problems

    records = Records()

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.WARNING)
    logging.getLogger().addHandler(handler)
    try:
        with problems.collecting() as found:
            records.problems = found
            Pelican(settings).run()
    finally:
        logging.getLogger().removeHandler(handler)
    return records


class Records(list):
    """The log records of a build; `problems` holds the problem records our
    plugins reported (`portal.problems.Problem`)."""

    problems = ()


class Site:
    """A built site: its output folder and helpers to read pages."""

    def __init__(self, output, siteurl, records):
        self.output = Path(output)
        self.siteurl = siteurl
        self.records = records
        self._soups = {}

    def path(self, url_or_path):
        """Output file for an absolute URL or a site-relative path."""
        rel = url_or_path
        if rel.startswith(self.siteurl):
            rel = rel[len(self.siteurl):]
        rel = rel.split("#", 1)[0].split("?", 1)[0].lstrip("/")
        target = self.output / rel
        if rel == "" or rel.endswith("/"):
            target = target / "index.html"
        return target

    def soup(self, url_or_path):
        target = self.path(url_or_path)
        if target not in self._soups:
            self._soups[target] = BeautifulSoup(target.read_text("utf-8"), "html.parser")
        return self._soups[target]

    def html_pages(self):
        """The site's web pages: every .html file but the e-mail exports of editions."""
        return sorted(
            p for p in self.output.rglob("*.html") if not p.name.startswith("email")
        )

    def url_of(self, file):
        rel = Path(file).relative_to(self.output).as_posix()
        if rel.endswith("index.html"):
            rel = rel[: -len("index.html")]
        return f"{self.siteurl}/{rel}"

    def errors(self):
        return [r.getMessage() for r in self.records if r.levelno >= logging.ERROR]

    @property
    def problems(self):
        """The problem records of the build (`portal.problems.Problem`)."""
        return list(getattr(self.records, "problems", ()))

    def error_records(self):
        """(plugin, path, field, message) of every error the build reported."""
        return [(p.plugin, p.path, p.field, p.message) for p in self.problems if p.is_error]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real content built under a sub-path, as `make publish` would."""
    out = tmp_path_factory.mktemp("site") / "output"
    records = build_site(ROOT / "content", out)
    return Site(out, SUBPATH_SITEURL, records)


@pytest.fixture
def fixture_site(tmp_path):
    """Build a tiny site from {relative path: text}; returns a Site."""

    def make(files, siteurl="http://example.test", **overrides):
        content = tmp_path / "content"
        if content.exists():
            shutil.rmtree(content)
        for rel, text in files.items():
            target = content / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, "utf-8")
        out = tmp_path / "output"
        records = build_site(content, out, siteurl=siteurl, **overrides)
        return Site(out, siteurl, records)

    return make


def page(title, body="Text.", **meta):
    """Markdown source with metadata for fixture content."""
    lines = [f"Title: {title}"] + [f"{key}: {value}" for key, value in meta.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


# --- Tools that some tests need ---------------------------------------------

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]


def require(condition, reason):
    """Skip a test whose tool is missing, but fail it in CI (CI=true)."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: .ci/run must install it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    require(os.path.exists(CHROMIUM), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_folder(folder, prefix=""):
    """Serve `folder` on 127.0.0.1 (a free port) under the URL path `prefix`.

    Returns (server, base URL); call server.shutdown() when done.
    """
    prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""

    class Handler(_QuietHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def translate_path(self, path):
            if prefix:
                if not (path == prefix or path.startswith(prefix + "/")):
                    return str(Path(folder) / "__outside_the_site__")
                path = path[len(prefix):] or "/"
            return super().translate_path(path)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The real site built for, and served at, http://127.0.0.1:<port>/portal.

    The server starts first, so SITEURL carries the port it got.
    """
    out = tmp_path_factory.mktemp("served") / "output"
    out.mkdir()
    server, base = serve_folder(out, "/portal")
    records = build_site(ROOT / "content", out, siteurl=base)
    yield Site(out, base, records)
    server.shutdown()


# --- Safe build and author tools ------------------------------------------------


def write_files(folder, files):
    """Write {relative path: text or bytes} below `folder`."""
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def run_build(tmp, content, *args, **env):
    """Run tools/build.py (as `make html` does) in `tmp`, into `tmp/output`;
    `env` adds environment variables (TZ, PYTHONHASHSEED, ...)."""
    import subprocess

    command = [sys.executable, str(ROOT / "tools" / "build.py"), "-s", str(ROOT / "pelicanconf.py"),
               "-c", str(content), "-o", str(tmp / "output"), "--cache-path", str(tmp / "cache"),
               *args]
    env = dict({"PATH": "/usr/bin:/bin", "TZ": "UTC", "SITEURL": "http://example.test"}, **env)
    return subprocess.run(command, cwd=tmp, capture_output=True, text=True, env=env)


# --- Publishing: the project as a fresh clone would have it -------------------

# Never copied: built output, installed tools, caches.
NOT_PROJECT_FILES = [".git", ".venv", "node_modules", "output", "cache", "__pycache__",
                     ".pytest_cache", "*.pyc", "*.mo"]


def project_files():
    """Relative paths of the files a commit would hold: tracked files and new
    files that are not ignored (git), else every file but NOT_PROJECT_FILES."""
    import subprocess

    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout.decode("utf-8").split("\0")
        return sorted(rel for rel in listed if rel and (ROOT / rel).is_file())
    except (OSError, subprocess.CalledProcessError):
        skip = shutil.ignore_patterns(*NOT_PROJECT_FILES)
        found = []
        for folder, dirs, files in os.walk(ROOT):
            dirs[:] = sorted(set(dirs) - skip(folder, dirs))
            found += [os.path.relpath(os.path.join(folder, name), ROOT)
                      for name in sorted(set(files) - skip(folder, files))]
        return found


def copy_project(dest):
    """Copy the project as a fresh clone would have it to `dest` (without .git).

    Timestamps are kept, so the Makefile sees the shared .venv as up to date.
    Returns `dest`.
    """
    dest = Path(dest)
    for rel in project_files():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    if (ROOT / "node_modules").is_dir():
        (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


# --- Whole-site builds compared file by file ----------------------------------


def files_of(folder):
    """{relative path: bytes} of every file below `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def content(tmp_path):
    """A copy of the real content folder, free to edit."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target
