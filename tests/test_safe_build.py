"""The safe build (`make html`, `make publish`): every content problem is named,
the exit code says the build failed, and the previous output/ stays untouched."""

import pytest

from conftest import ROOT, page, run_build, write_files as write

GOOD = {
    "pages/home.nl.md": page("Thuis", template="home"),
    "pages/home.en.md": page("Home", template="home"),
    "news/first.nl.md": page("Eerste", date="2026-03-18", domains="high-tech",
                             partners="pom-limburg"),
    "news/first.en.md": page("First", date="2026-03-18", domains="high-tech",
                             partners="pom-limburg"),
    # The keys that Domains and Partners may name are the files of these folders.
    "domains/high-tech.nl.md": page("Hightechindustrie"),
    "domains/high-tech.en.md": page("High-tech industry"),
    "partners/pom-limburg.nl.md": page("POM Limburg", side="be"),
    "partners/pom-limburg.en.md": page("POM Limburg", side="be"),
}

# One file per kind of mistake: (file, text, field the message must name).
MISTAKES = [
    ("news/bad-date.nl.md", page("Datum", date="2026-13-45", single_language="true"), "date"),
    ("news/partial-date.nl.md", page("Maand", date="2026-03", single_language="true"), "date"),
    ("news/no-title.nl.md", "Date: 2026-03-18\nSingle_language: true\n\nTekst.\n", "title"),
    ("news/klingon.nl.md", page("Qapla", date="2026-03-18", lang="klingon",
                                single_language="true"), "lang"),
    ("news/same-a.nl.md", page("A", date="2026-03-18", slug="zelfde", single_language="true"), "slug"),
    ("news/same-b.nl.md", page("B", date="2026-03-18", slug="zelfde", single_language="true"), "slug"),
    ("news/lonely.nl.md", page("Alleen", date="2026-03-18"), "translation"),
    ("news/claimed.nl.md", page("Geclaimd", date="2026-03-18"), "lang"),
    ("news/claimed.en.md", page("Claimed", date="2026-03-18", lang="nl"), "lang"),
    ("news/domain.nl.md", page("Domein", date="2026-03-18", domains="space",
                               single_language="true"), "domains"),
    ("news/partner.nl.md", page("Partner", date="2026-03-18", partners="acme",
                                single_language="true"), "partners"),
    ("news/link.nl.md", page("Link", "[x]({filename}/pages/nowhere.nl.md)", date="2026-03-18",
                             single_language="true"), "link"),
    ("news/image.nl.md", page("Beeld", "![x]({static}/images/nowhere.png)", date="2026-03-18",
                              single_language="true"), "link"),
    ("news/empty.nl.md", "", "file"),
    ("news/latin1.nl.md", page("Caf\u00e9", date="2026-03-18").encode("latin-1"), "file"),
    ("news/script.nl.md", page("Script", "Hallo <script>alert(1)</script>", date="2026-03-18",
                               single_language="true"), "content"),
    ("news/markup.nl.md", page("<em>Nadruk</em>", date="2026-03-18", single_language="true"),
     "title"),
]


def snapshot(folder):
    """Every file below `folder` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def previous_output(tmp_path):
    """An output/ from an earlier build, with a .git folder in it."""
    out = tmp_path / "output"
    write(out, {"index.html": "<p>earlier build</p>", ".git/HEAD": "ref: refs/heads/gh-pages\n"})
    return out


@pytest.fixture(scope="module")
def failed_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("failed")
    write(tmp / "output", {"index.html": "<p>earlier build</p>", ".git/HEAD": "ref\n"})
    before = snapshot(tmp / "output")
    write(tmp / "content", dict(GOOD, **{rel: text for rel, text, _ in MISTAKES}))
    result = run_build(tmp, tmp / "content")
    return tmp, before, result


def test_a_failed_build_exits_non_zero(failed_build):
    _, _, result = failed_build
    assert result.returncode == 1, result.stderr


@pytest.mark.parametrize("rel, field", [(rel, field) for rel, _, field in MISTAKES])
def test_every_mistake_is_named_with_file_and_field(failed_build, rel, field):
    tmp, _, result = failed_build
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"content/{rel}: {field}: ") for line in lines), result.stderr


def test_a_failed_build_leaves_output_byte_identical(failed_build):
    tmp, before, _ = failed_build
    assert snapshot(tmp / "output") == before
    assert not list(tmp.glob("output.*")), "a temporary build folder was left behind"


def test_good_content_replaces_output_and_keeps_git(tmp_path, previous_output):
    write(tmp_path / "content", GOOD)
    result = run_build(tmp_path, tmp_path / "content")
    assert result.returncode == 0, result.stderr
    assert (previous_output / "nl" / "nieuws" / "first" / "index.html").is_file()
    assert b"earlier build" not in (previous_output / "index.html").read_bytes()
    assert (previous_output / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert not list(tmp_path.glob("output.*")), "a temporary build folder was left behind"


def test_warnings_fail_only_a_strict_build(tmp_path, previous_output):
    files = dict(GOOD)
    files["news/first.en.md"] = page("First", date="2026-03-18")  # no Summary: a warning
    write(tmp_path / "content", files)
    before = snapshot(previous_output)
    strict = run_build(tmp_path, tmp_path / "content", "--strict")
    assert strict.returncode == 1
    assert ("content/news/first.en.md: summary: the Summary line is missing or empty"
            in strict.stderr)
    assert snapshot(previous_output) == before
    assert run_build(tmp_path, tmp_path / "content").returncode == 0


def test_the_real_content_passes_a_strict_build(tmp_path):
    result = run_build(tmp_path, ROOT / "content", "--strict")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "nl" / "index.html").is_file()


def test_two_builds_in_other_folders_time_zones_and_hash_seeds_are_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    assert run_build(first, ROOT / "content", TZ="UTC", PYTHONHASHSEED="1").returncode == 0
    assert run_build(second, ROOT / "content", TZ="Asia/Tokyo", PYTHONHASHSEED="2").returncode == 0
    built = snapshot(first / "output")
    assert {"sitemap.xml", "robots.txt"} <= set(built)
    assert built == snapshot(second / "output")


def test_content_problems_are_named_even_when_a_plugin_stops_the_build_early(tmp_path):
    write(tmp_path, {
        "plugins/stops_early/__init__.py": (
            "from pelican import signals\n\n\n"
            "def stop(readers):\n    raise RuntimeError('stopped while reading')\n\n\n"
            "def register():\n    signals.readers_init.connect(stop)\n"),
        "conf.py": (
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
            f"THEME = {str(ROOT / 'theme')!r}\n"
            f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}, {str(tmp_path / 'plugins')!r}]\n"
            "PLUGINS = PLUGINS + ['stops_early']\n"),
    })
    write(tmp_path / "content", dict(GOOD, **{"news/first.en.md": page("First", date="2026-03")}))
    result = run_build(tmp_path, tmp_path / "content", "-s", str(tmp_path / "conf.py"))
    assert result.returncode == 1
    assert "content/news/first.en.md: date: '2026-03' is not a full date" in result.stderr
    assert "the build stopped: RuntimeError: stopped while reading" in result.stderr


def test_pelican_messages_are_reworded_and_not_repeated():
    import logging
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import build

    def record(message, level=logging.ERROR):
        return logging.LogRecord("pelican.generators", level, __file__, 1, message, (), None)

    from portal.problems import Problem

    problems = build.to_problems([
        Problem("validation", "news/a.nl.md", "date", "'2026-03' is not a full date"),
    ], [
        record("Could not process news/a.nl.md"),
        record("Could not process news/b.nl.md"),
        record("Unable to find 'pages/x.md', skipping url replacement.", logging.WARNING),
    ], "content")
    assert [str(p) for p in problems] == [
        "(site): link: a {filename} or {static} link points to pages/x.md, which does not exist "
        "(warning)",
        "content/news/a.nl.md: date: '2026-03' is not a full date (error)",
        "content/news/b.nl.md: file: the file could not be read; check its metadata lines "
        "at the top (error)",
    ]


def test_a_renamed_item_leaves_no_page_or_sitemap_entry_behind(tmp_path):
    write(tmp_path / "content", GOOD)
    assert run_build(tmp_path, tmp_path / "content").returncode == 0
    old = tmp_path / "output" / "en" / "news" / "first" / "index.html"
    assert old.is_file()
    renamed = dict(GOOD)
    renamed["news/first.en.md"] = page("First", date="2026-03-18", domains="high-tech",
                                       partners="pom-limburg", slug="first-item")
    write(tmp_path / "content", renamed)
    result = run_build(tmp_path, tmp_path / "content")  # an incremental build
    assert result.returncode == 0, result.stderr
    assert not old.parent.exists()  # nor its folder (a server would list it)
    assert (tmp_path / "output" / "en" / "news" / "first-item" / "index.html").is_file()
    sitemap = (tmp_path / "output" / "sitemap.xml").read_text("utf-8")
    assert "/en/news/first/<" not in sitemap and "/en/news/first-item/<" in sitemap
    feed = (tmp_path / "output" / "en" / "news" / "rss.xml").read_text("utf-8")
    assert "/en/news/first/<" not in feed and "/en/news/first-item/<" in feed


def test_a_rebuild_links_unchanged_feeds_and_sitemap_and_writes_changed_ones(tmp_path):
    # Each safe build writes into a new folder: what did not change is the
    # very file of the build before (hard-linked), what changed is new.
    write(tmp_path / "content", GOOD)
    assert run_build(tmp_path, tmp_path / "content").returncode == 0
    out = tmp_path / "output"
    files = ["sitemap.xml", "en/news/rss.xml", "nl/nieuws/rss.xml"]
    before = {name: (out / name).stat().st_ino for name in files}
    assert run_build(tmp_path, tmp_path / "content").returncode == 0
    assert {name: (out / name).stat().st_ino for name in files} == before
    changed = dict(GOOD)
    changed["news/first.en.md"] = page("First news", date="2026-03-18", domains="high-tech",
                                       partners="pom-limburg")
    write(tmp_path / "content", changed)
    assert run_build(tmp_path, tmp_path / "content").returncode == 0
    after = {name: (out / name).stat().st_ino for name in files}
    assert after["nl/nieuws/rss.xml"] == before["nl/nieuws/rss.xml"]
    assert after["en/news/rss.xml"] != before["en/news/rss.xml"]
    assert "<title>First news</title>" in (out / "en/news/rss.xml").read_text("utf-8")
