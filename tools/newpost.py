"""Scaffold a news item in Dutch and English with valid metadata.

    python tools/newpost.py "Title of the item" [--kind news] [--date 2026-03-18]

Writes `content/<kind>/<name>.nl.md` and `.en.md` (the name comes from the
title) and never overwrites a file. Both start with the same title: translate
the English one, write the texts, then run `make html`.
"""

import argparse
import datetime
import sys
from pathlib import Path

from pelican.utils import slugify

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
from portal import model  # noqa: E402

SETTINGS = model.project_settings()

BODY = {
    "nl": "Schrijf hier de tekst van het bericht.",
    "en": "Write the text of the item here.",
}
SUMMARY = {
    "nl": "Vat het bericht hier samen in één zin.",
    "en": "Sum up the item here in one sentence.",
}
# Fields each kind starts with (besides Title), in this order. Partners and
# domains are written by hand (one page per organisation or domain).
FIELDS = {name: list(kind.scaffold) for name, kind in model.kinds(SETTINGS).items()
          if name not in ("partners", "domains")}


def scaffold(title, kind="news", date=None, content="content"):
    """Write the pair; returns their paths. Raises FileExistsError."""
    if kind not in FIELDS:
        raise ValueError(f"kind must be one of: {', '.join(FIELDS)}")
    name = slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\s+", "-")])
    date = date or datetime.date.today().isoformat()
    datetime.date.fromisoformat(date)  # a full date, or ValueError
    folder = Path(content) / kind
    paths = [folder / f"{name}.{lang}.md" for lang in model.languages(SETTINGS)]
    for path in paths:
        if path.exists():
            raise FileExistsError(f"{path} already exists; choose another title")
    folder.mkdir(parents=True, exist_ok=True)
    for path, lang in zip(paths, model.languages(SETTINGS)):
        body = BODY.get(lang, BODY["en"])
        values = {"Date": date, "Start": date, "Summary": SUMMARY.get(lang, SUMMARY["en"])}
        lines = [f"Title: {title}"] + [f"{field}: {values.get(field, '')}".rstrip()
                                       for field in FIELDS[kind]]
        path.write_text("\n".join(lines) + f"\n\n{body}\n", "utf-8")
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("title")
    parser.add_argument("--kind", default="news", choices=sorted(FIELDS))
    parser.add_argument("--date", help="year-month-day; default today")
    parser.add_argument("--content", default="content")
    args = parser.parse_args(argv)
    if not args.title.strip():
        print('newpost: give a title, e.g. make newpost TITLE="Nieuwe partner"', file=sys.stderr)
        return 2
    try:
        paths = scaffold(args.title.strip(), args.kind, args.date, args.content)
    except (FileExistsError, ValueError) as error:
        print(f"newpost: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"created {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
