"""GitHub Pages: .nojekyll always, CNAME only for a custom domain, `make github`."""

import os
import shutil
import subprocess

import pytest

from conftest import ROOT, copy_project, page, require

NEWS = {"news/item.nl.md": page("Nieuws", Date="2026-03-18", Single_language="true")}


def test_nojekyll_is_written_and_no_cname_without_a_domain(fixture_site):
    site = fixture_site(NEWS)
    assert (site.output / ".nojekyll").is_file()
    assert not (site.output / "CNAME").exists()


def test_custom_domain_is_written_to_cname(fixture_site):
    site = fixture_site(NEWS, GITHUB_PAGES={"custom_domain": "www.example.org"})
    assert (site.output / "CNAME").read_text() == "www.example.org\n"


def test_cname_from_an_earlier_build_goes_when_the_domain_is_removed(fixture_site):
    fixture_site(NEWS, GITHUB_PAGES={"custom_domain": "www.example.org"})
    site = fixture_site(NEWS)
    assert not (site.output / "CNAME").exists()


def test_a_domain_written_as_an_address_is_refused_with_advice(fixture_site):
    site = fixture_site(NEWS, GITHUB_PAGES={"custom_domain": "https://www.example.org/"})
    assert not (site.output / "CNAME").exists()
    assert site.error_records() == [
        ("github_pages", "(settings)", "GITHUB_PAGES",
         "custom_domain 'https://www.example.org/' is not a host name: write only the domain, "
         'e.g. "www.example.org", without https:// or a path')]


def test_unknown_setting_is_reported(fixture_site):
    site = fixture_site(NEWS, GITHUB_PAGES={"domain": "www.example.org"})
    assert site.error_records() == [
        ("github_pages", "(settings)", "GITHUB_PAGES",
         "unknown key 'domain' in the GITHUB_PAGES setting; did you mean 'custom_domain'?")]


@pytest.fixture
def git_and_make():
    for tool in ("git", "make"):
        require(shutil.which(tool), f"{tool} is not installed (apt-get install {tool})")


def git(*args, cwd):
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def test_make_github_pushes_the_built_site_to_a_gh_pages_branch(tmp_path, git_and_make):
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    project = copy_project(tmp_path / "project")
    git("init", "--quiet", cwd=project)
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="Publisher", GIT_AUTHOR_EMAIL="publisher@example.org",
        GIT_COMMITTER_NAME="Publisher", GIT_COMMITTER_EMAIL="publisher@example.org",
    )
    siteurl = "https://example.github.io/portal"
    subprocess.run(
        ["make", "--no-print-directory", "github", f"SITEURL={siteurl}",
         f"VENV={ROOT / '.venv'}", f"GITHUB_REMOTE={remote}"],
        cwd=project, env=env, check=True, capture_output=True, text=True, timeout=300,
    )
    output = project / "output"
    built = sorted(
        p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()
    )
    published = sorted(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split())
    assert published == built
    assert {".nojekyll", "index.html", "nl/index.html", "theme/css/site.css"} <= set(published)
    home = git("show", "gh-pages:nl/index.html", cwd=remote)
    assert home == (output / "nl" / "index.html").read_text("utf-8")
    assert f'href="{siteurl}/theme/css/site.css"' in home


def test_make_github_refuses_to_publish_without_the_public_address(tmp_path, git_and_make):
    project = copy_project(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    result = subprocess.run(
        ["make", "--no-print-directory", "github", f"VENV={ROOT / '.venv'}",
         f"GITHUB_REMOTE={tmp_path / 'nowhere.git'}"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "set SITEURL to the public address" in result.stderr
    assert not (project / "output").exists()
