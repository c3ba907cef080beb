"""Files GitHub Pages reads from the published folder.

- `.nojekyll`, always: GitHub must serve the files as they are, without
  running Jekyll over them (which would drop folders starting with `_`).
- `CNAME`, only when a custom domain is set:
  `GITHUB_PAGES = {"custom_domain": "www.example.org"}`. Without one, a
  `CNAME` left over from an earlier build is removed.
"""

import logging
import os
import re

from pelican import signals
from portal.settings import plugin_settings
from portal import problems

logger = logging.getLogger(__name__)
LOG_PREFIX = "[github_pages]"

DEFAULTS = {"custom_domain": ""}

# A host name: labels of letters, digits and hyphens, at least one dot.
HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


get_settings = plugin_settings("GITHUB_PAGES", DEFAULTS, "github_pages")


def custom_domain(settings):
    """The configured domain, or "" when there is none or it is not valid."""
    domain = (get_settings(settings)["custom_domain"] or "").strip().lower()
    if domain and not HOSTNAME.match(domain):
        problems.report("github_pages", "(settings)", "GITHUB_PAGES",
                        f"custom_domain {domain!r} is not a host name: write only the domain, "
                        'e.g. "www.example.org", without https:// or a path')
        return ""
    return domain


def write_files(pelican):
    output = pelican.output_path
    os.makedirs(output, exist_ok=True)
    with open(os.path.join(output, ".nojekyll"), "w", encoding="utf-8"):
        pass
    cname = os.path.join(output, "CNAME")
    domain = custom_domain(pelican.settings)
    if domain:
        with open(cname, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(domain + "\n")
    elif os.path.exists(cname):
        os.remove(cname)


def register():
    signals.finalized.connect(write_files)
