"""Problems for authors, as records: which file, which field, what to do.

Plugins call `report(...)`; the record is kept for whoever collects (the safe
build, the preview, the tests) and logged as `[plugin] path: field: message`
for the terminal. Nobody has to read the log text back.

    with collecting() as found:
        Pelican(settings).run()
    errors = [p for p in found if p.is_error]
"""

import contextlib
import logging
from dataclasses import dataclass

ERROR = logging.ERROR
WARNING = logging.WARNING

_collectors = []


@dataclass(frozen=True)
class Problem:
    plugin: str
    # Content path below PATH (`news/x.nl.md`), or `(settings)` / `(site)`.
    path: str
    field: str
    message: str
    level: int = ERROR

    @property
    def is_error(self):
        return self.level >= ERROR

    def __str__(self):
        return f"[{self.plugin}] {self.path}: {self.field}: {self.message}"


def report(plugin, path, field, message, level=ERROR):
    """Record one problem and log it; returns the record. The same problem
    twice in one collection (a setting read by several parts of a plugin) is
    kept and shown once."""
    problem = Problem(plugin, path, field, message, level)
    if _collectors and all(problem in found for found in _collectors):
        return problem
    for found in _collectors:
        found.append(problem)
    logging.getLogger(f"portal.{plugin}").log(level, "%s", str(problem),
                                              extra={"portal_problem": problem})
    return problem


def report_all(found):
    for problem in found:
        report(problem.plugin, problem.path, problem.field, problem.message, problem.level)


@contextlib.contextmanager
def collecting():
    """Collect every problem reported inside the block into the list it gives."""
    found = []
    _collectors.append(found)
    try:
        yield found
    finally:
        _collectors.remove(found)


def from_record(record):
    """The problem a log record carries, or None (Pelican's own messages)."""
    return getattr(record, "portal_problem", None)
