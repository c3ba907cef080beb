"""Validation rules of single fields, on tiny fixture sites (in-process builds)."""

import logging

from conftest import page, run_build, write_files


def problems(site, level=logging.WARNING):
    """(path, field, message) of what validation reported at `level` or above."""
    return [(p.path, p.field, p.message) for p in site.problems
            if p.level >= level and p.plugin == "validation"]


def pair(kind="news", **meta):
    """An item in Dutch and English; the English file leaves the language-neutral
    fields (Date) to the Dutch one."""
    base = {"date": "2026-03-18", "summary": "Kort."} if kind in ("news", "editions") else {"summary": "Kort."}
    return {
        f"{kind}/x.nl.md": page("X", **dict(base, **meta)),
        f"{kind}/x.en.md": page("X", summary="Short."),
    }


def test_valid_content_has_no_problem(fixture_site):
    site = fixture_site(pair(date="2026-03-18 10:30", modified="2026-03-19T08:00:00+01:00"))
    assert problems(site) == []


def test_a_partial_modified_date_is_an_error(fixture_site):
    site = fixture_site(pair(modified="2026-3-19"))
    assert problems(site, logging.ERROR) == [
        ("news/x.nl.md", "modified", "'2026-3-19' is not a full date; "
         "write year-month-day, e.g. 2026-03-18")]


def test_a_misspelt_field_is_an_error_with_a_suggestion(fixture_site):
    site = fixture_site(pair(domain="mobility"))
    assert problems(site, logging.ERROR) == [
        ("news/x.nl.md", "domain", "this field is not used for news; did you mean Domains?")]


def test_fields_of_other_features_can_be_allowed(fixture_site):
    site = fixture_site(pair(podcast="yes"), VALIDATION={"extra_fields": ["podcast"]})
    assert problems(site) == []


def test_unknown_setting_keys_are_reported(fixture_site):
    site = fixture_site(pair(), VALIDATION={"domain": ["x"]})
    assert site.error_records() == [
        ("validation", "(settings)", "VALIDATION",
         "unknown key 'domain' in the VALIDATION setting")]


def test_partner_side_and_order_are_checked(tmp_path):
    files = pair("partners", side="north", order="first")
    files["partners/y.nl.md"] = page("Y", summary="K.", single_language="true")
    write_files(tmp_path / "content", files)
    result = run_build(tmp_path, tmp_path / "content")
    assert result.returncode == 1
    assert "content/partners/x.nl.md: side: 'north' is not a side of the border" in result.stderr
    assert "content/partners/x.nl.md: order: 'first' is not a whole number" in result.stderr
    assert "content/partners/y.nl.md: side: the Side line is missing" in result.stderr


def test_an_edition_must_name_existing_news(fixture_site):
    files = pair("editions", news="charter-signing")
    files.update(pair(date="2026-03-18"))
    site = fixture_site(files)
    assert problems(site, logging.ERROR) == [
        ("editions/x.nl.md", "news",
         "there is no file news/charter-signing.<language>.md; check the name")]


def test_an_image_without_description_is_an_error(fixture_site):
    files = pair()
    files["news/x.nl.md"] = page("X", "![](https://example.org/a.png)", date="2026-03-18", summary="K.")
    site = fixture_site(files)
    assert problems(site) == [
        ("news/x.nl.md", "image", "an image has no description: write what it shows between "
         "the brackets, ![like this](...), or ![-](...) for a purely decorative picture")]


def test_a_file_name_without_language_is_named(tmp_path):
    write_files(tmp_path / "content", {"news/x.md": page("X", date="2026-03-18", summary="K.")})
    result = run_build(tmp_path, tmp_path / "content")
    assert result.returncode == 1
    assert "content/news/x.md: lang: the file name has no language; name it <name>.nl.md" in result.stderr


def test_links_with_encoded_characters_resolve(fixture_site):
    files = pair()
    files["pages/a b.nl.md"] = page("A", summary="K.", single_language="true")
    files["news/x.nl.md"] = page("X", "[a]({filename}/pages/a%20b.nl.md)", date="2026-03-18", summary="K.")
    site = fixture_site(files)
    assert problems(site) == []


def test_a_rebuild_reports_the_problems_of_unchanged_files_and_sees_fixes(fixture_site):
    """The checks are kept between builds: what is still wrong is named again,
    what was fixed is not, and a link to a file that now exists is fine."""
    files = pair(modified="2026-3-19")
    files["news/y.nl.md"] = page("Y", date="2026-03-18", summary="K.",
                                 body="Zie [z]({filename}z.nl.md).")
    files["news/y.en.md"] = page("Y", date="2026-03-18", summary="K.")
    first = fixture_site(files)
    assert sorted(p[:2] for p in problems(first, logging.ERROR)) == [
        ("news/x.nl.md", "modified"), ("news/y.nl.md", "link")]
    again = fixture_site(files)
    assert problems(again, logging.ERROR) == problems(first, logging.ERROR)
    files["news/x.nl.md"] = page("X", date="2026-03-18", summary="Kort.")
    files["news/z.nl.md"] = page("Z", date="2026-03-18", summary="K.")
    files["news/z.en.md"] = page("Z", date="2026-03-18", summary="K.")
    assert problems(fixture_site(files), logging.ERROR) == []


def test_ignored_files_and_relative_paths_are_those_pelican_sees(tmp_path):
    import fnmatch

    from portal import model

    patterns = [".#*", "*~", "README.md", "draft-[0-9]*.md", "**/.*"]
    names = [".#x.nl.md", "x.nl.md~", "README.md", "readme.md", "draft-1.md", "draft-a.md",
             ".hidden.md", "x.nl.md", "a*b.md", "[x].md"]
    ignored = model.ignore_matcher({"IGNORE_FILES": patterns})
    for name in names:
        assert ignored(name) == any(fnmatch.fnmatch(name, p) for p in patterns), name
    assert not model.ignore_matcher({})("x.md")

    for rel in ["news/a.nl.md", "news/2026/b.nl.md", "pages/top.nl.md", "news/README.md",
                "news/draft-1.md", "elsewhere/c.nl.md", "tips/t.en.markdown"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("Title: x\n", "utf-8")
    settings = {"PATH": str(tmp_path), "IGNORE_FILES": patterns}
    found = model.content_files(settings, ["md", "markdown"])
    # Kind by kind in the model's order; a folder's files sorted, then its sub-folders.
    assert found == [("news/a.nl.md", "news"), ("news/2026/b.nl.md", "news"),
                     ("pages/top.nl.md", "pages"), ("tips/t.en.markdown", "tips")]


def test_a_relative_link_names_the_path_looked_up_and_the_likely_fix(fixture_site):
    files = pair()
    files["pages/about.nl.md"] = page("Over", summary="K.", single_language="true")
    files["news/x.nl.md"] = page("X", "[a]({filename}pages/about.nl.md)", date="2026-03-18",
                                 summary="K.")
    assert problems(fixture_site(files), logging.ERROR) == [
        ("news/x.nl.md", "link", "the link {filename}pages/about.nl.md points to "
         "news/pages/about.nl.md, which does not exist; did you mean "
         "{filename}/pages/about.nl.md, from the content folder?")]


def test_an_item_on_a_sections_address_names_the_file_and_the_section(tmp_path):
    files = pair()
    files["pages/about.nl.md"] = page("Over", summary="K.", slug="nieuws",
                                      single_language="true")
    write_files(tmp_path / "content", files)
    result = run_build(tmp_path, tmp_path / "content")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if "slug" in line] == [
        "content/pages/about.nl.md: slug: the address /nl/nieuws/ is the news list in nl; "
        "give this item another Slug (error)"]
