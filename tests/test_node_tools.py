"""`make test` installs the npm test tools (axe-core, the Nu HTML Checker) from
package-lock.json when they are missing or stale, so a fresh clone runs the
accessibility and HTML tests; without npm it says which tests will be skipped."""

import os
import shutil
import subprocess

import pytest

from conftest import ROOT, require

# Stands in for npm: notes how it was called and installs nothing but npm's stamp.
FAKE_NPM = """#!/bin/sh
echo "$@" >> "$NPM_CALLS"
mkdir -p node_modules && touch node_modules/.package-lock.json
"""


@pytest.fixture
def project(tmp_path):
    require(shutil.which("make"), "make is not installed (apt-get install make)")
    for name in ("Makefile", "package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, tmp_path / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    return tmp_path


def node_tools(project, with_npm=True):
    bin_dir = project / "bin"
    npm = bin_dir / "npm"
    if with_npm:
        npm.write_text(FAKE_NPM)
        npm.chmod(0o755)
    elif npm.exists():
        npm.unlink()
    make = shutil.which("make")
    # Without npm: only our folder on the PATH (make's shell needs no other program).
    path = f"{bin_dir}:/usr/bin:/bin" if with_npm else str(bin_dir)
    env = {"PATH": path, "NPM_CALLS": str(project / "calls")}
    return subprocess.run([make, "--no-print-directory", "node-tools"], cwd=project, env=env,
                          capture_output=True, text=True)


def calls(project):
    path = project / "calls"
    return path.read_text().splitlines() if path.exists() else []


def test_missing_node_modules_are_installed_from_the_lock_file(project):
    result = node_tools(project)
    assert result.returncode == 0, result.stderr
    assert calls(project) == ["ci --no-audit --no-fund --loglevel=error"]
    # Up to date: nothing to do.
    assert node_tools(project).returncode == 0
    assert len(calls(project)) == 1


def test_a_newer_lock_file_installs_again(project):
    node_tools(project)
    stamp = (project / "node_modules" / ".package-lock.json").stat()
    os.utime(project / "package-lock.json", ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    assert node_tools(project).returncode == 0
    assert len(calls(project)) == 2


def test_without_npm_the_skipped_tests_are_named(project):
    result = node_tools(project, with_npm=False)
    assert result.returncode == 0
    assert result.stderr == ("npm is not installed: the accessibility and HTML validation tests "
                             "will be skipped\n")
    assert not (project / "node_modules").exists()
