"""The real site, file by file, is what `tests/expected/site.sha256` says.

A change that is not meant to change the pages (a refactoring, a faster
build) must leave every byte as it was. A change that is meant to change them
regenerates the list with one command, and the diff of the list shows which
files changed:

    make expected
"""

import hashlib
import os

from conftest import ROOT

EXPECTED = ROOT / "tests" / "expected" / "site.sha256"


def digests(folder):
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_site_is_byte_identical_to_the_expected_output(site):
    found = digests(site.output)
    if os.environ.get("UPDATE_EXPECTED") == "1":
        EXPECTED.write_text("".join(f"{digest}  {path}\n" for path, digest in found.items()),
                            "utf-8")
    expected = dict(reversed(line.split("  ", 1)) for line in
                    EXPECTED.read_text("utf-8").splitlines())
    changed = sorted(path for path in expected.keys() & found.keys()
                     if expected[path] != found[path])
    assert (sorted(found.keys() - expected.keys()), sorted(expected.keys() - found.keys()),
            changed) == ([], [], []), "run `make expected` if the change is meant"
