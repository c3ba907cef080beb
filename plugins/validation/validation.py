"""Strict content validation: every problem named, in words for authors.

Pelican skips a file with bad metadata and carries on; here each content file
is checked against the schema of its kind (the folder it is in) straight from
its text, so that problems Pelican hides are named too: a partial date such as
`2026-03`, a file that is not UTF-8, an empty file, an unknown language, an
unknown domain or partner, a broken `{filename}` or `{static}` link. After
Pelican has read everything, items that share a URL and files that were not
built at all are reported as well.

Each problem is reported as a record (`portal.problems`): an error, or a
warning for an unknown field, with the path, the field and what to fix.
What a kind requires and allows comes from the content model
(`portal.model`); the domain and partner keys are the files in those folders.

The checks of the files' text start with the build, in a thread, and are kept
in `<CACHE_PATH>/validation.pickle`: a rebuild checks again only the files
that changed (all of them when any file was added, removed or renamed, or the
settings changed). The problems are logged on every build all the same.
"""

import difflib
import hashlib
import logging
import os
import re
import threading
from datetime import datetime
from urllib.parse import unquote

from pelican import signals
from portal import model, problems
from portal.model import read_metadata, split_keys
from portal.cache import Store, file_stamp, fingerprint
from portal.settings import enabled, plugin_settings

DEFAULTS = {
    # Fields every kind should have; without one `make publish` fails.
    "recommended": ["summary"],
    # Metadata fields added by other features, allowed in every kind.
    "extra_fields": [],
    "extensions": ["md", "markdown", "mdown", "mkd"],
}

FULL_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
LINK = re.compile(r"(?:\{(filename|static|attach)\}|\|(filename|static|attach)\|)([^)\s\"'<>#?]+)")
IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(")
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
TRUE_FALSE = {"true", "false", "yes", "no", "1", "0"}


get_settings = plugin_settings("VALIDATION", DEFAULTS, "validation")


def report(out, path, field, text, level=logging.ERROR):
    """Note one problem; `validate` reports them all together."""
    out.append(problems.Problem("validation", path, field, text, level))


def check_links(out, rel, body, root):
    """Every `{filename}`/`{static}` link points to a file that exists."""
    for match in LINK.finditer(body):
        what = match[1] or match[2]
        target = unquote(match[3])
        if target.startswith("/"):
            looked_up = target.lstrip("/")
        else:  # relative to the file's own folder
            looked_up = os.path.normpath(os.path.join(os.path.dirname(rel), target)).replace(
                os.sep, "/")
        if os.path.exists(os.path.join(root, looked_up)):
            continue
        hint = "check the file name and folder"
        if not target.startswith("/") and os.path.exists(os.path.join(root, target)):
            hint = f"did you mean {{{what}}}/{target}, from the content folder?"
        report(out, rel, "link", f"the link {{{what}}}{target} points to {looked_up}, which "
               f"does not exist; {hint}")


def check_values(out, rel, kind, meta, keys, languages, file_lang):
    """Allowed values of the fields this file sets."""
    lang = meta.get("lang", file_lang)
    if lang is None:
        report(out, rel, "lang", "the file name has no language; name it "
               + " or ".join(f"<name>.{code}.md" for code in languages))
    elif lang not in languages:
        where = "the Lang field" if "lang" in meta else "the file name (before .md)"
        report(out, rel, "lang", f"unknown language {lang!r} in {where}; use one of: "
               + ", ".join(languages))
    elif "lang" in meta and file_lang in languages and lang != file_lang:
        report(out, rel, "lang", f"the Lang field says {lang!r} but the file name says "
               f"{file_lang!r}; make them the same")
    for field in ("date", "modified"):
        value = meta.get(field)
        if value is None:
            continue
        problem = None
        if not FULL_DATE.match(value):
            problem = "is not a full date"
        else:
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                problem = "is not a real date"
        if problem:
            report(out, rel, field, f"{value!r} {problem}; write year-month-day, e.g. 2026-03-18")
    for field in ("domains", "partners"):
        for key in split_keys(meta.get(field, "")):
            if key in keys[field]:
                continue
            if keys[field]:
                report(out, rel, field, f"unknown {field[:-1]} {key!r}; use one of: "
                       + ", ".join(keys[field]))
            else:
                report(out, rel, field, f"unknown {field[:-1]} {key!r}: there are no "
                       f"{field} yet; add {field}/{key}.<language>.md first")
    sides = model.FIELD_VALUES["side"]
    if "side" in meta and meta["side"] not in sides:
        report(out, rel, "side", f"{meta['side']!r} is not a side of the border; use "
               + " or ".join(sides))
    if "order" in meta and not meta["order"].lstrip("-").isdigit():
        report(out, rel, "order", f"{meta['order']!r} is not a whole number; write e.g. Order: 3")
    if "single_language" in meta and meta["single_language"].lower() not in TRUE_FALSE:
        report(out, rel, "single_language", f"{meta['single_language']!r} is not true or false")
    statuses = model.FIELD_VALUES["status"]
    if "status" in meta and meta["status"] not in statuses:
        report(out, rel, "status", f"{meta['status']!r} is unknown; use "
               + ", ".join(statuses[:-1]) + " or " + statuses[-1])


def check_file(out, rel, kind, settings, conf, languages, raw=None, keys=None):
    """All checks of one file that need only its text (and which files exist)."""
    if raw is None:
        with open(os.path.join(settings["PATH"], rel), "rb") as handle:
            raw = handle.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report(out, rel, "file", f"the file is not saved as UTF-8 (unreadable byte at line "
               f"{line}); save it again as UTF-8 in your editor")
        return
    if not text.strip():
        report(out, rel, "file", "the file is empty; write the metadata lines (Title: ...) and the text")
        return
    meta, body = read_metadata(text.lstrip("\ufeff"))
    schema = model.kinds(settings).get(kind) or model.Kind(kind, {})
    keys = keys or {field: model.keys_of(settings, field) for field in ("domains", "partners")}
    file_lang = os.path.basename(rel).split(".")[-2] if rel.count(".") >= 2 else None
    # A translation may leave a language-neutral field to the default
    # language's file; `check_translations` sees both.
    inherited = (set(schema.neutral_fields)
                 if file_lang != settings.get("DEFAULT_LANG", "nl") else set())
    for field in schema.required:
        if field in inherited:
            continue
        if not meta.get(field):
            report(out, rel, field, f"the {field.capitalize()} line is missing or empty; add "
                   f"'{field.capitalize()}: ...' at the top of the file")
    for field in conf["recommended"]:
        if not meta.get(field) and field not in schema.required:
            report(out, rel, field, f"the {field.capitalize()} line is missing or empty; add "
                   "one sentence: it is shown in lists, search results and link previews",
                   logging.WARNING)
    allowed = schema.fields | set(conf["extra_fields"])
    for field in sorted(set(meta) - allowed):
        close = difflib.get_close_matches(field, sorted(allowed), n=1)
        hint = f"did you mean {close[0].capitalize()}?" if close else "check the spelling"
        report(out, rel, field, f"this field is not used for {kind}; {hint}")
    if MARKUP.search(meta.get("title", "")):
        report(out, rel, "title", "the title contains HTML markup; write the title as plain text")
    check_values(out, rel, kind, meta, keys, languages, file_lang)
    for field, folder in (("news", "news"), ("tips", "tips")):
        if field in schema.optional:
            for key in split_keys(meta.get(field, "")):
                if not any(
                    os.path.exists(os.path.join(settings["PATH"], folder, f"{key}.{code}.md"))
                    for code in languages
                ):
                    report(out, rel, field, f"there is no file {folder}/{key}.<language>.md; "
                           "check the name")
    check_links(out, rel, body, settings["PATH"])
    if IMAGE_WITHOUT_ALT.search(body):
        report(out, rel, "image", "an image has no description: write what it shows between "
               "the brackets, ![like this](...), or ![-](...) for a purely decorative picture")
    for field in model.placeholders_in(meta, body):
        report(out, rel, field, "this still holds the example text of make newpost; write "
               "your own (make publish refuses the item until then)", logging.WARNING)
    return {field: meta[field] for field in schema.neutral_fields if meta.get(field)}


def check_translations(out, files, neutral, settings):
    """Language-neutral fields across the versions of one item: a translation
    inherits them from the default language's file; where both give one, they
    must be the same. `neutral` is {path: {field: value}} of every file."""
    default = settings.get("DEFAULT_LANG", "nl")
    kinds = model.kinds(settings)
    groups = {}
    for rel, kind in files:
        _, key, lang = model.file_parts(rel)
        groups.setdefault((kind, os.path.dirname(rel), key), {})[lang] = rel
    for (kind, _, _), versions in sorted(groups.items()):
        schema = kinds.get(kind)
        if schema is None:
            continue
        source = versions.get(default)
        base = neutral.get(source, {}) if source else {}
        for lang, rel in sorted(versions.items(), key=lambda pair: str(pair[0])):
            if lang == default:
                continue
            own = neutral.get(rel, {})
            for field in schema.neutral_fields:
                if field in own and field in base and (model.neutral_value(field, own[field])
                                                       != model.neutral_value(field, base[field])):
                    report(out, rel, field, f"{own[field]!r} here but {base[field]!r} in {source}; "
                           f"{field.capitalize()} is the same in every language: write it once, "
                           f"in {source}, or the same in both files")
            for field in schema.required:
                if field in schema.neutral_fields and field not in own and field not in base:
                    where = f"here or in {source}" if source else "here"
                    report(out, rel, field, f"the {field.capitalize()} line is missing or "
                           f"empty; add '{field.capitalize()}: ...' {where}")


def check_built(out, generators, files):
    """Two items on one URL, and files Pelican did not build at all."""
    items = model.every_item(generators)
    by_target = {}
    for item in items:
        by_target.setdefault(item.save_as, []).append(item)
    for target, same in sorted(by_target.items()):
        if len(same) > 1 and target:
            paths = sorted(item.relative_source_path for item in same)
            for path in paths:
                report(out, path, "slug", f"{len(paths)} files would be published at the same "
                       f"address /{same[0].url}: {' and '.join(paths)}; give each its own Slug")
    built = {item.relative_source_path for item in items}
    return [rel for rel in files if rel not in built]


def check_files(settings, cache=None):
    """Problems found in the text of every content file, without Pelican's
    content objects: also usable when the build stopped before validation.

    `cache` ({path: (digest, problems, stamp)} of an earlier run, valid for
    the same settings and the same files) answers for files whose text is
    unchanged, without reading those not touched since; it is updated to hold
    exactly the files seen now."""
    conf = get_settings(settings)
    languages = model.languages(settings)
    keys = {field: model.keys_of(settings, field) for field in ("domains", "partners")}
    cache = {} if cache is None else cache
    out, neutral = [], {}
    files = model.content_files(settings, conf["extensions"])
    for rel, kind in files:
        path = os.path.join(settings["PATH"], rel)
        stamp = file_stamp(path)
        if rel in cache and cache[rel][2] == stamp:
            out += cache[rel][1]  # not touched since the last build
            neutral[rel] = cache[rel][3]
            continue
        with open(path, "rb") as handle:
            raw = handle.read()
        digest = hashlib.sha256(kind.encode() + b"\0" + raw).hexdigest()
        if rel in cache and cache[rel][0] == digest:
            found, fields = cache[rel][1], cache[rel][3]  # touched, but the same text
        else:
            found = []
            fields = check_file(found, rel, kind, settings, conf, languages, raw, keys) or {}
        cache[rel] = (digest, found, stamp, fields)
        neutral[rel] = fields
        out += found
    for rel in set(cache) - {rel for rel, _ in files}:
        del cache[rel]
    check_translations(out, files, neutral, settings)
    return out, files


def _cache_key(settings):
    """What, besides a file's own text, decides its problems: the settings,
    the content model, and which files exist (links and references)."""
    names = hashlib.sha256()
    root = settings["PATH"]
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        names.update(os.path.relpath(folder, root).encode() + b"\0")
        for name in sorted(files):
            names.update(name.encode() + b"\0")
    return fingerprint(
        settings,
        repr(sorted(get_settings(settings).items())),
        repr(model.config(settings)),
        repr([settings.get(k) for k in ("DEFAULT_LANG", "IGNORE_FILES")]),
        names.hexdigest(),
    )


def check_files_cached(settings):
    """`check_files`, with the results of the last build for unchanged files."""
    key = _cache_key(settings)
    store = Store(settings, "validation.pickle")
    cache = store.load(key) or {}
    result = check_files(settings, cache)
    store.save(key, cache)
    return result


_checks = {}


def _build_key(settings):
    return (os.path.abspath(settings["PATH"]), os.path.abspath(settings["OUTPUT_PATH"]))


def start_checks(pelican):
    """Check the files' text in a thread while Pelican reads the content: the
    checks need nothing Pelican makes."""
    settings = pelican.settings
    if not enabled(settings, "validation"):
        return
    job = {}

    def run():
        try:
            job["result"] = check_files_cached(settings)
        except BaseException as error:  # noqa: BLE001 - raised again in the build
            job["error"] = error

    job["thread"] = threading.Thread(target=run, name="validation")
    job["thread"].start()
    _checks[_build_key(settings)] = job


def file_problems(settings):
    """The result of the thread `start_checks` began (or of checking now)."""
    job = _checks.pop(_build_key(settings), None)
    if job is None:
        return check_files_cached(settings)
    job["thread"].join()
    if "error" in job:
        raise job["error"]
    return job["result"]


def generated_pages(context):
    """{save_as: what the page is} of the pages the site makes itself (lists,
    the search pages), which no item may take."""
    pages = {}
    for (kind, lang), listing in context.get("listings", {}).items():
        pages[listing.save_as] = f"the {kind} list in {lang}"
    for lang, page in context.get("search_pages", {}).items():
        pages[page.save_as] = f"the search page in {lang}"
    pages["index.html"] = "the language chooser at the site root"
    pages["404.html"] = "the page for missing addresses"
    return pages


def check_taken_addresses(out, generators):
    """An item whose address is that of a page the site makes itself."""
    taken = generated_pages(generators[0].context)
    for item in sorted(model.every_item(generators), key=lambda i: i.relative_source_path):
        owner = taken.get(item.save_as)
        if owner:
            report(out, item.relative_source_path, "slug", f"the address /{item.url} is "
                   f"{owner}; give this item another Slug")


def validate(generators):
    out, files = file_problems(generators[0].settings)
    check_taken_addresses(out, generators)
    named = {problem.path for problem in out}
    for rel in check_built(out, generators, [rel for rel, _ in files]):
        if rel not in named:
            report(out, rel, "file", "Pelican did not build this file; check its metadata lines")
    problems.report_all(out)


def register():
    signals.initialized.connect(start_checks)
    signals.all_generators_finalized.connect(validate)
