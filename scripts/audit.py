"""Size and Lighthouse scores of the key pages, in both languages.

Usage: python scripts/audit.py [--json report.json]
Builds the site into output/, serves it on localhost and runs the pinned
Lighthouse (node_modules/.bin/lighthouse) in Debian's Chromium on every key
page. Prints per page: HTML+CSS+JS bytes as sent (uncompressed; the local
server does not compress) and the four Lighthouse category scores.
Targets: home page at most 40 KB; accessibility 1.00; performance, best
practices and SEO at least 0.95. Exits 1 when a target is missed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from review_site import CHROMIUM, CHROMIUM_ARGS, KEY_PAGES, ROOT, served_output

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MINIMUM = {"performance": 0.95, "accessibility": 1.0, "best-practices": 0.95, "seo": 0.95}
HOME_MAX_BYTES = 40 * 1024
COUNTED = {"Document", "Stylesheet", "Script"}


def lighthouse(url):
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             "--only-categories=" + ",".join(CATEGORIES),
             "--chrome-flags=" + " ".join(CHROMIUM_ARGS)],
            check=True, env=dict(os.environ, CHROME_PATH=CHROMIUM),
        )
        return json.loads(report.read_text("utf-8"))


def figures(report):
    requests = report["audits"]["network-requests"]["details"]["items"]
    size = sum(r.get("resourceSize") or 0 for r in requests if r.get("resourceType") in COUNTED)
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    failed = [
        (ref["id"], report["audits"][ref["id"]].get("displayValue", ""))
        for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]
        if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 1
        and report["audits"][ref["id"]]["scoreDisplayMode"] in ("binary", "numeric")
    ]
    return size, scores, failed


def misses(name, size, scores):
    found = []
    if name == "home" and size > HOME_MAX_BYTES:
        found.append(f"home page {size / 1024:.1f} KB > 40 KB")
    for category, minimum in MINIMUM.items():
        if scores[category] is None or scores[category] < minimum:
            found.append(f"{category} {scores[category]} < {minimum:.2f}")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"Lighthouse is not installed at {LIGHTHOUSE}: run `npm ci`.")
    rows, problems = [], []
    with served_output() as base:
        for name, lang, path in KEY_PAGES:
            size, scores, failed = figures(lighthouse(base + path))
            rows.append({"page": name, "lang": lang, "path": path, "bytes": size,
                         "scores": scores, "failed_audits": failed})
            problems += [f"{path}: {m}" for m in misses(name, size, scores)]
    header = f"{'page':<16}{'lang':<5}{'HTML+CSS+JS':>12}" + "".join(f"{c:>16}" for c in CATEGORIES)
    print(header)
    for row in rows:
        print(f"{row['page']:<16}{row['lang']:<5}{row['bytes'] / 1024:>9.1f} KB"
              + "".join(f"{row['scores'][c]:>16.2f}" for c in CATEGORIES))
        for audit, value in row["failed_audits"]:
            print(f"{'':<21}below 1: {audit} {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, sort_keys=True) + "\n", "utf-8")
    if problems:
        print("\nTargets missed:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("\nAll targets met: home page at most 40 KB; accessibility 1.00; "
          "performance, best practices and SEO at least 0.95.")


if __name__ == "__main__":
    main()
