"""Live preview for editors: build, serve, rebuild on every save, reload the browser.

    python tools/serve.py [-s pelicanconf.py] [-c content] [-o output] [--host H] [--port P]

- Every build goes through tools/build.py (a temporary folder, swapped in for
  output/ only when the build succeeded), with its incremental caches: a
  save rebuilds only what changed.
- output/ is served on http://HOST:PORT/. Into every HTML page the server
  sends (never into the files) it adds one stylesheet and one script from
  /__preview__/, both from the same address, so the site's Content Security
  Policy (`script-src 'self'`) lets them run. The script listens for
  server-sent events and reloads the tab when a build is done.
- When a build has problems, the last good site stays served and every page
  shows them on top, in the page's language (Dutch or English): file, field,
  what to do. The terminal prints the same. The next good build clears it.
- content/, the theme, the plugins and the settings file are watched; a
  change to the plugins or the settings starts a fresh build process.
- With --admin FOLDER (make cms), /admin/ serves the web editor as it is:
  admin/, Decap CMS from node_modules and the configuration in FOLDER.
- Ctrl+C or SIGTERM stops the server, the watcher and every build process
  (worker processes and Pagefind included) before this process ends.

Builds run in a separate process that has imported Pelican and the plugins
once and forks a fresh copy of itself for each build. Between builds it reads
the caches the last build left; a build writes its caches after its site is
swapped in, so the reload does not wait for them.
"""

import argparse
import functools
import html
import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "/__preview__/"

# --- The build process ----------------------------------------------------------


def builder_main(args):
    """Import everything a build needs once, then build on each `build` line
    of stdin in a forked child, answering one JSON line per build."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the preview process decides when to stop
    sys.path.insert(0, str(ROOT / "tools"))
    import importlib

    import build  # noqa: F401 - tools/build.py
    from pelican import Pelican  # noqa: F401 - imported once for every build
    from pelican.settings import read_settings

    settings = read_settings(args.settings)
    sys.path[:0] = [p for p in settings.get("PLUGIN_PATHS", []) if p not in sys.path]
    for name in settings.get("PLUGINS") or []:
        if isinstance(name, str):
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the build itself reports it
                pass
    warm_up(settings)
    read_caches(settings)
    answer = sys.stdout
    for line in sys.stdin:
        if line.strip() != "build":
            continue
        reap_children()
        answer.write(json.dumps(build_in_child(args)) + "\n")
        answer.flush()
        read_caches(settings)


def warm_up(settings):
    """Look up once, before the builds fork, what every build would otherwise
    look up again: Python-Markdown's list of installed extensions (it reads
    the metadata of every installed package), the versions of the libraries
    the caches depend on, and Babel's data of the site's languages."""
    try:
        from babel import localedata
        from markdown import util as markdown_util
        from portal import cache
        from portal.localize import site_locales

        markdown_util.get_installed_extensions()
        cache.versions()
        for locale in site_locales(settings).values():
            localedata.load(str(locale))
    except Exception:  # noqa: BLE001 - the build itself reports what is wrong
        pass


def read_caches(settings):
    """Read the caches the last build left (the rendered Markdown, the page
    records, ...) while the editor writes, so the next build, forked from
    here, starts with them in memory. Kept out of the garbage collector's
    rounds: the builds only read them."""
    import gc

    while _saving:  # the builds that are still writing their caches
        with _saving.pop() as rest:
            rest.read()
    try:
        from portal import cache

        cache.preload(os.path.abspath(settings.get("CACHE_PATH") or "cache"))
    except Exception:  # noqa: BLE001 - each build reads what it needs itself
        return
    gc.freeze()


def build_in_child(args):
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        code = 0
        try:
            # A stop in the middle of a build still removes its temporary folder.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)  # Pelican's own summary line
            out = os.fdopen(write_end, "w")
            from portal import cache

            cache.hold_saves()

            def answer(result):
                # As soon as the new site is served: the caches for the next
                # build are written after it (the pipe closes when they are),
                # then the old output folder (thousands of folders for a
                # large site) is removed.
                if not out.closed:
                    out.write(json.dumps(result) + "\n")
                    out.flush()
                    cache.flush_saves()
                    out.close()

            answer(run_build(args, answer))
        except SystemExit as stop:  # stopped by the preview (SIGTERM): nothing to report
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:  # noqa: BLE001 - reported by the parent
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    source = os.fdopen(read_end)
    data = source.readline()
    _saving.append(source)  # open until the build has written its caches
    _children.append(pid)
    reap_children(wait=not data)
    if not data:
        return {"status": 1, "written": None, "seconds": time.perf_counter() - started,
                "problems": [{"path": "(site)", "field": "build", "level": "error",
                              "message": "the build process stopped unexpectedly; "
                                         "see the terminal for details"}]}
    result = json.loads(data)
    result["seconds"] = time.perf_counter() - started
    return result


_children = []  # build processes that may still be removing an old output folder
_saving = []  # the answer pipes of builds that may still be writing their caches


def reap_children(wait=False):
    for pid in list(_children):
        done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        if done:
            _children.remove(pid)


def run_build(args, answer):
    import build

    written = {}

    class Count(logging.Handler):
        def emit(self, record):
            match = re.search(r"(\d+) pages written, (\d+) unchanged", record.getMessage())
            if match:
                written["pages"] = int(match[1])

    counter = logging.getLogger("fastbuild.writing")
    counter.setLevel(logging.INFO)
    counter.addHandler(Count())
    def result(status, problems):
        return {"status": status, "written": written.get("pages"),
                "problems": [p.record() for p in problems]}

    status, problems = build.build_site(args.settings, args.content, args.output,
                                        swapped=lambda found: answer(result(0, found)))
    return result(status, problems)


class Builder:
    """The build process, seen from the preview process."""

    def __init__(self, args):
        self.args = args
        self.process = None

    def start(self):
        command = [sys.executable, str(Path(__file__).resolve()), "--builder",
                   "-s", self.args.settings, "-c", self.args.content, "-o", self.args.output]
        # A session of its own: stopping it stops everything it started.
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, start_new_session=True)

    def build(self):
        if self.process is None or self.process.poll() is not None:
            self.start()
        self.process.stdin.write("build\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            self.process = None
            return {"status": 1, "written": None, "seconds": 0.0, "problems": [
                {"path": "(site)", "field": "build", "level": "error",
                 "message": "the build process stopped; see the terminal for details"}]}
        return json.loads(line)

    def stop(self, grace=1.5):
        """Stop the build process and everything it started; returns when they are gone."""
        process, self.process = self.process, None
        if process is None:
            return
        group = process.pid
        try:
            os.killpg(group, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and group_alive(group):
            process.poll()  # reaps the build process once it has ended
            time.sleep(0.02)
        if group_alive(group):
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait()
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        while group_alive(group):  # reaped by their parents or by init
            time.sleep(0.02)


def group_alive(group):
    """Whether a process of this process group still runs (zombies do not)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # Zombies count as alive for killpg; look for a process that still runs.
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


# --- What the browser gets ----------------------------------------------------

RELOAD_JS = """\
// Preview only (tools/serve.py): reload this tab when a new build is done.
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script ? script.getAttribute("data-build") : null;
  var source = new EventSource("/__preview__/events");
  source.addEventListener("build", function (event) {
    if (event.data !== shown) {
      source.close();
      window.location.reload();
    }
  });
})();
"""

PREVIEW_CSS = """\
/* Preview only (tools/serve.py): the problems of the last build. */
.preview-problems {
  position: fixed; inset: 0 0 auto 0; z-index: 2147483647;
  max-height: 70vh; overflow: auto; box-sizing: border-box;
  padding: 1rem 1.25rem; border-bottom: 0.35rem solid #a4001d;
  background: #fff4f4; color: #1b1b1b; box-shadow: 0 0.3rem 1rem rgba(0, 0, 0, 0.3);
  font: 1rem/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
.preview-problems h2 { margin: 0 0 0.4rem; font-size: 1.25rem; color: #7a0015; }
.preview-problems p { margin: 0 0 0.75rem; }
.preview-problems table { border-collapse: collapse; width: 100%; }
.preview-problems th, .preview-problems td {
  text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-top: 1px solid #d9b3b9;
}
.preview-problems code { font-size: 0.95em; overflow-wrap: anywhere; }
"""

TEXTS = {
    "nl": {
        "title": ("De site is niet bijgewerkt: {n} probleem", "De site is niet bijgewerkt: {n} problemen"),
        "intro": "Je ziet de laatste versie die wel lukte. Los de problemen hieronder op en bewaar "
                 "het bestand: de pagina laadt dan vanzelf opnieuw.",
        "file": "Bestand", "field": "Veld", "todo": "Wat te doen",
        "warning": "waarschuwing", "error": "fout",
        "no_site": "Er is nog geen site om te tonen.",
    },
    "en": {
        "title": ("The site was not updated: {n} problem", "The site was not updated: {n} problems"),
        "intro": "You are seeing the last version that built. Fix the problems below and save "
                 "the file: the page then reloads by itself.",
        "file": "File", "field": "Field", "todo": "What to do",
        "warning": "warning", "error": "error",
        "no_site": "There is no site to show yet.",
    },
}

# The build's messages for authors (plugins/validation, tools/build.py), in Dutch.
# A message not listed here is shown as it is, marked as English.
DUTCH = [
    (r"unknown domain (?P<key>'[^']*'); use one of: (?P<list>.+)",
     "onbekend domein {key}; gebruik een van: {list}"),
    (r"unknown partner (?P<key>'[^']*'); use one of: (?P<list>.+)",
     "onbekende partner {key}; gebruik een van: {list}"),
    (r"the (?P<name>\w+) line is missing or empty; add '(?P<line>[^']*)' at the top of the file",
     "de regel {name} ontbreekt of is leeg; zet '{line}' bovenaan het bestand"),
    (r"the (?P<name>\w+) line is missing or empty; add one sentence: it is shown in lists, "
     r"search results and link previews",
     "de regel {name} ontbreekt of is leeg; schrijf één zin: die staat in lijsten, "
     "zoekresultaten en voorbeelden van links"),
    (r"(?P<value>.+) is not a full date; write year-month-day, e.g. 2026-03-18",
     "{value} is geen volledige datum; schrijf jaar-maand-dag, bijvoorbeeld 2026-03-18"),
    (r"(?P<value>.+) is not a real date; write year-month-day, e.g. 2026-03-18",
     "{value} bestaat niet als datum; schrijf jaar-maand-dag, bijvoorbeeld 2026-03-18"),
    (r"the link (?P<link>\S+) points to (?P<path>\S+), which does not exist; check the file "
     r"name and folder",
     "de link {link} wijst naar {path}, dat niet bestaat; controleer de bestandsnaam en de map"),
    (r"the link (?P<link>\S+) points to (?P<path>\S+), which does not exist; did you mean "
     r"(?P<meant>\S+), from the content folder\?",
     "de link {link} wijst naar {path}, dat niet bestaat; bedoel je {meant}, vanuit de map "
     "content?"),
    (r"this field is not used for (?P<kind>[\w-]+); did you mean (?P<name>\w+)\?",
     "dit veld wordt niet gebruikt voor {kind}; bedoel je {name}?"),
    (r"this field is not used for (?P<kind>[\w-]+); check the spelling",
     "dit veld wordt niet gebruikt voor {kind}; controleer de spelling"),
    (r"the file is empty; write the metadata lines \(Title: \.\.\.\) and the text",
     "het bestand is leeg; schrijf de regels met gegevens (Title: ...) en de tekst"),
    (r"the file is not saved as UTF-8 \(unreadable byte at line (?P<line>\d+)\); save it again "
     r"as UTF-8 in your editor",
     "het bestand is niet als UTF-8 bewaard (onleesbaar teken op regel {line}); bewaar het "
     "opnieuw als UTF-8 in je editor"),
    (r"the title contains HTML markup; write the title as plain text",
     "de titel bevat HTML-opmaak; schrijf de titel als gewone tekst"),
    (r"an image has no description: write what it shows between the brackets, "
     r"!\[like this\]\(\.\.\.\)",
     "een afbeelding heeft geen beschrijving: schrijf tussen de haken wat erop staat, "
     "![zoals hier](...)"),
    (r"(?P<n>\d+) files would be published at the same address (?P<url>\S+): (?P<paths>.+); "
     r"give each its own Slug",
     "{n} bestanden zouden op hetzelfde adres {url} komen: {paths}; geef elk een eigen Slug"),
    (r"the file could not be read; check its metadata lines at the top",
     "het bestand kon niet worden gelezen; controleer de regels met gegevens bovenaan"),
    (r"this field is missing", "dit veld ontbreekt"),
    (r"(?P<own>'.*') here but (?P<base>'.*') in (?P<source>\S+); (?P<name>\w+) is the same in "
     r"every language: write it once, in \S+, or the same in both files",
     "hier {own} maar {base} in {source}; {name} is in elke taal hetzelfde: schrijf het één "
     "keer, in {source}, of in beide bestanden hetzelfde"),
    (r"the (?P<name>\w+) line is missing or empty; add '(?P<line>[^']*)' here or in (?P<source>\S+)",
     "de regel {name} ontbreekt of is leeg; zet '{line}' hier of in {source}"),
]
DUTCH = [(re.compile(pattern + "$"), text) for pattern, text in DUTCH]


def say(message, lang):
    """`message` in `lang`: (text, its language)."""
    if lang == "nl":
        for pattern, text in DUTCH:
            match = pattern.match(message)
            if match:
                parts = dict(match.groupdict())
                if "paths" in parts:
                    parts["paths"] = parts["paths"].replace(" and ", " en ")
                return text.format(**parts), "nl"
    return message, "en"


def problems_html(problems, lang):
    texts = TEXTS[lang]
    rows = []
    for problem in problems:
        text, text_lang = say(problem["message"], lang)
        attr = "" if text_lang == lang else f' lang="{text_lang}"'
        kind = texts[problem["level"]] if problem["level"] in texts else problem["level"]
        rows.append(
            f"<tr><td><code>{html.escape(problem['path'])}</code></td>"
            f"<td>{html.escape(problem['field'])}</td>"
            f"<td><span{attr}>{html.escape(text)}</span> ({html.escape(kind)})</td></tr>"
        )
    one, many = texts["title"]
    title = (one if len(problems) == 1 else many).format(n=len(problems))
    return (
        f'<section class="preview-problems" role="alert" aria-labelledby="preview-problems-title"'
        f' lang="{lang}">'
        f'<h2 id="preview-problems-title">{html.escape(title)}</h2>'
        f"<p>{html.escape(texts['intro'])}</p>"
        f'<table><thead><tr><th scope="col">{texts["file"]}</th><th scope="col">{texts["field"]}'
        f'</th><th scope="col">{texts["todo"]}</th></tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table></section>"
    )


HTML_LANG = re.compile(rb"<html[^>]*\blang=\"(?P<lang>[a-zA-Z-]+)\"")
HEAD_END = re.compile(rb"</head\s*>", re.I)
BODY_START = re.compile(rb"<body\b[^>]*>", re.I)
BODY_END = re.compile(rb"</body\s*>", re.I)


def page_lang(body, path=""):
    match = HTML_LANG.search(body[:2000])
    lang = match["lang"].decode().split("-")[0].lower() if match else ""
    if lang not in TEXTS:
        lang = "en" if path.startswith("/en/") else "nl"
    return lang


def inject(body, state, path):
    """The page as the preview shows it: stylesheet, reload script, problems."""
    build_id, problems = state.snapshot()
    head = f'<link rel="stylesheet" href="{PREFIX}preview.css">'.encode()
    script = f'<script src="{PREFIX}reload.js" data-build="{build_id}"></script>'.encode()
    match = HEAD_END.search(body)
    if match:
        body = body[:match.start()] + head + body[match.start():]
    overlay = problems_html(problems, page_lang(body, path)).encode() if problems else b""
    match = BODY_START.search(body)
    if match:
        body = body[:match.end()] + overlay + body[match.end():]
    else:
        body = overlay + body
    match = None
    for match in BODY_END.finditer(body):
        pass
    if match:
        return body[:match.start()] + script + body[match.start():]
    return body + script


def placeholder_page(lang):
    """Shown for every page while there is no good build yet."""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>Preview</title></head><body><main><p>{TEXTS[lang]['no_site']}</p></main>"
            "</body></html>").encode()


class State:
    """The build the server shows: its number and its problems (none when it
    succeeded). Browsers wait on `changed` for the next one."""

    def __init__(self):
        self.changed = threading.Condition()
        self.build_id = 0
        self.problems = []
        self.stopping = False
        self.listeners = 0

    def snapshot(self):
        with self.changed:
            return self.build_id, list(self.problems)

    def publish(self, problems):
        with self.changed:
            self.build_id += 1
            self.problems = problems
            self.changed.notify_all()
            return self.listeners

    def stop(self):
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


ADMIN = "/admin/"
# The editor's files (make cms): ours, then Decap CMS's bundle.
ADMIN_FILES = ROOT / "admin"
DECAP_FILES = ROOT / "node_modules" / "decap-cms" / "dist"
ADMIN_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".yml": "text/yaml; charset=utf-8", ".css": "text/css; charset=utf-8",
               ".wasm": "application/wasm", ".map": "application/json"}


class PreviewHandler(SimpleHTTPRequestHandler):
    state = None
    # The folder of the generated editor configuration (tools/cms.py), or None.
    admin = None

    def log_message(self, format, *args):  # noqa: A002 - the terminal shows builds only
        pass

    def end_headers(self):
        # The browser asks again every time (and gets 304 when nothing changed).
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self):
        self.respond(head_only=False)

    def do_HEAD(self):
        self.respond(head_only=True)

    def respond(self, head_only):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(PREFIX):
            return self.preview_file(path[len(PREFIX):], head_only)
        if self.admin and (path == "/admin" or path.startswith(ADMIN)):
            return self.admin_file(path, head_only)
        target = self.html_target(path)
        if target is None:
            return super().do_HEAD() if head_only else super().do_GET()
        status, file = target
        if file is None:
            body = placeholder_page("en" if path.startswith("/en/") else "nl")
        else:
            body = None
            for _ in range(5):  # output/ is swapped in by a rename: it may be gone for a moment
                try:
                    body = file.read_bytes()
                    break
                except FileNotFoundError:
                    time.sleep(0.02)
            if body is None:
                return super().do_HEAD() if head_only else super().do_GET()
        self.send_bytes(status, "text/html; charset=utf-8", inject(body, self.state, path), head_only)

    def html_target(self, path):
        """(status, file) for a request the preview answers with a page; None
        for everything else (the standard handler serves it as it is)."""
        local = Path(self.translate_path(path))
        root = Path(self.directory)
        if not root.is_dir():  # no build has succeeded yet
            page = path.endswith(("/", ".html"))
            return (HTTPStatus.SERVICE_UNAVAILABLE, None) if page else None
        if local.is_dir():
            if not path.endswith("/"):
                return None  # the standard handler redirects to the address with `/`
            local = local / "index.html"
            if not local.is_file():
                return None
        if local.is_file():
            return (HTTPStatus.OK, local) if local.suffix == ".html" else None
        for missing in (root / path.strip("/").split("/")[0] / "404.html", root / "404.html"):
            if missing.is_file():
                return HTTPStatus.NOT_FOUND, missing
        return None

    def admin_file(self, path, head_only):
        """The web editor at /admin/, sent as it is: no reload script (a save
        must not reload the editor), its own policy in its page."""
        if path == "/admin":
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", ADMIN)
            self.send_header("Content-Length", "0")
            return self.end_headers()
        name = path[len(ADMIN):] or "index.html"
        if name.startswith("decap/"):
            folder, name = DECAP_FILES, name[len("decap/"):]
        elif name in ("config.yml", "model.js"):
            folder = Path(self.admin)
        else:
            folder = ADMIN_FILES
        target = (folder / name).resolve()
        if (folder.resolve() not in target.parents or not target.is_file()
                or target.suffix not in ADMIN_TYPES):
            return self.send_error(HTTPStatus.NOT_FOUND)
        self.send_bytes(200, ADMIN_TYPES[target.suffix], target.read_bytes(), head_only)

    def preview_file(self, name, head_only):
        if name == "events":
            return self.events()
        if name == "reload.js":
            return self.send_bytes(200, "text/javascript; charset=utf-8", RELOAD_JS.encode(), head_only)
        if name == "preview.css":
            return self.send_bytes(200, "text/css; charset=utf-8", PREVIEW_CSS.encode(), head_only)
        if name == "status":
            build_id, problems = self.state.snapshot()
            data = json.dumps({"build": build_id, "problems": problems}).encode()
            return self.send_bytes(200, "application/json", data, head_only)
        return self.send_error(HTTPStatus.NOT_FOUND)

    def send_bytes(self, status, kind, data, head_only):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head_only:
            self.wfile.write(data)

    def events(self):
        """Server-sent events: the number of every finished build."""
        state = self.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        sent = None
        with state.changed:
            state.listeners += 1
        try:
            while True:
                with state.changed:
                    if state.build_id == sent and not state.stopping:
                        state.changed.wait(timeout=15)
                    if state.stopping:
                        return
                    current = state.build_id
                if current != sent:
                    self.wfile.write(f"event: build\ndata: {current}\n\n".encode())
                    sent = current
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except OSError:  # the tab was closed or reloaded
            return
        finally:
            with state.changed:
                state.listeners -= 1


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


# --- Watching and the terminal ---------------------------------------------------


def remove_leftovers(output):
    """Old output folders whose removal a stopped preview interrupted."""
    import shutil

    output = Path(output).resolve()
    for old in output.parent.glob(f"{output.name}.old-*"):
        shutil.rmtree(old, ignore_errors=True)


def watched_folders(args):
    from pelican.settings import read_settings

    settings = read_settings(args.settings)
    restart = [p for p in settings.get("PLUGIN_PATHS", []) if os.path.isdir(p)]
    restart.append(os.path.abspath(args.settings))
    rebuild = [os.path.abspath(args.content)]
    if os.path.isdir(settings.get("THEME", "")):
        rebuild.append(settings["THEME"])
    return rebuild, restart


def watch(paths, changes, stop):
    from watchfiles import DefaultFilter, watch as watch_files

    for found in watch_files(*paths, watch_filter=DefaultFilter(), stop_event=stop,
                             debounce=1600, step=30, yield_on_timeout=False,
                             raise_interrupt=False):
        changes.put({path for _, path in found})


def show(path):
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def report(result, listeners, changed):
    stamp = time.strftime("%H:%M:%S")
    what = ", ".join(sorted(show(p) for p in changed)[:3]) if changed else "first build"
    if changed and len(changed) > 3:
        what += f" and {len(changed) - 3} more"
    problems = result["problems"]
    lines = [f"{p['path']}: {p['field']}: {p['message']} ({p['level']})" for p in problems]
    if result["status"] == 0:
        written = "" if result.get("written") is None else f", {result['written']} page(s) written"
        tabs = f"; reloading {listeners} open tab(s)" if listeners else ""
        print(f"[{stamp}] {what}: built in {result['seconds']:.2f} s{written}{tabs}", flush=True)
        for line in lines:
            print(f"    {line}", flush=True)
    else:
        errors = sum(1 for p in problems if p["level"] == "error")
        print(f"[{stamp}] {what}: {errors} error(s), {len(problems) - errors} warning(s) "
              f"(after {result['seconds']:.2f} s); the last good site stays served and every "
              f"page shows these:", flush=True)
        for line in lines:
            print(f"    {line}", flush=True)


def add_site_arguments(parser):
    """The options of the preview that `make cms` passes on to it."""
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-c", "--content", default="content")
    parser.add_argument("-o", "--output", default="output")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Live preview: build, serve, rebuild on save.")
    add_site_arguments(parser)
    parser.add_argument("--admin", default=None,
                        help="serve the web editor at /admin/ with the configuration in this folder")
    parser.add_argument("--builder", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.builder:
        return builder_main(args)

    import queue

    os.environ.setdefault("SITEURL", f"http://localhost:{args.port}")
    os.environ.setdefault("TZ", "Europe/Brussels")
    stop = threading.Event()

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    if not Path(args.content).is_dir():
        print(f"{args.content}: folder: the content folder does not exist", file=sys.stderr)
        return 2
    state = State()
    handler = functools.partial(type("Handler", (PreviewHandler,),
                                     {"state": state, "admin": args.admin}),
                                directory=str(Path(args.output).resolve()))
    try:
        server = PreviewServer((args.host, args.port), handler)
    except OSError as error:
        print(f"make serve: port {args.port} on {args.host} is not free ({error.strerror}); "
              f"stop what uses it or choose another: make serve PORT=8001", file=sys.stderr)
        return 2
    remove_leftovers(args.output)
    builder = Builder(args)
    changes = queue.Queue()
    threads = []
    try:
        rebuild, restart = watched_folders(args)
        builder.start()
        address = os.environ["SITEURL"].rstrip("/") + "/"
        print(f"Preview: {address}  (serving {show(args.output)}/ on {args.host}:{args.port}; "
              "Ctrl+C stops)", flush=True)
        print("Watching " + ", ".join(show(p) + ("/" if os.path.isdir(p) else "")
                                      for p in rebuild + restart), flush=True)
        threads.append(threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True))
        threads.append(threading.Thread(target=watch, args=(rebuild + restart, changes, stop),
                                        daemon=True))
        for thread in threads:
            thread.start()
        changed = set()
        while True:
            result = builder.build()
            report(result, state.publish(result["problems"] if result["status"] else []), changed)
            while True:  # waits for the next save
                try:
                    changed = changes.get(timeout=0.5)
                    break
                except queue.Empty:
                    pass
            while True:  # saves that came in during the build are built together
                try:
                    changed |= changes.get(timeout=0.05)
                except queue.Empty:
                    break
            if any(Path(p) == Path(r) or Path(r) in Path(p).parents
                   for p in changed for r in restart):
                builder.stop()
                builder.start()
    except KeyboardInterrupt:
        print("Stopping the preview.", flush=True)
    finally:
        stop.set()
        state.stop()
        builder.stop()
        server.shutdown() if threads else None
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
