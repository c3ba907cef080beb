"""Site search: a search page per language, Pagefind's index, and the search itself."""

import gzip
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, Site, build_site, files_of, page, serve_folder

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
       "img-src 'self' data:; object-src 'none'; base-uri 'self'")
SEARCH_PAGES = {"nl": "/nl/zoeken/", "en": "/en/search/"}


def test_header_search_field_goes_to_the_search_page_of_its_language(site):
    for path, lang in [("/nl/nieuws/productiviteitskloof-limburg/", "nl"),
                       ("/en/partners/", "en")]:
        form = site.soup(path).select_one(".site-header form[role=search]")
        assert form["method"] == "get"
        assert form["action"] == site.siteurl + SEARCH_PAGES[lang]
        field = form.select_one("input[name=q]")
        assert form.select_one(f"label[for={field['id']}]").get_text(strip=True)


def test_search_pages_are_each_others_counterpart(site):
    switch = site.soup(SEARCH_PAGES["nl"]).select_one(".language-switch a")
    assert switch["href"] == site.siteurl + SEARCH_PAGES["en"]
    assert site.soup(SEARCH_PAGES["en"]).html["lang"] == "en"


def test_only_the_search_subscribe_and_agenda_pages_load_scripts(site):
    with_scripts = set()
    for file in site.html_pages():
        soup = site.soup(site.url_of(file))
        scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
        assert all(s.get("src") and not s.string for s in scripts), file
        if scripts:
            with_scripts.add(site.url_of(file)[len(site.siteurl):])
    # The script of the subscribe and agenda pages only adds Copy buttons to the
    # addresses of feeds and calendars (tests/test_feed_links.py).
    assert with_scripts == set(SEARCH_PAGES.values()) | {"/nl/volg-ons/", "/en/subscribe/",
                                                         "/nl/agenda/", "/en/agenda/"}


def test_search_index_has_one_index_per_language(site):
    bundle = site.output / "pagefind"
    assert sorted(p.name for p in bundle.glob("wasm.*.pagefind")) >= ["wasm.en.pagefind",
                                                                      "wasm.nl.pagefind"]
    assert not (bundle / "pagefind-ui.js").exists()


def test_search_index_is_byte_identical_across_folders(tmp_path, monkeypatch):
    outputs = []
    for name, tz in [("one", "Europe/Brussels"), ("two", "Asia/Tokyo")]:
        monkeypatch.setenv("TZ", tz)
        out = tmp_path / name / "output"
        build_site(ROOT / "content", out, siteurl="http://example.test")
        outputs.append(out / "pagefind")
    files = [sorted(p.relative_to(o) for o in [out] for p in out.rglob("*") if p.is_file())
             for out in outputs]
    assert files[0] == files[1] and files[0]
    for rel in files[0]:
        assert (outputs[0] / rel).read_bytes() == (outputs[1] / rel).read_bytes(), rel


def test_index_can_be_switched_off_for_small_builds(fixture_site):
    built = fixture_site(
        {"news/item.nl.md": page("Bericht", date="2026-03-01"),
         "news/item.en.md": page("Item", date="2026-03-01")},
        SEARCH={"index": False},
    )
    assert built.path("/nl/zoeken/").exists()
    assert not (built.output / "pagefind").exists()


def _bundles(cache):
    """{part: identity of its Pagefind output}: a part indexed again gets new files."""
    return {p.name: ((p / "pagefind-entry.json").stat().st_ino,
                     (p / "pagefind-entry.json").stat().st_mtime_ns)
            for p in (cache / "search-bundles").iterdir() if p.is_dir()}


def _fragments(cache):
    """{part: {fragment file name: the text Pagefind keeps of a page}}."""
    return {p.name: {f.name: gzip.decompress(f.read_bytes()).decode("utf-8")
                     for f in (p / "fragment").iterdir()}
            for p in (cache / "search-bundles").iterdir() if p.is_dir()}


def test_a_large_index_comes_in_parts_and_a_rebuild_indexes_one_part_again(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    out = tmp_path / "output"
    build_site(content, out, SEARCH={"part_size": 4})
    parts = sorted(p.name for p in tmp_path.glob("output/pagefind*"))
    assert parts[0] == "pagefind" and "pagefind-1" in parts
    for part in parts:
        assert (out / part / "pagefind-entry.json").exists()
        assert sorted(p.name for p in (out / part).glob("wasm.*.pagefind"))
    before = _bundles(tmp_path / "cache")
    assert len(before) >= 2 * len(parts) - 2
    fragments_before = _fragments(tmp_path / "cache")
    edited = content / "news" / "productivity.en.md"
    edited.write_text(edited.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    build_site(content, out, SEARCH={"part_size": 4})
    after = _bundles(tmp_path / "cache")
    assert set(after) == set(before)
    assert not list((tmp_path / "cache" / "search-bundles").glob("*.old-*"))  # old bundle removed
    assert len([part for part in after if after[part] != before[part]]) == 1
    # The edited page is the one page of its part whose record changed, and
    # its record holds the new sentence; no source page is left on disk.
    fragments_after = _fragments(tmp_path / "cache")
    changed = [(part, name) for part in fragments_after for name in fragments_after[part]
               if name not in fragments_before[part]]
    assert len(changed) == 1 and "One more sentence." in fragments_after[changed[0][0]][
        changed[0][1]]
    assert len(fragments_after[changed[0][0]]) == len(fragments_before[changed[0][0]])
    assert not (tmp_path / "cache" / "search-sources").exists()
    fresh = tmp_path / "fresh" / "output"
    build_site(content, fresh, SEARCH={"part_size": 4})
    assert {k: v for k, v in files_of(out).items() if k.startswith("pagefind")} == {
        k: v for k, v in files_of(fresh).items() if k.startswith("pagefind")}
    build_site(content, out, SEARCH={"part_size": 100})
    assert sorted(p.name for p in tmp_path.glob("output/pagefind*")) == ["pagefind"]
    assert sorted(_bundles(tmp_path / "cache")) == ["en-0", "nl-0"]


# --- In the browser ------------------------------------------------------------

def _open_with_csp(browser, served_site, **context_options):
    """A page whose responses carry the site's CSP; records every request URL."""
    context = browser.new_context(**context_options)
    requests, violations = [], []

    def add_csp(route):
        response = route.fetch()
        headers = dict(response.headers, **{"content-security-policy": CSP})
        route.fulfill(response=response, headers=headers)

    context.route("**/*", add_csp)
    tab = context.new_page()
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("console", lambda msg: "Content Security Policy" in msg.text
           and violations.append(msg.text))
    return context, tab, requests, violations


@pytest.mark.browser
@pytest.mark.parametrize("lang, query, article", [
    ("nl", "productiviteit", "/nl/nieuws/productiviteitskloof-limburg/"),
    ("en", "productivity", "/en/news/limburg-productivity-gap/"),
])
def test_search_finds_the_productivity_article_first(browser, served_site, lang, query, article):
    context, tab, requests, violations = _open_with_csp(browser, served_site)
    tab.goto(served_site.siteurl + SEARCH_PAGES[lang])
    tab.fill("#search-query", query)
    tab.press("#search-query", "Enter")
    first = tab.locator("#search-results li").first
    first.wait_for(timeout=10000)
    assert first.locator("a").get_attribute("href") == "/portal" + article
    assert first.locator(".search-result__date").inner_text().strip()
    assert first.locator(".search-result__excerpt mark").count() >= 1
    hrefs = tab.locator("#search-results a").evaluate_all("links => links.map(a => a.href)")
    assert all(h.startswith(served_site.siteurl + f"/{lang}/") for h in hrefs)
    assert tab.locator("#search-nojs").is_hidden()
    origin = served_site.siteurl.split("/portal")[0]
    assert [u for u in requests if not u.startswith(origin + "/")] == []
    assert violations == []
    context.close()


@pytest.mark.browser
def test_search_page_without_javascript_points_to_the_news(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(served_site.siteurl + SEARCH_PAGES["en"] + "?q=productivity")
    message = tab.locator("#search-nojs")
    assert message.is_visible()
    assert "JavaScript" in message.inner_text()
    assert message.locator("a").get_attribute("href") == served_site.siteurl + "/en/news/"
    context.close()


@pytest.fixture(scope="module")
def served_parts(tmp_path_factory):
    """The real site with its index in parts of about four pages."""
    out = tmp_path_factory.mktemp("parts") / "output"
    out.mkdir()
    server, base = serve_folder(out, "/portal")
    records = build_site(ROOT / "content", out, siteurl=base, SEARCH={"part_size": 4})
    yield Site(out, base, records)
    server.shutdown()


def _results(browser, site, lang, query):
    context, tab, requests, violations = _open_with_csp(browser, site)
    tab.goto(site.siteurl + SEARCH_PAGES[lang] + "?q=" + query)
    tab.locator("#search-results li").first.wait_for(timeout=10000)
    tab.wait_for_function("document.getElementById('search-status').textContent !== ''")
    hrefs = tab.locator("#search-results a").evaluate_all("links => links.map(a => a.href)")
    context.close()
    assert violations == []
    return [h[len(site.siteurl):] for h in hrefs]


@pytest.mark.browser
@pytest.mark.parametrize("lang, query, article", [
    ("nl", "productiviteit", "/nl/nieuws/productiviteitskloof-limburg/"),
    ("en", "productivity", "/en/news/limburg-productivity-gap/"),
])
def test_an_index_in_parts_finds_what_one_index_finds(browser, served_site, served_parts,
                                                      lang, query, article):
    assert len(served_parts.soup(SEARCH_PAGES[lang]).select_one("form.search-page")
               ["data-parts"].split()) >= 2
    in_parts = _results(browser, served_parts, lang, query)
    assert in_parts[0] == article
    for word in (query, "Kempen", "Brainport"):
        assert sorted(_results(browser, served_parts, lang, word)) == sorted(
            _results(browser, served_site, lang, word)), word


def test_a_link_follows_its_target_to_a_new_address_in_the_index(tmp_path):
    # A part of the index is made again when a page its items link to moves,
    # though their text did not change.
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    out = tmp_path / "output"
    build_site(content, out, siteurl="http://example.test", SEARCH={"part_size": 4})

    def part_of(title):
        found = [part for part, records in _fragments(tmp_path / "cache").items()
                 for record in records.values() if f'"title":"{title}' in record]
        assert len(found) == 1
        return found[0]

    news = "Eindhoven, Limburg and the Kempen strengthen"
    assert part_of(news) != part_of("The cooperation charter")
    before = _bundles(tmp_path / "cache")
    charter = content / "pages" / "charter.en.md"
    charter.write_text(charter.read_text("utf-8").replace(
        "Title: The cooperation charter\n",
        "Title: The cooperation charter\nSlug: cooperation-charter\n", 1), "utf-8")
    build_site(content, out, siteurl="http://example.test", SEARCH={"part_size": 4})
    assert _bundles(tmp_path / "cache")[part_of(news)] != before[part_of(news)]


def test_a_pagefind_that_stops_is_reported_with_what_it_said(tmp_path, monkeypatch):
    # Pagefind is handed the pages through a pipe; when it stops before it
    # wrote the index, the build reports what it said instead of an index
    # that is silently missing or half made.
    import pagefind_bin_extended

    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'out of disk space' >&2\nexit 3\n", "utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pagefind_bin_extended, "get_executable", lambda: fake)
    content = tmp_path / "content"
    (content / "news").mkdir(parents=True)
    (content / "news" / "item.nl.md").write_text(page("Bericht", date="2026-03-01"), "utf-8")
    (content / "news" / "item.en.md").write_text(page("Item", date="2026-03-01"), "utf-8")
    records = build_site(content, tmp_path / "output")
    found = [(p.path, p.field, p.message) for p in records.problems if p.plugin == "search"]
    assert len(found) == 1 and found[0][:2] == ("(site)", "search")
    assert found[0][2].startswith("the search index could not be built (Pagefind said: ")
    assert "en-0: out of disk space" in found[0][2] and "nl-0: out of disk space" in found[0][2]
    assert not (tmp_path / "output" / "pagefind").exists()


def test_service_messages_name_every_page_in_name_order():
    from search.search import service_answers, service_messages

    pages = {"nl-0/b.html": "<p>twee é</p>".encode(), "nl-0/a.html": b"<p>een</p>"}
    data = service_messages(pages, "/tmp/bundle")
    sent = service_answers(data)  # the same framing both ways: base64 JSON, comma-ended
    assert [number for number, _ in sent] == [1, 2, 3, 4]
    assert [payload["type"] for _, payload in sent] == ["NewIndex", "AddFile", "AddFile",
                                                       "WriteFiles"]
    assert [(p["url"], p["file_contents"]) for _, p in sent[1:3]] == [
        ("/nl-0/a.html", "<p>een</p>"), ("/nl-0/b.html", "<p>twee é</p>")]
    assert sent[3][1]["output_path"] == "/tmp/bundle"


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to see open files")
def test_pagefinds_input_stays_open_until_its_files_are_closed(tmp_path):
    # Pagefind answers WriteFiles while its last bytes may still be on their
    # way to the disk, and stops as soon as its input ends: the input may
    # only be closed once it holds no file of the bundle open.
    from search.search import wait_for_writes

    bundle = tmp_path / "nl-0"
    bundle.mkdir()
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        f"f = open({str(bundle / 'pagefind-entry.json')!r}, 'w')\n"
        "f.write('{\"version\":'); f.flush(); print('open', flush=True)\n"
        "time.sleep(0.4); f.write('\"1.5.2\"}'); f.close()\n"
        "time.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "open\n"
        assert wait_for_writes(writer.pid, bundle / "elsewhere") is True  # not in that folder
        assert wait_for_writes(writer.pid, bundle) is True
        assert writer.poll() is None  # still running: it was the file that was closed
        assert (bundle / "pagefind-entry.json").read_text("utf-8") == '{"version":"1.5.2"}'
    finally:
        writer.kill()
        writer.wait()


def test_a_bundle_that_cannot_be_read_is_reported_and_indexed_anew(tmp_path):
    # A part's bundle cut short (its pagefind-entry.json empty) is reported as
    # a problem of the build, not a traceback, and its digest is dropped so
    # the next build indexes that part again and the problem goes away.
    content = tmp_path / "content"
    (content / "news").mkdir(parents=True)
    (content / "news" / "item.nl.md").write_text(page("Bericht", date="2026-03-01"), "utf-8")
    (content / "news" / "item.en.md").write_text(page("Item", date="2026-03-01"), "utf-8")
    out, cache = tmp_path / "output", tmp_path / "cache"

    def searched(records):
        return [(p.path, p.field, p.message) for p in records.problems if p.plugin == "search"]

    assert searched(build_site(content, out)) == []
    entry = cache / "search-bundles" / "nl-0" / "pagefind-entry.json"
    assert entry.is_file()
    entry.write_text("", "utf-8")
    assert searched(build_site(content, out)) == [(
        "(site)", "search", "the search index of nl-0 could not be read (Expecting value: "
        "line 1 column 1 (char 0)); build again to index it anew")]
    assert searched(build_site(content, out)) == []
    assert json.loads(entry.read_text("utf-8"))["languages"].keys() == {"nl"}
