"""The web editor's file format (admin/pelican-format.js) and configuration
(tools/cms_config.py): every content file read and written back unchanged is
byte-identical, one changed field changes one line, and the editor's fields
come from the content model."""

import difflib
import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, require

sys.path.insert(0, str(ROOT / "tools"))
import cms_config  # noqa: E402
from portal import model  # noqa: E402

FORMAT = ROOT / "admin" / "pelican-format.js"
LIST_FIELDS = sorted(model.KEY_FIELDS)

# Reads {"files": {path: text}, "changes": {path: {field: value}}} on stdin and
# answers {path: text written back}. The data goes through JSON between
# reading and writing, as the editor's own copy of an entry does.
ROUND_TRIP = """
const format = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const options = {listFields: input.listFields};
const out = {};
for (const [path, text] of Object.entries(input.files)) {
  const data = JSON.parse(JSON.stringify(format.parse(text, options)));
  Object.assign(data, (input.changes || {})[path] || {});
  out[path] = format.serialize(data, Object.assign({order: input.order || []}, options));
}
process.stdout.write(JSON.stringify(out));
"""


def round_trip(files, changes=None, order=None):
    node = shutil.which("node")
    require(node, "Node.js is not installed (apt-get install nodejs)")
    answer = subprocess.run(
        [node, "-e", ROUND_TRIP, str(FORMAT)], capture_output=True, text=True, check=True,
        input=json.dumps({"files": files, "changes": changes or {}, "listFields": LIST_FIELDS,
                          "order": order or []}))
    return json.loads(answer.stdout)


def content_files():
    return {p.relative_to(ROOT).as_posix(): p.read_bytes().decode("utf-8")
            for p in sorted((ROOT / "content").rglob("*.md"))}


def test_every_content_file_is_written_back_byte_identical():
    files = content_files()
    assert len(files) >= 40
    written = round_trip(files)
    assert [path for path in files if written[path] != files[path]] == []


def changed_lines(before, after):
    return [line for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_changing_the_english_title_changes_only_that_line():
    path = "content/news/delegation.en.md"
    before = (ROOT / path).read_text("utf-8")
    after = round_trip({path: before}, {path: {"title": "A European delegation visits Limburg"}})[path]
    assert changed_lines(before, after) == [
        "-Title: European delegation explores Limburg's innovation landscape\n",
        "+Title: A European delegation visits Limburg\n",
    ]


def test_a_changed_list_keeps_the_other_lines_and_new_fields_come_last():
    path = "content/news/delegation.nl.md"
    before = (ROOT / path).read_text("utf-8")
    after = round_trip({path: before}, {path: {"partners": ["pom-limburg", "brainport"],
                                               "figures": "productivity"}})[path]
    assert changed_lines(before, after) == [
        "-Partners: pom-limburg\n",
        "+Partners: pom-limburg, brainport\n",
        "+Figures: productivity\n",
    ]
    assert after.index("Figures: productivity\n") < after.index("\n\n")


def test_spelling_continuation_lines_and_unknown_keys_are_kept():
    text = ("title:   Een titel  \nSummary: Een samenvatting\n  over twee regels.\n"
            "E-mail: info@example.test\nDomains: mobility ,high-tech\n\nTekst.\n\n\n")
    assert round_trip({"x.md": text})["x.md"] == text
    # The summary changes: its two lines become one; nothing else moves.
    after = round_trip({"x.md": text}, {"x.md": {"summary": "Korter."}})["x.md"]
    assert after == ("title:   Een titel  \nSummary: Korter.\n"
                     "E-mail: info@example.test\nDomains: mobility ,high-tech\n\nTekst.\n\n\n")
    # An emptied field loses its line; the same keys in another order are no change.
    after = round_trip({"x.md": text}, {"x.md": {"summary": "", "domains": ["mobility", "high-tech"]}})
    assert after["x.md"] == ("title:   Een titel  \nE-mail: info@example.test\n"
                             "Domains: mobility ,high-tech\n\nTekst.\n\n\n")


def test_a_new_item_is_written_in_the_fields_order():
    data = {"new.md": ""}
    written = round_trip(data, {"new.md": {
        "body": "Tekst.", "partners": ["brainport"], "title": "Nieuw", "date": "2026-03-18",
        "domains": [], "summary": ""}}, order=["title", "date", "domains", "partners", "summary"])
    assert written["new.md"] == "Title: Nieuw\nDate: 2026-03-18\nPartners: brainport\n\nTekst.\n"


# --- The configuration ----------------------------------------------------------


def settings(**overrides):
    found = dict(model.project_settings(), PATH=str(ROOT / "content"))
    found.update(overrides)
    return found


def fields_of(config, collection):
    found = next(c for c in config["collections"] if c["name"] == collection)
    return {field["name"]: field for field in found["fields"]}


def test_one_collection_per_kind_with_both_languages_side_by_side():
    config = cms_config.config(settings(), content=str(ROOT / "content"), backend_port=8123)
    assert [c["name"] for c in config["collections"]] == list(model.kinds(settings()))
    news = next(c for c in config["collections"] if c["name"] == "news")
    assert news["folder"] == "content/news"
    assert news["format"] == "pelican"
    assert news["i18n"] == {"structure": "multiple_files", "locales": ["nl", "en"],
                            "default_locale": "nl"}
    assert config["local_backend"]["url"] == "http://127.0.0.1:8123/api/v1"
    fields = fields_of(config, "news")
    assert list(fields) == ["title", "date", "domains", "partners", "figures", "slug", "summary",
                            "image", "image_alt", "image_caption", "image_credit", "status",
                            "body"]
    assert fields["title"] == {"label": "Titel / Title", "name": "title", "required": True,
                               "i18n": True, "widget": "string"}
    assert fields["date"]["widget"] == "datetime"
    assert (fields["date"]["i18n"], fields["date"]["required"]) == ("duplicate", True)
    assert fields["domains"]["options"] == ["biobased", "high-tech", "mobility"]
    assert fields["partners"]["options"] == ["brainport", "metropoolregio-eindhoven",
                                             "pom-antwerpen", "pom-limburg",
                                             "streekplatform-kempen"]
    assert (fields["partners"]["widget"], fields["partners"]["multiple"]) == ("select", True)
    assert (fields["partners"]["i18n"], fields["partners"]["required"]) == ("duplicate", False)
    assert (fields["summary"]["widget"], fields["summary"]["i18n"]) == ("text", True)
    assert fields["body"]["widget"] == "markdown"
    # The lead image once, its description in each language.
    assert (fields["image"]["widget"], fields["image"]["i18n"]) == ("image", "duplicate")
    assert (fields["image_alt"]["widget"], fields["image_alt"]["i18n"]) == ("string", True)
    assert config["media_folder"] == "content/images" and config["public_folder"] == "images"
    events = fields_of(config, "events")
    assert (events["start"]["widget"], events["start"]["required"]) == ("datetime", True)
    assert events["news"]["options"] == ["charter-signing", "delegation", "productivity"]
    assert fields_of(config, "partners")["side"]["options"] == ["nl", "be"]


def test_a_field_or_kind_added_to_the_model_appears_in_the_editor(monkeypatch):
    news = model.KINDS["news"]
    monkeypatch.setitem(model.KINDS, "news", model.Kind(
        **{**news.__dict__, "optional": news.optional + ("location",),
           "neutral": news.neutral + ("location",)}))
    extended = settings(BILINGUAL={
        "languages": model.LANGUAGES,
        "kinds": {"reports": {"sections": {"nl": "rapporten/", "en": "reports/"},
                              "required": ["title", "date"], "optional": ["partners"],
                              "neutral": ["date", "partners"], "sort": "date"}}})
    config = cms_config.config(extended, content=str(ROOT / "content"))
    assert fields_of(config, "news")["location"] == {
        "label": "Plaats / Location", "name": "location", "required": False,
        "i18n": "duplicate", "widget": "string"}
    reports = fields_of(config, "reports")
    assert list(reports) == ["title", "date", "partners", "slug", "summary", "image", "image_alt",
                             "image_caption", "image_credit", "status", "body"]
    assert reports["date"]["widget"] == "datetime"
    assert reports["partners"]["options"][0] == "brainport"
    folder = next(c for c in config["collections"] if c["name"] == "reports")["folder"]
    assert folder == "content/reports"


def test_the_written_configuration_is_what_the_editor_reads(tmp_path):
    path = cms_config.write(settings(), tmp_path, content=str(ROOT / "content"), backend_port=9)
    text = path.read_text("utf-8")
    assert text.startswith("# Made by tools/cms_config.py")
    # YAML reads JSON as it is: the lines after the comments are the config.
    body = json.loads(text.split("\n", 2)[2])
    assert body == cms_config.config(settings(), content=str(ROOT / "content"), backend_port=9)
    assert "window.PORTAL_MODEL = " in (tmp_path / "model.js").read_text("utf-8")


# --- Kept out of the published site ----------------------------------------------


def test_the_editor_is_not_part_of_the_built_site(site):
    assert not (site.output / "admin").exists()
    for path in site.output.rglob("*"):
        if path.is_file() and path.suffix in (".xml", ".html", ".json", ".txt"):
            assert "/admin/" not in path.read_text("utf-8", errors="replace"), path


def test_the_editor_page_has_its_own_policy_and_is_not_indexed(site):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((ROOT / "admin" / "index.html").read_text("utf-8"), "html.parser")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self' 'unsafe-eval'" in policy
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "connect-src 'self' blob: http://127.0.0.1:* http://localhost:*" in policy
    # The site's pages keep their stricter policy.
    home = site.soup("nl/").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert "'unsafe-inline'" not in home["content"] and "'unsafe-eval'" not in home["content"]
    assert "style-src 'self';" in home["content"]
