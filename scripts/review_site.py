"""Shared by the review scripts: build the site and serve it on localhost.

The server starts first, so the build's SITEURL carries the port it got;
the site is built into output/ as `make html` would, then served from there.
"""

import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, build_site, serve_folder  # noqa: E402
from key_pages import KEY_PAGES  # noqa: E402

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "KEY_PAGES", "ROOT", "served_output"]


@contextmanager
def served_output(output=ROOT / "output"):
    """Yield the base URL of a fresh build of the site, served from `output`."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    server, base = serve_folder(output)
    try:
        records = build_site(ROOT / "content", output, siteurl=base)
        problems = [r.getMessage() for r in records if r.levelname in ("ERROR", "CRITICAL")]
        if problems:
            sys.exit("The build reported problems:\n" + "\n".join(problems))
        yield base
    finally:
        server.shutdown()
