"""Two builds of the same sources give the same bytes, wherever and whenever
they run: other folders, time zones, hash seeds, locales and file times."""

import hashlib
import os
import shutil
import subprocess
import time

from conftest import ROOT, copy_project, require

SITEURL = "https://example.github.io/portal"


def publish(project, **env):
    """`make publish` in `project` with the shared .venv; returns the output folder."""
    subprocess.run(
        ["make", "--no-print-directory", "publish", f"SITEURL={SITEURL}", f"VENV={ROOT / '.venv'}"],
        cwd=project, env=dict(os.environ, **env), check=True, capture_output=True, text=True,
        timeout=600,
    )
    return project / "output"


def digests(folder):
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_two_builds_in_different_places_and_settings_are_identical(tmp_path):
    require(shutil.which("make"), "make is not installed (apt-get install make)")
    first = copy_project(tmp_path / "first")
    second = copy_project(tmp_path / "elsewhere" / "second copy")
    # A fresh clone gets new file times: nothing may depend on them.
    later = time.time() + 86400 * 400
    for sub in ("content", "theme", "plugins"):
        for path in (second / sub).rglob("*"):
            os.utime(path, (later, later))

    one = digests(publish(first, TZ="Pacific/Auckland", PYTHONHASHSEED="1", LC_ALL="C.UTF-8"))
    two = digests(publish(second, TZ="America/Los_Angeles", PYTHONHASHSEED="4242", LC_ALL="C"))

    assert len(one) > 10
    assert sorted(one) == sorted(two)
    differ = [name for name in one if one[name] != two[name]]
    assert differ == []
