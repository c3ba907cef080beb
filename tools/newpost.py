"""Start a new item in Dutch and English with valid metadata.

    python tools/newpost.py "Titel" [--title-en "Title"] [--slug-en slug]
                            [--kind news] [--date 2026-03-18]

Writes `content/<kind>/<name>.nl.md` and `.en.md` (the name comes from the
Dutch title) and never overwrites a file. The fields that are the same in
both languages (Date, Domains, Partners, ...) are written in the Dutch file
only: the English one takes them from there. The example texts (and the
English title, when none is given) are to be replaced: until they are,
`make html` warns and `make publish` refuses the item.
"""

import argparse
import datetime
import sys
from pathlib import Path

from pelican.utils import slugify

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
from portal import model  # noqa: E402

SETTINGS = model.project_settings()
# Partners and domains are written by hand (one page per organisation or domain).
KINDS = [name for name in model.kinds(SETTINGS) if name not in ("partners", "domains")]


def _slug(text):
    return slugify(text, regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\s+", "-")])


def scaffold(title, kind="news", date=None, content="content", title_en=None, slug_en=None):
    """Write the files of every language; returns their paths, the default
    language first. Raises FileExistsError or ValueError."""
    kinds = model.kinds(SETTINGS)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of: {', '.join(KINDS)}")
    schema = kinds[kind]
    name = _slug(title)
    if not name:
        raise ValueError("the title gives no file name; use letters or digits")
    date = date or datetime.date.today().isoformat()
    datetime.date.fromisoformat(date)  # a full date, or ValueError
    if slug_en is not None and _slug(slug_en) != slug_en:
        raise ValueError(f"the English slug may hold only lower-case letters, digits and "
                         f"hyphens, e.g. {_slug(slug_en) or 'my-item'}")
    folder = Path(content) / kind
    codes = model.languages(SETTINGS)
    paths = [folder / f"{name}.{lang}.md" for lang in codes]
    for path in paths:
        if path.exists():
            raise FileExistsError(f"{path} already exists; choose another title")
    folder.mkdir(parents=True, exist_ok=True)
    texts = model.PLACEHOLDERS
    for path, lang in zip(paths, codes):
        default = lang == codes[0]
        own_title = title if default else (title_en if lang == "en" and title_en else
                                           f"{texts['title'].get(lang, texts['title']['en'])} {title}")
        values = {"Date": date, "Start": date,
                  "Summary": texts["summary"].get(lang, texts["summary"]["en"])}
        lines = [f"Title: {own_title}"]
        if lang == "en" and slug_en:
            lines.append(f"Slug: {slug_en}")
        for field in schema.scaffold:
            if not default and field.lower() in schema.neutral_fields:
                continue  # written once, in the default language's file
            lines.append(f"{field}: {values.get(field, '')}".rstrip())
        body = texts["body"].get(lang, texts["body"]["en"])
        path.write_text("\n".join(lines) + f"\n\n{body}\n", "utf-8")
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("title", help="the Dutch title")
    parser.add_argument("--title-en", default="", help="the English title")
    parser.add_argument("--slug-en", default="", help="the English address name, e.g. new-partner")
    parser.add_argument("--kind", default="news", choices=KINDS)
    parser.add_argument("--date", default="", help="year-month-day; default today")
    parser.add_argument("--content", default="content")
    args = parser.parse_args(argv)
    if not args.title.strip():
        print('newpost: give a title, e.g. make newpost TITLE="Nieuwe partner"', file=sys.stderr)
        return 2
    try:
        paths = scaffold(args.title.strip(), args.kind, args.date or None, args.content,
                         args.title_en.strip() or None, args.slug_en.strip() or None)
    except (FileExistsError, ValueError) as error:
        print(f"newpost: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"created {path}")
    print("Replace the example texts; until then make html warns and make publish refuses "
          "the item.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
