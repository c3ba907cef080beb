"""The Nu HTML Checker (vnu-jar from npm) finds no errors in the built site:
every web page, stylesheet and SVG, checked in one Java run."""

import json
import shutil
import subprocess

from conftest import ROOT, require

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def checked_files(site):
    """Web pages, stylesheets and SVGs; not the e-mail exports of editions."""
    files = list(site.html_pages())
    for pattern in ("*.css", "*.svg"):
        files += sorted(site.output.rglob(pattern))
    return files


def test_nu_html_checker_reports_no_errors(site):
    require(shutil.which("java"), "Java is not installed (apt-get install default-jre-headless)")
    require(VNU.exists(), f"the Nu HTML Checker is not installed at {VNU} (run `npm ci`)")
    files = checked_files(site)
    assert any(f.suffix == ".css" for f in files) and any(f.suffix == ".html" for f in files)
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--no-langdetect", "--format", "json",
         "--also-check-css", "--also-check-svg", *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').split(str(site.output))[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)
    assert run.returncode == 0, run.stderr[-2000:]
