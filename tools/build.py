"""Safe build: Pelican into a temporary folder, swapped in for output/ only on success.

    python tools/build.py [-s pelicanconf.py] [-c content] [-o output] [--strict]

- Every problem of the run is collected and printed together, one per line,
  as `path: field: problem`: our plugins report records (`portal.problems`),
  Pelican's own messages are reworded for authors.
- Exit status 1 when there was an error (with --strict: also a warning),
  2 when the build could not start. `output/` is then left exactly as it was.
- Only a successful build replaces `output/`: the old folder is moved aside,
  the new one moved in, and the old one removed last.
"""

import argparse
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
from portal import linker  # noqa: E402
from portal import problems as portal_problems  # noqa: E402
from portal import settings as portal_settings  # noqa: E402

LOG_PREFIX = "[build]"
# The language part of a content path: `news/x.nl.md` -> `news/x.md`.
ITEM = re.compile(r"\.[a-z]{2,3}(\.\w+)$")
# Pelican's own messages about a content file, reworded for authors. Our
# validation names the same files with more precise words; these only show
# when validation did not already name the file.
PELICAN_MESSAGES = [
    (re.compile(r"^Could not process (?P<path>\S+)"), "file",
     "the file could not be read; check its metadata lines at the top"),
    (re.compile(r"^Skipping (?P<path>\S+): could not find information about '(?P<field>\w+)'"), None,
     "this field is missing"),
    # These two name the missing target, not the file that links to it.
    (re.compile(r"^Unable to find '(?P<path>[^']+)', skipping url replacement"), "link",
     "a {{filename}} or {{static}} link points to {path}, which does not exist"),
    (re.compile(r"^Cannot get modification stamp for (?P<path>\S+)"), "link",
     "a linked file, {path}, does not exist"),
]


class StopBuild(Exception):
    """Content problems were found: nothing is written."""


class Problem:
    def __init__(self, level, path, field, text):
        self.level, self.path, self.field, self.text = level, path, field, " ".join(text.split())

    def __str__(self):
        kind = "error" if self.level >= logging.ERROR else "warning"
        return f"{self.path}: {self.field}: {self.text} ({kind})"

    def record(self):
        """The problem as plain data, for tools that show it elsewhere (make serve)."""
        return {"path": self.path, "field": self.field, "message": self.text,
                "level": "error" if self.level >= logging.ERROR else "warning"}


class Collect(logging.Handler):
    """Keeps Pelican's own records of WARNING and above (our plugins' problems
    come as records of their own, in `found`)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []
        self.found = []

    def emit(self, record):
        if portal_problems.from_record(record) is None:
            self.records.append(record)

    @property
    def levels(self):
        return [r.levelno for r in self.records] + [p.level for p in self.found]


def _display(path, content):
    """A content path as the author finds it: `content/news/x.nl.md`."""
    path = path.strip()
    if not os.path.isabs(path):
        path = os.path.join(content, path)
    path = os.path.abspath(path)
    inside = path.startswith(os.getcwd() + os.sep)
    return os.path.relpath(path) if inside else path


def to_problems(found, records, content):
    """Our plugins' problem records, then Pelican's log records, as problems
    for authors."""
    problems, named = [], set()
    for problem in found:
        path = problem.path if problem.path.startswith("(") else _display(problem.path, content)
        named.add(path)
        problems.append(Problem(problem.level, path, problem.field, problem.message))
    for record in records:
        message = record.getMessage()
        for pattern, field, text in PELICAN_MESSAGES:
            match = pattern.match(message)
            if match:
                parts = match.groupdict()
                path = _display(parts["path"], content)
                if field == "link":
                    # Validation names the file that holds the broken link.
                    target = os.path.basename(parts["path"])
                    if any(p.field == "link" and target in p.text for p in problems):
                        break
                    path = "(site)"
                elif path in named:
                    break
                problems.append(Problem(record.levelno, path, field or parts.get("field"),
                                        text.format(**parts)))
                break
        else:
            where = record.pathname if record.name.startswith("pelican") else record.name
            first = message.strip().splitlines()[0] if message.strip() else message
            problems.append(Problem(record.levelno, "(site)", "build", f"{first} [{os.path.basename(where)}]"))
    # Grouped per file, so an author sees everything about one file together.
    # An item's files together, and within them what follows from another
    # problem (a translation that could not be built) after its cause.
    return sorted(problems, key=lambda p: (ITEM.sub(r"\1", p.path), p.field == "translation",
                                           p.path))


def run_pelican(settings_file, content, output, collect, strict, previous, cache=None):
    """Build into `output`; raises StopBuild when content has problems."""
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    override = {"PATH": os.path.abspath(content), "OUTPUT_PATH": os.path.abspath(output)}
    if cache:
        override["CACHE_PATH"] = os.path.abspath(cache)
    settings = read_settings(settings_file, override=override)
    # The fast path writes into the empty temporary folder only the pages that
    # changed, and hard-links the others from the current output.
    settings["FASTBUILD"] = dict(settings.get("FASTBUILD") or {}, previous_output=os.path.abspath(previous))
    pelican = Pelican(settings)
    keep = settings.get("OUTPUT_RETENTION", [])

    def stop_on_problems(generators):
        # Runs after every plugin has read and checked the content: with
        # problems, writing pages would only add follow-up errors.
        levels = collect.levels
        if any(level >= logging.ERROR for level in levels) or (strict and levels):
            raise StopBuild()

    signals.all_generators_finalized.connect(stop_on_problems)
    try:
        pelican.run()
    except BaseException:
        linker.stop()  # the links half made go with the temporary folder
        raise
    finally:
        signals.all_generators_finalized.disconnect(stop_on_problems)
    linker.finish(settings["OUTPUT_PATH"])  # every file linked beside the build is there
    return keep


def swap_in(new, output, keep=(), swapped=None):
    """Replace `output` by `new`; the old folder goes only after the swap.

    Entries named in `keep` (Pelican's OUTPUT_RETENTION, e.g. `.git`) move
    over from the old folder into the new one first. `swapped` is called as
    soon as the new folder is in place, before the old one is removed.
    """
    output = Path(output)
    if not output.exists():
        os.rename(new, output)
        if swapped:
            swapped()
        return
    for name in keep:
        source, target = output / name, Path(new) / name
        if source.is_dir() and not target.exists():
            shutil.copytree(source, target, symlinks=True)
        elif source.is_file() and not target.exists():
            shutil.copy2(source, target)
    old = Path(tempfile.mkdtemp(prefix=f"{output.name}.old-", dir=output.parent))
    old.rmdir()
    os.rename(output, old)
    try:
        os.rename(new, output)
    except OSError:
        os.rename(old, output)
        raise
    if swapped:
        swapped()
    remove_quietly(old)


def remove_quietly(folder):
    """Remove `folder` with `rm` at the lowest priority: the folder of a large
    site has thousands of files, and the preview's next build may already run."""
    rm, nice = shutil.which("rm"), shutil.which("nice")
    if rm is None:
        shutil.rmtree(folder)
        return
    command = ([nice, "-n", "19"] if nice else []) + [rm, "-rf", "--", str(folder)]
    if subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build the site safely; print every problem.")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-c", "--content", default="content")
    parser.add_argument("-o", "--output", default="output")
    parser.add_argument("--strict", action="store_true", help="warnings fail the build too")
    parser.add_argument("--cache-path", default=None,
                        help="folder of the caches (default: CACHE_PATH of the settings)")
    args = parser.parse_args(argv)

    if not Path(args.content).is_dir():
        print(f"{args.content}: folder: the content folder does not exist", file=sys.stderr)
        return 2
    status, problems = build_site(args.settings, args.content, args.output, args.strict,
                                  cache=args.cache_path)
    errors = [p for p in problems if p.level >= logging.ERROR]
    for problem in problems:
        print(problem, file=sys.stderr)
    if status:
        print(
            f"{LOG_PREFIX} {len(errors)} error(s), {len(problems) - len(errors)} warning(s): "
            f"nothing was published; {args.output}/ is unchanged.",
            file=sys.stderr,
        )
        return status
    print(f"{LOG_PREFIX} built {args.output}/ ({len(problems)} warning(s)).", file=sys.stderr)
    return 0


def build_site(settings="pelicanconf.py", content="content", output="output", strict=False,
               swapped=None, cache=None):
    """Build as the command line does, without printing: returns the exit
    status (0: built and swapped in; 1: problems, `output` unchanged; 2: the
    build could not start) and every Problem of the run, in the order printed.
    `swapped(problems)` is called once the new output is in place (the
    previous one is removed after it)."""
    args = argparse.Namespace(settings=settings, content=content, output=output, strict=strict,
                              swapped=swapped, cache=cache)
    if not Path(content).is_dir():
        return 2, [Problem(logging.CRITICAL, content, "folder", "the content folder does not exist")]
    os.environ.setdefault("TZ", "Europe/Brussels")
    sys.path.insert(0, str(Path(settings).resolve().parent))
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{output.name}.tmp-", dir=output.parent))
    tmp.chmod(0o755)

    try:
        collect, crash, keep = build(args, tmp)
        return report_and_swap(collect, crash, args, tmp, output, keep)
    finally:
        # Whatever happened (even Ctrl+C), no half-built folder stays behind.
        shutil.rmtree(tmp, ignore_errors=True)


def build(args, tmp):
    """Run Pelican into `tmp`, collecting its records; returns
    (collector, exception that stopped it or None, OUTPUT_RETENTION)."""
    collect = Collect()
    root = logging.getLogger()
    root.addHandler(collect)
    crash, keep = None, []
    try:
        with portal_problems.collecting() as found:
            collect.found = found
            try:
                keep = run_pelican(args.settings, args.content, tmp, collect, args.strict,
                                   args.output, args.cache)
            except StopBuild:
                pass
            except Exception as error:  # noqa: BLE001 - reported to the author
                crash = error
                check_text_only(args, collect)
    finally:
        root.removeHandler(collect)
    return collect, crash, keep


def check_text_only(args, collect):
    """The build stopped before our validation ran: still name every problem
    that can be seen in the text of the content files."""
    from pelican.settings import read_settings

    settings = read_settings(args.settings, override={"PATH": os.path.abspath(args.content)})
    if not portal_settings.enabled(settings, "validation"):
        return
    sys.path[:0] = [path for path in settings.get("PLUGIN_PATHS", []) if path not in sys.path]
    from validation import validation

    if not any(p.plugin == "validation" for p in collect.found):
        portal_problems.report_all(validation.check_files(settings)[0])


def report_and_swap(collect, crash, args, tmp, output, keep):
    """Every problem of the run; the new build is swapped in only when it
    succeeded. Returns (exit status, problems)."""
    problems = to_problems(collect.found, collect.records, args.content)
    if crash is not None:
        problems.append(Problem(logging.CRITICAL, "(site)", "build",
                                f"the build stopped: {type(crash).__name__}: {crash}"))
    errors = [p for p in problems if p.level >= logging.ERROR]
    if errors or (args.strict and problems):
        return 1, problems
    swapped = getattr(args, "swapped", None)
    swap_in(tmp, output, keep, swapped and (lambda: swapped(problems)))
    return 0, problems


if __name__ == "__main__":
    sys.exit(main())
