"""`make cms`: the web editor in the browser saves a new Dutch and English
item side by side in our own file format, an edit of one field changes one
line of one file, the preview shows what was saved, and SIGTERM to make stops
the editor's server and the preview completely."""

import difflib
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
import uuid

import pytest

from conftest import ROOT, copy_project, require, run_build
from test_preview import free_port, port_is_free, processes_with, status, stop_started


def files_below(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Editor:
    """`make cms` running in a copy of the project."""

    def __init__(self, project):
        self.project = project
        self.port, self.backend_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.marker = f"CMS_TEST_{uuid.uuid4().hex}"
        env = dict(os.environ, SITEURL=self.base, **{self.marker: "1"})
        env.pop("MAKEFLAGS", None)
        self.log = project / "cms.log"
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                ["make", "--no-print-directory", "cms", f"PORT={self.port}",
                 f"CMS_PORT={self.backend_port}", f"VENV={ROOT / '.venv'}"],
                cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)

    def wait_until_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if "Editor: " in self.log.read_text() and status(self.base)["build"] > 0:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("make cms did not start: " + self.log.read_text())

    def wait_for_build(self, after, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = status(self.base)
            if found["build"] > after:
                return found
            time.sleep(0.2)
        raise AssertionError("the preview did not build again: " + self.log.read_text())

    def stop(self):
        return stop_started(self.process, self.marker, self.log)


@pytest.fixture
def editor(tmp_path):
    require(shutil.which("make"), "make is not installed (apt-get install make)")
    require(shutil.which("node"), "Node.js is not installed (apt-get install nodejs)")
    require((ROOT / "node_modules" / ".bin" / "decap-server").exists(),
            "decap-server is not installed (npm ci)")
    require((ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").exists(),
            "decap-cms is not installed (npm ci)")
    running = Editor(copy_project(tmp_path / "project"))
    yield running
    running.stop()


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(condition, timeout=30, what="the file"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not appear in time")


def sign_in(page, editor):
    page.goto(editor.base + "/admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Nieuws / News").first.wait_for(timeout=30000)


def publish(page):
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()


NEW_NL = """\
Title: Vijf partners ondertekenen het samenwerkingscharter
Date: 2026-03-18
Domains: mobility
Partners: pom-antwerpen
Summary: Op 18 maart ondertekenden vijf partners het samenwerkingscharter.

De samenwerking richt zich eerst op drie domeinen.
"""
NEW_EN = """\
Title: Five partners sign the cooperation charter
Date: 2026-03-18
Domains: mobility
Partners: pom-antwerpen
Slug: five-partners-sign-charter
Summary: On 18 March five partners signed the cooperation charter.

The cooperation focuses first on three domains.
"""


@pytest.mark.browser
def test_a_new_item_in_both_languages_and_a_one_line_edit(browser, editor):
    editor.wait_until_ready()
    project = editor.project
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    outside = []
    page.on("request", lambda request: request.url.startswith(("http://", "https://"))
            and not request.url.startswith(("http://127.0.0.1", "http://localhost"))
            and outside.append(request.url))
    sign_in(page, editor)

    # A new news item: Dutch on the left, English on the right.
    page.goto(editor.base + "/admin/#/collections/news/new")
    titles = page.get_by_label("Titel / Title")
    titles.nth(0).wait_for(timeout=30000)
    titles.nth(0).fill("Vijf partners ondertekenen het samenwerkingscharter")
    titles.nth(1).fill("Five partners sign the cooperation charter")
    page.get_by_label("Datum / Date").nth(0).fill("2026-03-18")
    for label, value in (("Domeinen / Focus domains", "mobility"), ("Partners", "pom-antwerpen")):
        page.get_by_label(label).nth(0).click()
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    page.get_by_label("Adres (slug) / Address (slug)").nth(1).fill("five-partners-sign-charter")
    summaries = page.get_by_label("Samenvatting / Summary")
    summaries.nth(0).fill("Op 18 maart ondertekenden vijf partners het samenwerkingscharter.")
    summaries.nth(1).fill("On 18 March five partners signed the cooperation charter.")
    bodies = page.locator("[data-slate-editor]")
    for index, text in enumerate(("De samenwerking richt zich eerst op drie domeinen.",
                                  "The cooperation focuses first on three domains.")):
        bodies.nth(index).click()
        page.keyboard.type(text)
    built = status(editor.base)["build"]
    before = files_below(project / "content")
    publish(page)

    news = project / "content" / "news"
    name = "vijf-partners-ondertekenen-het-samenwerkingscharter"
    wait_for(lambda: (news / f"{name}.en.md").exists() and (news / f"{name}.nl.md").exists())
    time.sleep(1)
    assert (news / f"{name}.nl.md").read_text("utf-8") == NEW_NL
    assert (news / f"{name}.en.md").read_text("utf-8") == NEW_EN
    after = files_below(project / "content")
    assert sorted(set(after) ^ set(before)) == [f"news/{name}.en.md", f"news/{name}.nl.md"]
    assert [path for path in before if before[path] != after[path]] == []

    # Valid for the build, and shown by the preview in both languages.
    result = run_build(project, project / "content")
    assert result.returncode == 0, result.stdout + result.stderr
    editor.wait_for_build(built)
    dutch = get(f"{editor.base}/nl/nieuws/{name}/")
    assert "<h1>Vijf partners ondertekenen het samenwerkingscharter</h1>" in dutch
    english = get(f"{editor.base}/en/news/five-partners-sign-charter/")
    assert "<h1>Five partners sign the cooperation charter</h1>" in english

    # An existing item: only its English title changes.
    before = files_below(project / "content")
    page.goto(editor.base + "/admin/#/collections/news/entries/delegation")
    page.reload()  # a new address after the hash: the editor opens the item afresh
    titles = page.get_by_label("Titel / Title")
    titles.nth(1).wait_for(timeout=30000)
    assert titles.nth(0).input_value() == "Europese delegatie verkent het Limburgse innovatielandschap"
    titles.nth(1).fill("European delegation visits Limburg")
    publish(page)
    wait_for(lambda: files_below(project / "content") != before, what="the change")
    time.sleep(1)
    after = files_below(project / "content")
    assert [path for path in after if after[path] != before.get(path)] == ["news/delegation.en.md"]
    diff = [line for line in difflib.unified_diff(
        before["news/delegation.en.md"].decode().splitlines(True),
        after["news/delegation.en.md"].decode().splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert diff == ["-Title: European delegation explores Limburg's innovation landscape\n",
                    "+Title: European delegation visits Limburg\n"]

    # The preview pane: the site's stylesheet, in the language chosen above it.
    page.reload()
    page.get_by_title("Toggle i18n").click()
    page.get_by_title("Toggle preview").click()
    pane = page.frame_locator("#preview-pane")
    assert pane.locator("main").get_attribute("lang") == "nl"
    assert pane.locator("h1").inner_text() == (
        "Europese delegatie verkent het Limburgse innovatielandschap")
    assert pane.locator('link[rel="stylesheet"]').get_attribute("href") == "/theme/css/site.css"
    page.get_by_text("Writing in NL").click()
    page.get_by_role("menuitem", name="EN").click()
    assert pane.locator("main").get_attribute("lang") == "en"
    assert pane.locator("h1").inner_text() == "European delegation visits Limburg"

    # A lead image: uploaded once, described in each language.
    from PIL import Image

    picture = editor.project / "harbour.jpg"
    Image.new("RGB", (1600, 900), (30, 90, 160)).save(picture)
    before = files_below(project / "content")
    page.close()
    page = browser.new_page(viewport={"width": 1600, "height": 1000})  # the editor as it starts
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, editor)
    page.goto(editor.base + "/admin/#/collections/news/entries/delegation")
    page.get_by_role("button", name="Choose an image").first.click()
    page.locator("input[type=file]").set_input_files(str(picture))
    page.get_by_role("button", name="Choose selected").click()
    descriptions = page.get_by_label("Beschrijving van de afbeelding (alt)")
    descriptions.nth(0).fill("Een blauw vlak")
    descriptions.nth(1).fill("A blue area")
    publish(page)
    wait_for(lambda: b"Image_alt" in (project / "content/news/delegation.nl.md").read_bytes()
             and b"Image_alt" in (project / "content/news/delegation.en.md").read_bytes(),
             what="the image fields")
    time.sleep(1)
    after = files_below(project / "content")
    assert after["images/harbour.jpg"] == picture.read_bytes()
    for lang, alt in (("nl", "Een blauw vlak"), ("en", "A blue area")):
        rel = f"news/delegation.{lang}.md"
        old, new = before[rel].decode(), after[rel].decode()
        head, body = old.split("\n\n", 1)
        assert new == f"{head}\nImage: images/harbour.jpg\nImage_alt: {alt}\n\n{body}"
    result = run_build(project, project / "content")
    assert result.returncode == 0, result.stdout + result.stderr

    # Everything came from this machine, and the editor's policy blocked nothing.
    assert outside == []
    assert errors == []
    page.close()


def test_sigterm_to_make_cms_stops_both_servers_and_frees_the_ports(editor):
    editor.wait_until_ready()
    assert not port_is_free(editor.port) and not port_is_free(editor.backend_port)
    assert len(processes_with(editor.marker)) >= 3  # make's python, decap-server, the preview
    log = editor.log.read_text()
    assert f"Editor: {editor.base}/admin/" in log
    editor.process.send_signal(signal.SIGTERM)
    editor.process.wait(timeout=30)
    assert processes_with(editor.marker) == []
    assert port_is_free(editor.port) and port_is_free(editor.backend_port)
    assert "Stopping the editor and the preview." in editor.log.read_text()
