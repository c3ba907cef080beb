"""Which items lack a translation, and which translations lag behind.

    python tools/i18n_status.py [--content content]

Per language it lists the items that have no counterpart in the other
language (unless marked `Single_language: true`) and the items whose
counterpart changed after them: the last change of a file is its last commit
in git, or its modification time when it has uncommitted changes.
Always exits 0: this is a to-do list, not a check (the build checks).
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

LANGUAGES = ["nl", "en"]
KINDS = ["news", "pages", "partners", "domains", "editions", "tips", "events"]
SINGLE = re.compile(r"^single_language\s*:\s*(true|yes|1)\s*$", re.I | re.M)


def _git(args, cwd):
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else ""


def last_change(path):
    """Seconds since the epoch of the last change of `path`."""
    folder, name = os.path.split(os.path.abspath(path))
    dirty = _git(["status", "--porcelain", "--", name], folder).strip()
    committed = _git(["log", "-1", "--format=%ct", "--", name], folder).strip()
    if dirty or not committed:
        return os.path.getmtime(path)
    return int(committed)


def scan(content):
    """`{(kind, name): {lang: path}}` for every content file."""
    groups = {}
    for kind in KINDS:
        for path in sorted(Path(content, kind).glob("*.*.md")):
            name, lang = path.name[: -len(".md")].rsplit(".", 1)
            groups.setdefault((kind, name), {})[lang] = path
    return groups


def status(content):
    """`{lang: {"missing": [...], "older": [(path, newer path)]}}`."""
    report = {lang: {"missing": [], "older": []} for lang in LANGUAGES}
    for versions in scan(content).values():
        for lang, path in sorted(versions.items()):
            if lang not in report:
                continue
            others = [o for o in LANGUAGES if o != lang]
            for other in others:
                if other not in versions:
                    if not SINGLE.search(path.read_text("utf-8", errors="replace")):
                        report[lang]["missing"].append((path, other))
                elif last_change(versions[other]) > last_change(path):
                    report[lang]["older"].append((path, versions[other]))
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default="content")
    args = parser.parse_args(argv)
    for lang, found in status(args.content).items():
        print(f"{lang}:")
        if not found["missing"] and not found["older"]:
            print("  everything has an up-to-date counterpart")
        for path, other in found["missing"]:
            print(f"  {path}: no {other} version")
        for path, newer in found["older"]:
            print(f"  {path}: older than {newer}; check whether it needs the same changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
