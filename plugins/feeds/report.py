"""Print every feed and e-mail export of a built site with its figures:
items, whether feedparser reads it cleanly, and sizes.

    python plugins/feeds/report.py output
"""

import sys
from pathlib import Path

import feedparser

LIMIT = 102 * 1024


def main(output):
    output = Path(output)
    problems = 0
    for path in sorted(output.rglob("*.xml")):
        if path.name == "sitemap.xml":
            continue
        result = feedparser.parse(path.read_bytes())
        if not result.version:
            continue
        state = "ok" if not result.bozo else f"NOT VALID: {result.bozo_exception}"
        problems += bool(result.bozo)
        print(f"{path.relative_to(output)}  {result.version}  {len(result.entries)} items  "
              f"{path.stat().st_size} bytes  {state}")
    for path in sorted(output.rglob("email.*")):
        size = path.stat().st_size
        state = "ok" if path.suffix != ".html" or size < LIMIT else f"OVER {LIMIT} bytes"
        problems += path.suffix == ".html" and size >= LIMIT
        print(f"{path.relative_to(output)}  {size} bytes  {state}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "output"))
