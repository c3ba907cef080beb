"""The publishing workflow is hardened: audited by zizmor, pinned, least privilege."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

GITHUB = ROOT / ".github"
WORKFLOW = GITHUB / "workflows" / "pages.yml"
ZIZMOR = Path(sys.executable).with_name("zizmor")


def zizmor(folder):
    """Audit `folder` (a .github folder) offline with the strictest persona."""
    return subprocess.run(
        [str(ZIZMOR), "--offline", "--persona=pedantic", "--strict-collection", "--no-progress",
         str(folder)],
        capture_output=True, text=True, timeout=120,
    )


def workflow_lines():
    return WORKFLOW.read_text("utf-8").splitlines()


def job_block(name):
    """The lines of one job, from `  <name>:` to the next job."""
    lines = workflow_lines()
    start = lines.index(f"  {name}:")
    end = next(
        (i for i in range(start + 1, len(lines)) if re.match(r"^  \S", lines[i])), len(lines)
    )
    return lines[start:end]


def test_zizmor_reports_no_findings():
    result = zizmor(GITHUB)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_zizmor_catches_an_action_pinned_to_a_tag(tmp_path):
    # The audit above means something only if our settings make zizmor strict.
    copy = tmp_path / ".github"
    shutil.copytree(GITHUB, copy)
    pinned = copy / "workflows" / "pages.yml"
    text = re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v6", pinned.read_text())
    pinned.write_text(text)
    result = zizmor(copy)
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout


def test_every_action_is_pinned_to_a_commit_with_its_version():
    uses = [line.strip() for line in workflow_lines() if line.strip().startswith(("uses:", "- uses:"))]
    assert len(uses) == 5
    for line in uses:
        assert re.fullmatch(r"(- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_only_reading_is_allowed_by_default():
    lines = workflow_lines()
    start = lines.index("permissions:")
    assert lines[start + 1] == "  contents: read"
    assert not lines[start + 2].startswith("  ")


def test_only_the_deploy_job_may_write_pages_and_ask_for_a_token():
    text = WORKFLOW.read_text("utf-8")
    deploy = "\n".join(job_block("deploy"))
    for permission in ("pages: write", "id-token: write"):
        assert text.count(permission) == 1
        assert permission in deploy
    assert "name: github-pages" in deploy
    assert "if: github.ref == 'refs/heads/main'" in deploy


def test_no_expression_inside_run_scripts():
    # Values reach scripts through env:, never pasted into the script text.
    lines = workflow_lines()
    for i, line in enumerate(lines):
        match = re.match(r"^(\s*)(- )?run:(.*)$", line)
        if not match:
            continue
        script = [match.group(3)]
        indent = len(match.group(1))
        for follow in lines[i + 1:]:
            if follow.strip() and len(follow) - len(follow.lstrip()) <= indent:
                break
            script.append(follow)
        assert "${{" not in "\n".join(script), line


def test_the_pages_address_becomes_siteurl_for_the_build():
    build = "\n".join(job_block("build"))
    assert "id: pages" in build
    assert "SITEURL: ${{ steps.pages.outputs.base_url }}" in build
    assert build.index("run: make test") < build.index("run: make publish")


def test_the_artifact_keeps_dot_files():
    build = job_block("build")
    upload = build[next(i for i, line in enumerate(build) if "upload-pages-artifact" in line):]
    assert "path: output" in "\n".join(upload)
    assert "include-hidden-files: true" in "\n".join(upload)


def test_ci_and_workflow_install_the_same_tools():
    assert "bash .ci/install-tools" in WORKFLOW.read_text("utf-8")
    assert "bash .ci/install-tools" in (ROOT / ".ci" / "run").read_text("utf-8")
