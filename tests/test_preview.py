"""`make serve`: a saved edit shows in the open tab by itself, a broken file
shows its problems on the page (in the page's language) while the last good
site stays served, and stopping make stops everything the preview started."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid

import pytest

from conftest import ROOT, copy_project, require

NEWS = "content/news/delegation.nl.md"
NEWS_URL = "/nl/nieuws/europese-delegatie-limburg/"
NEWS_EN_URL = "/en/news/european-delegation-limburg/"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port):
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def processes_with(marker):
    """Process ids whose environment holds `marker` (every process the preview
    started inherits it: build processes, workers, Pagefind)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read()
            with open(f"/proc/{entry}/stat") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in environ and state != "Z":
            found.append(int(entry))
    return found


def status(base):
    with urllib.request.urlopen(base + "/__preview__/status", timeout=5) as response:
        return json.load(response)


def stop_started(process, marker, log):
    """Stop a `make` the test started as an editor would (SIGTERM), then make
    sure nothing with its `marker` is left; returns its log."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for pid in processes_with(marker):  # only after a failure
        os.kill(pid, signal.SIGKILL)
    return log.read_text()


class Preview:
    """`make serve` running in a copy of the project."""

    def __init__(self, project, port):
        self.project, self.port = project, port
        self.base = f"http://127.0.0.1:{port}"
        self.marker = f"PREVIEW_TEST_{uuid.uuid4().hex}"
        env = dict(os.environ, SITEURL=self.base, **{self.marker: "1"})
        env.pop("MAKEFLAGS", None)
        # A file, not a pipe: a process left behind must not keep the test waiting.
        self.log = project / "serve.log"
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                ["make", "--no-print-directory", "serve", f"PORT={port}", f"VENV={ROOT / '.venv'}"],
                cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
            )

    def wait_for_build(self, after=0, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                found = status(self.base)
                if found["build"] > after:
                    return found
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError("the preview did not finish a build")

    def stop(self):
        return stop_started(self.process, self.marker, self.log)


@pytest.fixture
def preview(tmp_path):
    require(shutil.which("make"), "make is not installed (apt-get install make)")
    project = copy_project(tmp_path / "project")
    running = Preview(project, free_port())
    yield running
    running.stop()


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    # A new size and time, as an editor's save gives.
    path.write_text(text.replace(old, new), "utf-8")


@pytest.mark.browser
def test_the_open_tab_follows_every_save_and_shows_problems(browser, preview):
    preview.wait_for_build()
    source = preview.project / NEWS
    tab = browser.new_page()
    english = browser.new_page()
    reloads = []
    tab.on("load", lambda: reloads.append(tab.url))
    errors = []
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.goto(preview.base + NEWS_URL)
    english.goto(preview.base + NEWS_EN_URL)
    assert tab.locator("h1").inner_text() == "Europese delegatie verkent het Limburgse innovatielandschap"

    # A saved edit shows in the tab without anyone reloading it.
    edit(source, "bracht een bezoek aan Limburg.", "bracht een tweedaags bezoek aan Limburg.")
    tab.get_by_text("bracht een tweedaags bezoek aan Limburg").wait_for(timeout=20000)
    # The new text shows before the reloaded page's load event is delivered.
    for _ in range(200):
        if len(reloads) >= 2:
            break
        tab.wait_for_timeout(50)
    assert len(reloads) >= 2

    # An unknown domain: the page says so in Dutch, the English page in English,
    # and both still show the last good build. The English file now gives other
    # Domains than the Dutch one, which is named too.
    edit(source, "Domains: high-tech, biobased", "Domains: high-tech, ruimtevaart")
    overlay = tab.locator(".preview-problems")
    overlay.wait_for(timeout=20000)
    assert overlay.get_attribute("lang") == "nl"
    assert overlay.locator("h2").inner_text() == "De site is niet bijgewerkt: 2 problemen"
    rows = [row.locator("td").all_inner_texts() for row in overlay.locator("tbody tr").all()]
    assert [row[:2] for row in rows] == [[NEWS.replace(".nl.md", ".en.md"), "domains"],
                                         [NEWS, "domains"]]
    assert rows[0][2].startswith("hier 'high-tech, biobased' maar 'high-tech, ruimtevaart' in ")
    cells = rows[1]
    assert cells[1] == "domains"
    assert cells[2].startswith("onbekend domein 'ruimtevaart'; gebruik een van: ")
    assert cells[2].endswith("(fout)")
    assert tab.get_by_text("bracht een tweedaags bezoek aan Limburg").is_visible()

    english_overlay = english.locator(".preview-problems")
    english_overlay.wait_for(timeout=20000)
    assert english_overlay.get_attribute("lang") == "en"
    assert english_overlay.locator("h2").inner_text() == "The site was not updated: 2 problems"
    english_cells = english_overlay.locator("tbody tr").nth(1).locator("td").all_inner_texts()
    assert english_cells[:2] == [NEWS, "domains"]
    assert english_cells[2].startswith("unknown domain 'ruimtevaart'; use one of: ")

    # Fixing the file clears it.
    edit(source, "Domains: high-tech, ruimtevaart", "Domains: high-tech, biobased")
    overlay.wait_for(state="detached", timeout=20000)
    english_overlay.wait_for(state="detached", timeout=20000)
    assert tab.get_by_text("bracht een tweedaags bezoek aan Limburg").is_visible()
    # The Content Security Policy let the preview's script run; nothing was blocked.
    assert errors == []
    tab.close()
    english.close()

    # The reload script is the preview's: the files themselves never hold it.
    output = preview.project / "output"
    assert "tweedaags" in (output / NEWS_URL.strip("/") / "index.html").read_text("utf-8")
    assert not [p for p in output.rglob("*.html") if "__preview__" in p.read_text("utf-8")]
    terminal = preview.stop()
    assert f"{NEWS}: domains: unknown domain 'ruimtevaart'; use one of: " in terminal


def test_sigterm_to_make_stops_every_process_and_frees_the_port(preview):
    preview.wait_for_build()
    # One more build running while make is stopped.
    edit(preview.project / NEWS, "bracht een bezoek", "bracht opnieuw een bezoek")
    time.sleep(0.2)
    assert processes_with(preview.marker)
    preview.process.send_signal(signal.SIGTERM)
    preview.process.wait(timeout=30)
    assert processes_with(preview.marker) == []
    assert port_is_free(preview.port)
    # No half-built folder stays behind either.
    assert sorted(p.name for p in preview.project.iterdir() if p.name.startswith("output")) == ["output"]
    assert "Stopping the preview." in preview.log.read_text()


def test_a_build_after_make_html_writes_again_only_the_pages_of_the_edited_item(tmp_path):
    from conftest import run_build

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    assert run_build(tmp_path, content).returncode == 0
    output = tmp_path / "output"

    def web_pages():  # the e-mail exports of editions are written on every build
        return {p.relative_to(output).as_posix(): p.stat().st_ino
                for p in output.rglob("*.html") if p.name != "email.html"}

    before = web_pages()
    edit(content / "news" / "delegation.nl.md", "bracht een bezoek", "bracht opnieuw een bezoek")
    assert run_build(tmp_path, content).returncode == 0
    after = web_pages()
    assert after.keys() == before.keys()
    # Pages of the previous build are reused as they are (the same file);
    # only the item's own page is written again (its summary is set, so the
    # lists that show it do not read its text).
    rewritten = sorted(rel for rel in after if after[rel] != before[rel])
    assert rewritten == [NEWS_URL.strip("/") + "/index.html"]
    assert "opnieuw een bezoek" in (output / rewritten[0]).read_text("utf-8")
