"""The shared core: the content model, settings, cache, problem records, compat."""

import filecmp
import logging
import shutil
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT, build_site, page

from portal import cache, compat, model, problems, settings as portal_settings

GERMAN = {
    "name": "Deutsch", "html_lang": "de",
    "sections": {"news": "nachrichten/", "partners": "partner/", "domains": "bereiche/",
                 "editions": "newsletter/", "tips": "tipps/", "reports": "berichte/",
                 "search": "suche/"},
}
# A kind that exists only in this fixture, given by the setting alone.
REPORTS = {"sections": {"nl": "rapporten/", "en": "reports/"}, "template": "page",
           "overview": "", "required": ["title", "date"], "sort": "date"}


def _three_language_site(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    catalog = theme / "translations" / "de" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    shutil.copy(theme / "translations" / "en" / "LC_MESSAGES" / "messages.po", catalog)
    content = tmp_path / "content"
    for lang, title in (("nl", "Welkom"), ("en", "Welcome"), ("de", "Willkommen")):
        for rel, text in {
            f"pages/home.{lang}.md": page(title, Summary=title),
            f"news/visit.{lang}.md": page(f"{title} news", Date="2026-03-12", Summary=title),
            f"reports/year.{lang}.md": page(f"{title} report", Date="2026-03-18",
                                            Summary=title),
        }.items():
            (content / rel).parent.mkdir(parents=True, exist_ok=True)
            (content / rel).write_text(text, "utf-8")
    out = tmp_path / "output"
    languages = dict(model.LANGUAGES, de=GERMAN)
    records = build_site(content, out, siteurl="http://example.test", THEME=str(theme),
                         BILINGUAL={"languages": languages, "kinds": {"reports": REPORTS}},
                         SEARCH={"index": False})
    return out, records


def _alternates(html_path):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_path.read_text("utf-8"), "html.parser")
    links = {link["hreflang"]: link["href"]
             for link in soup.select('head link[rel="alternate"][hreflang]')}
    switch = sorted(a["href"] for a in soup.select(".language-switch a"))
    return links, switch


def test_a_third_language_and_a_new_kind_need_only_settings_catalogs_and_content(tmp_path):
    out, records = _three_language_site(tmp_path)
    assert [p for p in records.problems if p.is_error] == []
    base = "http://example.test/"
    news = {"nl": "nl/nieuws/visit/", "en": "en/news/visit/", "de": "de/nachrichten/visit/"}
    reports = {"nl": "nl/rapporten/year/", "en": "en/reports/year/", "de": "de/berichte/year/"}
    for group in (news, reports):
        expected = {lang: base + url for lang, url in group.items()}
        expected["x-default"] = base + group["nl"]
        for lang, url in group.items():
            links, switch = _alternates(out / url / "index.html")
            assert links == expected
            assert switch == sorted(base + other for code, other in group.items() if code != lang)
    for lang, section in (("nl", "nieuws"), ("en", "news"), ("de", "nachrichten")):
        feed = (out / lang / section / "rss.xml").read_text("utf-8")
        assert f"<link>{base}{news[lang]}</link>" in feed
        assert (out / lang / section / "atom.xml").exists()
    assert (out / "de" / "suche" / "index.html").exists()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(out / "sitemap.xml")
    entry = next(u for u in tree.findall("s:url", ns)
                 if u.find("s:loc", ns).text == base + reports["de"])
    assert {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)} == {
        "nl": base + reports["nl"], "en": base + reports["en"], "de": base + reports["de"],
        "x-default": base + reports["nl"]}


def test_the_model_names_each_kind_once():
    settings = {"DEFAULT_LANG": "nl", "PATH": str(ROOT / "content")}
    kinds = model.kinds(settings)
    assert list(kinds) == ["news", "pages", "partners", "domains", "editions", "tips", "events"]
    assert model.content_paths(settings) == (
        ["news"], ["pages", "partners", "domains", "editions", "tips", "events"])
    assert [kinds[k].section("nl") for k in kinds] == [
        "nieuws/", "", "partners/", "domeinen/", "nieuwsbrief/", "groeitips/", "agenda/"]
    assert [kinds[k].section("en") for k in kinds] == [
        "news/", "", "partners/", "domains/", "newsletter/", "growth-tips/", "agenda/"]
    assert model.keys_of(settings, "domains") == ["biobased", "high-tech", "mobility"]
    assert model.keys_of(settings, "partners") == [
        "brainport", "metropoolregio-eindhoven", "pom-antwerpen", "pom-limburg",
        "streekplatform-kempen"]
    assert model.languages(settings) == ["nl", "en"]
    assert model.languages(dict(settings, DEFAULT_LANG="en")) == ["en", "nl"]
    assert model.file_parts("news/charter-signing.en.md") == ("news", "charter-signing", "en")
    assert model.file_parts("README.md") == ("", "README", None)


def test_an_unknown_setting_key_is_one_record_with_a_hint():
    with problems.collecting() as found:
        conf = portal_settings.merged({"RELATED": {"max_new": 2}}, "RELATED", {"max_news": 3},
                                      plugin="related")
    assert conf == {"max_news": 3, "max_new": 2}
    assert found == [problems.Problem(
        "related", "(settings)", "RELATED",
        "unknown key 'max_new' in the RELATED setting; did you mean 'max_news'?")]


def test_enabled_knows_listed_plugins():
    listed = {"PLUGINS": ["bilingual", "fastbuild.fastbuild", "pelican.plugins.sitemap"]}
    assert [portal_settings.enabled(listed, name)
            for name in ("bilingual", "fastbuild", "sitemap", "search")] == [
        True, True, True, False]


def test_the_cache_store_keeps_data_under_its_fingerprint(tmp_path):
    store = cache.Store({"CACHE_PATH": str(tmp_path)}, "x/data.pickle")
    assert store.load("a") is None
    store.save("a", {"n": 1})
    assert store.load("a") == {"n": 1}
    assert store.load("b") is None
    (tmp_path / "x" / "data.pickle").write_bytes(b"not a pickle")
    assert store.load("a") is None
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["data.pickle"]


def test_the_fingerprint_follows_library_versions(monkeypatch):
    settings = {"PLUGIN_PATHS": [str(ROOT / "plugins")]}
    before = cache.fingerprint(settings, "x")
    assert cache.fingerprint(settings, "x") == before
    assert cache.fingerprint(settings, "y") != before
    real = cache.metadata.version
    monkeypatch.setattr(cache.metadata, "version",
                        lambda name: "99.0" if name == "nh3" else real(name))
    monkeypatch.setattr(cache, "_versions", [])  # a process started after the upgrade
    assert "nh3==99.0" in cache.versions()
    assert cache.fingerprint(settings, "x") != before


def test_a_preloaded_store_is_taken_once_and_only_while_its_file_is_unchanged(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(cache, "_preloaded", {})
    store = cache.Store({"CACHE_PATH": str(tmp_path)}, "x/data.pickle")
    store.save("a", {"n": 1})
    (tmp_path / "notes.txt").write_text("not a store")
    assert cache.preload(str(tmp_path)) == [str(tmp_path / "x" / "data.pickle")]
    first = store.load("a")
    assert first == {"n": 1}
    first["n"] = 2  # a build changes what it loaded: the next load reads the file again
    assert store.load("a") == {"n": 1}

    cache.preload(str(tmp_path))
    store.save("a", {"n": 3})  # written after the preload: the preloaded data is outdated
    assert store.load("a") == {"n": 3}
    cache.preload(str(tmp_path))
    assert store.load("b") is None  # another fingerprint


def test_a_failed_compat_check_builds_the_same_site_with_one_warning(tmp_path, monkeypatch):
    fast = tmp_path / "fast" / "output"
    build_site(ROOT / "content", fast, SEARCH={"index": False})
    monkeypatch.setattr(compat, "SUPPORTED_PELICAN", ((9, 0), (9, 1)))
    monkeypatch.setattr(compat, "_checked", {})
    plain = tmp_path / "plain" / "output"
    records = build_site(ROOT / "content", plain, SEARCH={"index": False})
    assert [(p.plugin, p.level) for p in records.problems] == [("compat", logging.WARNING)]
    assert "outside the supported range 9.0" in records.problems[0].message
    assert not (plain.parent / "cache" / "fastbuild").exists()

    def differences(compare):
        found = compare.diff_files + compare.left_only + compare.right_only
        return found + [d for sub in compare.subdirs.values() for d in differences(sub)]

    assert differences(filecmp.dircmp(fast, plain)) == []


def test_patches_are_undone_after_a_build(tmp_path):
    from pelican.contents import Content

    before = {name: Content.__dict__[name] for name in ("url", "save_as", "content",
                                                         "get_relative_source_path")}
    build_site(ROOT / "content", tmp_path / "output", SEARCH={"index": False})
    assert compat.patched() == []
    assert {name: Content.__dict__[name] for name in before} == before


@pytest.mark.parametrize("version, allowed", [("4.12.0", True), ("4.12.3", True),
                                              ("4.13.0", False), ("4.11.2", False),
                                              ("5.0.0.dev1", False)])
def test_the_supported_range(monkeypatch, version, allowed):
    monkeypatch.setattr(compat.pelican, "__version__", version)
    monkeypatch.setattr(compat, "_checked", {})
    assert (compat.problem() is None) is allowed


def test_pelicans_own_command_loads_every_plugin(tmp_path):
    """`pelican` run by hand (or by a tool) finds the core beside the plugins."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(ROOT / "content"), "-o", str(tmp_path / "out"),
         "-s", str(ROOT / "pelicanconf.py"), "--cache-path", str(tmp_path / "cache")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Cannot load plugin" not in result.stdout + result.stderr
    assert (tmp_path / "out" / "nl" / "nieuws" / "index.html").is_file()


def test_a_nested_setting_is_merged_and_checked_too():
    defaults = {"rss": "rss.xml", "editions": {"html": "email.html", "text": "email.txt"}}
    user = {"FEEDS": {"editions": {"html": "mail.html", "txt": "x"}}}
    with problems.collecting() as found:
        conf = portal_settings.merged(user, "FEEDS", defaults, "feeds", nested=("editions",))
    assert conf == {"rss": "rss.xml",
                    "editions": {"html": "mail.html", "text": "email.txt", "txt": "x"}}
    assert found == [problems.Problem(
        "feeds", "(settings)", "FEEDS['editions']",
        "unknown key 'txt' in the FEEDS['editions'] setting; did you mean 'text'?")]


def test_held_saves_are_written_in_order_when_flushed(tmp_path):
    store = cache.Store({"CACHE_PATH": str(tmp_path)}, "data.pickle")
    cache.hold_saves()
    try:
        store.save("a", {"n": 1})
        store.save("a", {"n": 2})
        assert not (tmp_path / "data.pickle").exists()
    finally:
        cache.flush_saves()
    assert store.load("a") == {"n": 2}
    store.save("a", {"n": 3})  # no longer held
    assert store.load("a") == {"n": 3}
