"""Fast builds give exactly the pages a plain build gives, cold or warm."""

import pytest

from conftest import ROOT, build_site, files_of


def build(content, folder, **overrides):
    out = folder / "output"
    records = build_site(content, out, siteurl="http://example.test", **overrides)
    assert [r.getMessage() for r in records if r.levelno >= 40] == []
    return files_of(out)


def without_fastbuild():
    from pelican.settings import read_settings

    plugins = read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]
    return [p for p in plugins if p != "fastbuild"]


def test_warm_builds_equal_cold_builds(content, tmp_path):
    workers = {"FASTBUILD": {"min_files_for_workers": 1}}
    cold = build(content, tmp_path / "a", **workers)
    assert build(content, tmp_path / "a", **workers) == cold

    item = content / "news" / "productivity.en.md"
    item.write_text(item.read_text("utf-8") + "\nOne more \"quoted\" sentence -- with a dash.\n",
                    "utf-8")
    warm = build(content, tmp_path / "a", **workers)
    assert warm != cold
    assert warm == build(content, tmp_path / "fresh", **workers)
    page = warm["en/news/limburg-productivity-gap/index.html"].decode()
    assert "One more" in page
    assert "&#8220;quoted&#8221;" in page or "“quoted”" in page


def test_a_changed_title_shows_on_every_page_that_lists_the_item(content, tmp_path):
    workers = {"FASTBUILD": {"min_files_for_workers": 1}}
    build(content, tmp_path / "a", **workers)
    item = content / "news" / "productivity.en.md"
    text = item.read_text("utf-8")
    title = next(line for line in text.splitlines() if line.startswith("Title:"))
    item.write_text(text.replace(title, "Title: A title changed later", 1), "utf-8")
    warm = build(content, tmp_path / "a", **workers)
    assert warm == build(content, tmp_path / "fresh", **workers)
    assert sum(b"A title changed later" in page for page in warm.values()) > 2


@pytest.mark.parametrize("batch", [1, 16])
def test_fast_build_equals_the_build_without_it(content, tmp_path, batch):
    """Files rendered by the workers and by the build process itself (it takes
    the batches no worker has started) give the same pages."""
    fast = build(content, tmp_path / "fast",
                 FASTBUILD={"min_files_for_workers": 1, "batch": batch})
    plain = build(content, tmp_path / "plain", PLUGINS=without_fastbuild())
    assert fast == plain


def test_author_feeds_switched_on_are_written_as_without_fastbuild(content, tmp_path):
    # Author lists are left out of the writing only while nothing is written from them.
    feed = {"AUTHOR_FEED_RSS": "feeds/author-{slug}.rss.xml"}
    fast = build(content, tmp_path / "fast", FASTBUILD={"min_files_for_workers": 1}, **feed)
    assert [name for name in fast if name.startswith("feeds/author-")]
    assert fast == build(content, tmp_path / "plain", PLUGINS=without_fastbuild(), **feed)


def test_unknown_setting_is_reported(fixture_site):
    from conftest import page

    built = fixture_site({"news/a.nl.md": page("A", date="2026-03-01"),
                          "news/a.en.md": page("A", date="2026-03-01")},
                         FASTBUILD={"wokers": 2})
    assert built.error_records() == [
        ("fastbuild", "(settings)", "FASTBUILD",
         "unknown key 'wokers' in the FASTBUILD setting; did you mean 'workers'?")]


def test_rebuild_after_one_edit_writes_only_what_shows_it(content, tmp_path):
    out = tmp_path / "site" / "output"
    build(content, tmp_path / "site")
    edited = out / "en/news/limburg-productivity-gap/index.html"
    untouched = out / "en/news/european-delegation-limburg/index.html"
    before = {page: page.stat().st_mtime_ns for page in (edited, untouched)}

    item = content / "news" / "productivity.en.md"
    item.write_text(item.read_text("utf-8") + "\nA sentence added later.\n", "utf-8")
    build(content, tmp_path / "site")
    assert "A sentence added" in edited.read_text("utf-8")
    assert edited.stat().st_mtime_ns != before[edited]
    assert untouched.stat().st_mtime_ns == before[untouched]


def test_an_edit_that_keeps_size_and_modification_time_is_seen(content, tmp_path):
    # Unchanged files are recognised without reading them; an editor or a
    # checkout that keeps a file's size and modification time must not hide
    # the edit.
    import os

    out = tmp_path / "site" / "output"
    build(content, tmp_path / "site")
    item = content / "news" / "productivity.en.md"
    text = item.read_text("utf-8")
    stat = item.stat()
    assert "Limburg" in text
    item.write_text(text.replace("Limburg", "Limbury", 1), "utf-8")
    os.utime(item, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert item.stat().st_size == stat.st_size
    build(content, tmp_path / "site")
    page = (out / "en/news/limburg-productivity-gap/index.html").read_text("utf-8")
    assert "Limbury" in page


def test_a_script_is_reported_on_every_build_also_from_the_cache(content, tmp_path):
    for lang in ("nl", "en"):
        (content / "news" / f"script.{lang}.md").write_text(
            "Title: Script\nDate: 2026-03-20\nSummary: One sentence.\n\n"
            "Text.\n\n<script>alert(1)</script>\n", "utf-8")
    out = tmp_path / "site" / "output"
    for _ in range(2):  # cold, then from the render cache
        records = build_site(content, out, siteurl="http://example.test",
                             FASTBUILD={"min_files_for_workers": 1})
        errors = [r.getMessage() for r in records if r.levelno >= 40]
        assert any("news/script.nl.md: content:" in e and "<script>" in e for e in errors), errors
        page = (out / "nl" / "nieuws" / "script" / "index.html").read_text("utf-8")
        assert "alert(1)" not in page


@pytest.fixture
def fast_content_class():
    """Pelican's Content class as a fast build changes it, put back afterwards;
    gives Pelican's own methods to compare with."""
    from fastbuild import writing
    from pelican.contents import Content
    from portal import compat

    originals = {name: getattr(Content, name)
                 for name in ("get_relative_source_path", "get_static_links")}
    writing.prepare_content_class()
    writing.release_content_class()  # URLs formatted anew, as before reading
    try:
        yield originals
    finally:
        writing.release_content_class()
        compat.undo_patches()


def test_an_items_path_in_its_url_follows_its_file(tmp_path, fast_content_class):
    # The path relative to PATH is kept per item; a plugin that moves an item
    # to another file, or a build with another PATH, still gets the right URL.
    import copy
    import datetime

    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(PATH=str(tmp_path), ARTICLE_URL="{path}")
    item = Article("Text", metadata={"title": "A", "date": datetime.datetime(2026, 3, 1)},
                   settings=settings, source_path=str(tmp_path / "news" / "a.md"))
    assert item.url == "news/a.md"
    assert item.url == "news/a.md"
    item.source_path = str(tmp_path / "tips" / "a.md")
    assert item.url == "tips/a.md"
    settings["PATH"] = str(tmp_path / "tips")
    assert item.url == "a.md"
    assert item.get_relative_source_path(str(tmp_path / "tips" / "b.md")) == "b.md"


@pytest.mark.parametrize("text", [
    "<p>No links at all.</p>", '<a href="{static}/images/a.png">a</a>',
    '<img src="{attach}b.png">', '<a href="|static|/c.pdf">c</a>',
    '<a href="{filename}/news/x.md">static</a>', "<p>Attached: nothing.</p>",
])
def test_static_links_are_the_ones_pelican_finds(tmp_path, text, fast_content_class):
    import copy

    from pelican.contents import Page
    from pelican.settings import DEFAULT_CONFIG

    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["PATH"] = str(tmp_path)
    item = Page(text, metadata={"title": "A"}, settings=settings,
                source_path=str(tmp_path / "pages" / "a.md"))
    assert item.get_static_links() == fast_content_class["get_static_links"](item)


def test_remembered_slugs_are_the_slugs_pelican_makes(fast_content_class):
    from pelican import urlwrappers
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    assert urlwrappers.slugify is not slugify
    subs = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    for name in ["Grensoverschrijdende samenwerking", "Ünïcode & <b>tags</b>", "A  B", ""]:
        for options in [dict(regex_subs=subs), dict(regex_subs=[], preserve_case=True),
                        dict(regex_subs=[["samen", "SAMEN"]], use_unicode=True)]:
            assert urlwrappers.slugify(name, **options) == slugify(name, **options)
            assert urlwrappers.slugify(name, **options) == slugify(name, **options)  # remembered
    author = urlwrappers.Author("Grensoverschrijdende samenwerking", DEFAULT_CONFIG)
    assert author.slug == "grensoverschrijdende-samenwerking"


@pytest.mark.parametrize("base, source", [
    ("{tmp}/content", "{tmp}/content/news/a.md"),
    ("{tmp}/content/", "{tmp}/content/news/a.md"),
    ("{tmp}/content", "{tmp}/content2/a.md"),
    ("{tmp}/content", "{tmp}/content/../other/a.md"),
    ("{tmp}/./content", "{tmp}/content/a.md"),
    ("{tmp}/content", "{tmp}/a.md"),
    ("/", "{tmp}/content/a.md"),
])
def test_the_kept_relative_path_is_the_one_pelican_works_out(tmp_path, base, source,
                                                            fast_content_class):
    import copy

    from pelican.contents import Page
    from pelican.settings import DEFAULT_CONFIG

    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["PATH"] = base.format(tmp=tmp_path)
    item = Page("Text", metadata={"title": "A"}, settings=settings,
                source_path=source.format(tmp=tmp_path))
    pelicans = fast_content_class["get_relative_source_path"]
    assert item.get_relative_source_path() == pelicans(item)
    assert item.relative_source_path == pelicans(item)


def test_plain_summaries_come_out_as_markdown_makes_them():
    """A one-line summary of plain words skips the Markdown pipeline; for every
    such text the result is what Markdown itself gives."""
    import random

    from markdown import Markdown
    from pelican.settings import read_settings

    from fastbuild.rendering import PLAIN_LINE, _FieldMarkdown, plain_fields_allowed

    settings = read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"]
    # As a build has them: the images plugin adds its figure extension.
    settings["extension_configs"] = dict(settings["extension_configs"], **{"images.markup": {}})
    assert plain_fields_allowed(settings)
    assert not plain_fields_allowed(dict(settings, extensions=["markdown.extensions.smarty"]))
    assert not plain_fields_allowed(dict(settings, extension_configs={"no.such.extension": {}}))
    md = Markdown(**settings)
    fields = _FieldMarkdown(md)
    safe = "abcXYZéëÉßçøå0123456789" + " " * 6 + ",.;:?!'\"()/%€$@=+-’‘“”–—…"
    alphabets = [safe, safe + "*_[]<>&\\`{}#|~^\t\n"]
    rng = random.Random(7)
    plain = 0
    for number in range(4000):
        alphabet = alphabets[number % 2]
        text = rng.choice("AbÉz1-*#>[ ") + "".join(
            rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        md.reset()
        expected = md.convert(text)
        md.reset()
        assert fields.convert(text) == expected, text
        plain += bool(PLAIN_LINE.fullmatch(text))
    assert plain > 500  # the fast path was taken often enough to mean something


PROBE_PLUGIN = '''
import os
from pelican import signals
from portal import sidework


def queue(generators):
    settings = generators[0].settings
    for number in range(6):
        sidework.add(settings, write_pid, os.path.join(settings["CACHE_PATH"], f"job-{number}"))


def write_pid(path):
    with open(path, "w") as handle:
        handle.write(str(os.getpid()))


def finish(pelican):
    sidework.run_pending(pelican.settings)


def register():
    signals.all_generators_finalized.connect(queue)
    signals.finalized.connect(finish)
'''


@pytest.mark.parametrize("workers", [2, 1])
def test_work_beside_the_pages_is_done_by_the_page_writing_processes(content, tmp_path, workers):
    # Jobs queued beside the pages (share cards, ...) are shared out among the
    # processes that write the pages (the build process and forked ones).
    import os

    from pelican.settings import read_settings

    (tmp_path / "plugins" / "probe").mkdir(parents=True)
    (tmp_path / "plugins" / "probe" / "__init__.py").write_text(PROBE_PLUGIN)
    plugins = read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"] + ["probe"]
    build(content, tmp_path, PLUGINS=plugins,
          PLUGIN_PATHS=[str(ROOT / "plugins"), str(tmp_path / "plugins")],
          FASTBUILD={"write_workers": workers})
    pids = {int((tmp_path / "cache" / f"job-{n}").read_text()) for n in range(6)}
    if workers == 2:  # the build process and one forked process
        assert len(pids) == 2 and os.getpid() in pids
    else:
        assert pids == {os.getpid()}


def test_jobs_go_to_the_least_loaded_worker():
    from portal import sidework

    jobs = [(print, (name,), weight) for name, weight in
            [("a", 3.0), ("b", 1.0), ("c", 1.0), ("d", 0.5)]]
    shares = sidework.share(jobs, [2.0, 4.0])
    # a to the first (2 -> 5), b to the second (4 -> 5), c to the first on a
    # tie (5 -> 6), d to the second (5 -> 5.5)
    assert [[job[1][0] for job in share] for share in shares] == [["a", "c"], ["b", "d"]]


def test_a_summary_cut_from_the_text_follows_the_text_on_every_page_that_shows_it(content,
                                                                                   tmp_path):
    # News cards are rendered once per build and kept; a card whose summary
    # is cut from the item's text still ties every page that shows it to that
    # text, so an edit reaches all of them in an incremental build.
    item = content / "news" / "productivity.en.md"
    text = item.read_text("utf-8")
    summary = next(line for line in text.splitlines() if line.startswith("Summary:"))
    item.write_text(text.replace(summary + "\n", "", 1), "utf-8")
    build(content, tmp_path / "a")
    head, _, body = item.read_text("utf-8").partition("\n\n")
    item.write_text(f"{head}\n\nA first sentence written later.\n\n{body}", "utf-8")
    warm = build(content, tmp_path / "a")
    assert warm == build(content, tmp_path / "fresh")
    assert sum(b"A first sentence written" in page for page in warm.values()) > 3


def test_dates_written_the_usual_way_are_read_as_pelican_reads_them():
    """ISO dates skip dateutil; the datetime is the one Pelican's own reading
    gives, and anything else (an impossible date too) is left to Pelican."""
    import random

    from pelican.utils import SafeDatetime, get_date

    from fastbuild.writing import _iso_dates

    fast = _iso_dates(get_date)
    rng = random.Random(5)
    texts = ["2025-03-18", "2025-03-18 10:30", "2025-03-18T10:30:05", "2024-02-29",
             "18 March 2025", "2025-03-18 10:30+01:00", "2025/03/18"]
    texts += [f"{rng.randint(1990, 2040)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
              f"{rng.choice(['', f' {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}'])}"
              for _ in range(300)]
    for text in texts:
        expected = get_date(text)
        found = fast(text)
        assert (found, type(found), found.tzinfo) == (expected, type(expected), expected.tzinfo)
    assert type(fast("2025-03-18")) is SafeDatetime
    for impossible in ("2025-02-30", "2025-13-01"):
        with pytest.raises(ValueError):
            get_date(impossible)
        with pytest.raises(ValueError):
            fast(impossible)


def test_plain_date_formats_give_what_pelicans_strftime_gives():
    """Formats of standard directives only are formatted by the datetime at
    once; `%-d`, unknown directives and a stray `%` go to Pelican's own."""
    import random

    from pelican.utils import SafeDatetime, strftime

    from fastbuild.writing import _plain_formats

    calls = []

    def pelicans(date, date_format):
        calls.append(date_format)
        return strftime(date, date_format)

    fast = _plain_formats(pelicans)
    rng = random.Random(3)
    for date_format in ("%Y-%m-%d", "%a %d %B %Y", "%H:%M %z", "%G-W%V-%u", "%Y%%", "%-d %B %Y",
                        "%e %B", "100%", "x%\ny"):
        for _ in range(40):
            date = SafeDatetime(rng.randint(1900, 2100), rng.randint(1, 12), rng.randint(1, 28),
                                rng.randint(0, 23), rng.randint(0, 59))
            try:
                expected = strftime(date, date_format)
            except (TypeError, ValueError) as error:  # Pelican's answer to a stray %
                expected = type(error)
            try:
                found = fast(date, date_format)
            except (TypeError, ValueError) as error:
                found = type(error)
            assert found == expected, date_format
    assert sorted(set(calls)) == ["%-d %B %Y", "%e %B", "100%", "x%\ny"]
    assert fast(SafeDatetime(2025, 3, 18), "%-d %B") == "18 March"


def test_without_a_content_cache_no_file_is_stamped(tmp_path, caplog):
    """With CACHE_CONTENT and LOAD_CONTENT_CACHE off, Pelican's cache still
    looks up every file's time; the fast path leaves that out and the cache
    answers as before. With the cache on, nothing changes."""
    from pelican.readers import Readers
    from pelican.settings import DEFAULT_CONFIG

    from portal import compat

    missing = str(tmp_path / "gone.md")
    off = Readers(dict(DEFAULT_CONFIG, CACHE_PATH=str(tmp_path), CACHE_CONTENT=False,
                       LOAD_CONTENT_CACHE=False), "Articles-Readers")
    compat.skip_unused_file_stamps(off)
    with caplog.at_level("WARNING"):
        off.cache_data(missing, ("body", {}))
        assert off.get_cached_data(missing, "default") == "default"
    assert caplog.records == []

    on = Readers(dict(DEFAULT_CONFIG, CACHE_PATH=str(tmp_path), CACHE_CONTENT=True,
                      LOAD_CONTENT_CACHE=False, CONTENT_CACHING_LAYER="reader"),
                 "Articles-Readers")
    compat.skip_unused_file_stamps(on)
    with caplog.at_level("WARNING"):
        on.cache_data(missing, ("body", {}))
    assert "Cannot get modification stamp" in caplog.text
