"""`make newpost` and `make i18n-status`: the tools content authors run."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT, run_build

sys.path.insert(0, str(ROOT / "tools"))
import i18n_status  # noqa: E402
import newpost  # noqa: E402


def test_newpost_writes_neutral_fields_once_and_both_titles(tmp_path):
    paths = newpost.scaffold("Nieuwe partner: één", date="2026-03-20", content=tmp_path / "content",
                             title_en="New partner: one", slug_en="new-partner")
    assert [p.name for p in paths] == ["nieuwe-partner-een.nl.md", "nieuwe-partner-een.en.md"]
    assert paths[0].read_text("utf-8") == (
        "Title: Nieuwe partner: één\nDate: 2026-03-20\nDomains:\nPartners:\n"
        "Summary: Vat het bericht hier samen in één zin.\n\n"
        "Schrijf hier de tekst van het bericht.\n")
    assert paths[1].read_text("utf-8") == (
        "Title: New partner: one\nSlug: new-partner\n"
        "Summary: Sum up the item here in one sentence.\n\nWrite the text of the item here.\n")


def test_newpost_placeholders_are_refused_by_publish_and_warned_by_html(tmp_path):
    paths = newpost.scaffold("Bezoek", date="2026-03-20", content=tmp_path / "content")
    assert paths[1].read_text("utf-8").startswith("Title: Translate this title: Bezoek\n")
    strict = run_build(tmp_path, tmp_path / "content", "--strict")
    assert strict.returncode == 1
    still = ("this still holds the example text of make newpost; write your own "
             "(make publish refuses the item until then) (warning)")
    lines = [line for line in strict.stderr.splitlines() if "example text" in line]
    assert lines == [f"content/news/bezoek.{lang}.md: {field}: {still}"
                     for lang, fields in (("en", ("body", "summary", "title")),
                                          ("nl", ("body", "summary")))
                     for field in fields]
    assert not (tmp_path / "output").exists()
    assert run_build(tmp_path, tmp_path / "content").returncode == 0  # make html: warnings only
    for path, (title, summary, text) in zip(paths, [("Bezoek", "Kort.", "Tekst."),
                                                    ("Visit", "Short.", "Text.")]):
        path.write_text(f"Title: {title}\n" + (f"Date: 2026-03-20\n" if path.name.endswith(
            ".nl.md") else "") + f"Summary: {summary}\n\n{text}\n", "utf-8")
    result = run_build(tmp_path, tmp_path / "content", "--strict")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "en" / "news" / "bezoek" / "index.html").is_file()


def test_newpost_never_overwrites(tmp_path):
    newpost.scaffold("Twee keer", content=tmp_path)
    with pytest.raises(FileExistsError):
        newpost.scaffold("Twee keer", content=tmp_path)


def test_newpost_rejects_a_partial_date(tmp_path):
    with pytest.raises(ValueError):
        newpost.scaffold("Maand", date="2026-03", content=tmp_path)


def git(repo, *args, when="2026-03-18T12:00:00+00:00"):
    env = dict(os.environ, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when,
               GIT_AUTHOR_NAME="Redactie", GIT_AUTHOR_EMAIL="redactie@example.test",
               GIT_COMMITTER_NAME="Redactie", GIT_COMMITTER_EMAIL="redactie@example.test")
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_i18n_status_lists_missing_and_outdated_counterparts(tmp_path):
    news = tmp_path / "content" / "news"
    news.mkdir(parents=True)
    for name, text in {"a.nl.md": "Title: A\n", "a.en.md": "Title: A\n", "b.nl.md": "Title: B\n",
                       "c.en.md": "Title: C\nSingle_language: true\n"}.items():
        (news / name).write_text(text)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    (news / "a.nl.md").write_text("Title: A, herschreven\n")
    git(tmp_path, "commit", "-qam", "rewrite", when="2026-03-19T12:00:00+00:00")
    report = i18n_status.status(tmp_path / "content")
    assert report["nl"]["missing"] == [(news / "b.nl.md", "en")]
    assert report["en"]["missing"] == []
    assert report["en"]["older"] == [(news / "a.en.md", news / "a.nl.md", "changed later")]
    assert report["nl"]["older"] == []


def test_a_translation_marked_in_step_settles_until_its_source_changes(tmp_path):
    news = tmp_path / "content" / "news"
    news.mkdir(parents=True)
    (news / "a.nl.md").write_text("Title: A\n\nTekst.\n")
    (news / "a.en.md").write_text("Title: A\n\nText.\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    (news / "a.nl.md").write_text("Title: A\n\nNieuwe tekst.\n")
    git(tmp_path, "commit", "-qam", "source", when="2026-03-19T12:00:00+00:00")

    def strict():
        return i18n_status.main(["--content", str(tmp_path / "content"), "--strict"])

    assert strict() == 1
    # The translator brings the English file in step and marks it; then commits it.
    (news / "a.en.md").write_text("Title: A\n\nNew text.\n")
    assert i18n_status.main(["--in-step", str(news / "a.en.md")]) == 0
    source_commit = subprocess.run(["git", "log", "-1", "--format=%h", "--", "a.nl.md"],
                                   cwd=news, capture_output=True, text=True).stdout.strip()
    assert (news / "a.en.md").read_text() == (
        f"Title: A\nIn_step_with: {source_commit}\n\nNew text.\n")
    git(tmp_path, "commit", "-qam", "translation", when="2026-03-20T12:00:00+00:00")
    report = i18n_status.status(tmp_path / "content")
    assert report == {"nl": {"missing": [], "older": []}, "en": {"missing": [], "older": []}}
    assert strict() == 0
    # A later change to the Dutch source makes it lag behind again, whatever the times.
    (news / "a.nl.md").write_text("Title: A\n\nNog nieuwere tekst.\n")
    assert i18n_status.status(tmp_path / "content")["en"]["older"] == [
        (news / "a.en.md", news / "a.nl.md", f"changed since {source_commit}")]
    assert strict() == 1


def test_marking_refuses_a_source_with_uncommitted_changes(tmp_path, capsys):
    news = tmp_path / "content" / "news"
    news.mkdir(parents=True)
    (news / "a.nl.md").write_text("Title: A\n")
    (news / "a.en.md").write_text("Title: A\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    (news / "a.nl.md").write_text("Title: B\n")
    assert i18n_status.main(["--in-step", str(news / "a.en.md")]) == 1
    assert capsys.readouterr().err == (
        f"i18n-status: {news / 'a.nl.md'} has changes that are not committed; commit it first\n")
    assert (news / "a.en.md").read_text() == "Title: A\n"
