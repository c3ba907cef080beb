"""Which items lack a translation, and which translations lag behind their source.

    python tools/i18n_status.py [--content content] [--strict]
    python tools/i18n_status.py --in-step content/news/x.en.md

The source of an item is its file in the default language (Dutch); the other
files are its translations. A translation lags behind when its source changed
after it was last brought in step:

- `--in-step FILE` records that a translation is in step with its source as
  the source stands in git now: it writes `In_step_with: <commit>` into the
  translation. From then on, only a change to the source after that commit
  makes it lag behind again.
- A translation without that field lags behind when its source's last change
  (its last commit, or its file time while it has uncommitted changes) is later
  than its own.

A source never lags behind its translation, so the report does not flip
between the two files. `--strict` exits 1 when anything is listed (for CI).
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
from portal import model  # noqa: E402

SETTINGS = model.project_settings()
LANGUAGES = model.languages(SETTINGS)
DEFAULT = LANGUAGES[0]
KINDS = list(model.kinds(SETTINGS))
SINGLE = re.compile(r"^single_language\s*:\s*(true|yes|1)\s*$", re.I | re.M)
FIELD = "In_step_with"


def _git(args, cwd):
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    return result.returncode, result.stdout.strip()


def _dirty(path):
    folder, name = os.path.split(os.path.abspath(path))
    return bool(_git(["status", "--porcelain", "--", name], folder)[1])


def last_change(path):
    """Seconds since the epoch of the last change of `path`."""
    folder, name = os.path.split(os.path.abspath(path))
    committed = _git(["log", "-1", "--format=%ct", "--", name], folder)[1]
    if _dirty(path) or not committed:
        return os.path.getmtime(path)
    return int(committed)


def in_step_with(path):
    """The commit a translation was last brought in step with, or None."""
    meta = model.read_metadata(Path(path).read_text("utf-8", errors="replace"))[0]
    return meta.get(FIELD.lower()) or None


def source_changed_since(source, commit):
    """Whether `source` differs from what it was at `commit` (committed or not);
    None when git does not know the commit."""
    folder, name = os.path.split(os.path.abspath(source))
    if _git(["cat-file", "-e", f"{commit}^{{commit}}"], folder)[0] != 0:
        return None
    return _git(["diff", "--quiet", commit, "--", name], folder)[0] != 0


def scan(content):
    """`{(kind, name): {lang: path}}` for every content file."""
    groups = {}
    for kind in KINDS:
        for path in sorted(Path(content, kind).glob("*.*.md")):
            name, lang = path.name[: -len(".md")].rsplit(".", 1)
            groups.setdefault((kind, name), {})[lang] = path
    return groups


def status(content):
    """`{lang: {"missing": [(path, other lang)], "older": [(path, source, why)]}}`."""
    report = {lang: {"missing": [], "older": []} for lang in LANGUAGES}
    for versions in scan(content).values():
        for lang, path in sorted(versions.items()):
            if lang not in report:
                continue
            for other in LANGUAGES:
                if other != lang and other not in versions and not SINGLE.search(
                        path.read_text("utf-8", errors="replace")):
                    report[lang]["missing"].append((path, other))
            source = versions.get(DEFAULT)
            if lang == DEFAULT or source is None:
                continue
            commit = in_step_with(path)
            if commit:
                changed = source_changed_since(source, commit)
                if changed is None:
                    report[lang]["older"].append(
                        (path, source, f"{FIELD}: {commit} is not a commit of this repository"))
                elif changed:
                    report[lang]["older"].append((path, source, f"changed since {commit}"))
            elif last_change(source) > last_change(path):
                report[lang]["older"].append((path, source, "changed later"))
    return report


def mark_in_step(translation):
    """Write `In_step_with: <commit>` into `translation`: the last commit of
    its source, which must have no uncommitted changes. Returns the commit."""
    path = Path(translation)
    name, lang = path.name[: -len(".md")].rsplit(".", 1)
    if lang == DEFAULT:
        raise ValueError(f"{path} is the source ({DEFAULT}); name its translation instead")
    source = path.with_name(f"{name}.{DEFAULT}.md")
    if not source.exists():
        raise ValueError(f"{path} has no source {source.name} to be in step with")
    if _dirty(source):
        raise ValueError(f"{source} has changes that are not committed; commit it first")
    folder = str(source.parent.resolve())
    commit = _git(["log", "-1", "--format=%h", "--", source.name], folder)[1]
    if not commit:
        raise ValueError(f"{source} is not committed to git yet; commit it first")
    text = path.read_text("utf-8")
    lines = text.split("\n")
    end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    head = [line for line in lines[:end] if not line.lower().startswith(FIELD.lower() + ":")]
    path.write_text("\n".join(head + [f"{FIELD}: {commit}"] + lines[end:]), "utf-8")
    return commit


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default="content")
    parser.add_argument("--strict", action="store_true", help="exit 1 when anything is listed")
    parser.add_argument("--in-step", metavar="FILE", nargs="+",
                        help="record that these translations are in step with their source")
    args = parser.parse_args(argv)
    if args.in_step:
        for translation in args.in_step:
            try:
                commit = mark_in_step(translation)
            except (ValueError, OSError) as error:
                print(f"i18n-status: {error}", file=sys.stderr)
                return 1
            print(f"{translation}: in step with its source as of {commit}")
        return 0
    listed = 0
    for lang, found in status(args.content).items():
        print(f"{lang}:")
        if not found["missing"] and not found["older"]:
            print("  nothing to do")
        for path, other in found["missing"]:
            print(f"  {path}: no {other} version")
        for path, source, why in found["older"]:
            print(f"  {path}: its source {source} {why}; bring it in step, then "
                  f"make i18n-in-step FILE={path}")
        listed += len(found["missing"]) + len(found["older"])
    return 1 if args.strict and listed else 0


if __name__ == "__main__":
    sys.exit(main())
