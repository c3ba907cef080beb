"""Settings for publishing (`make publish`): pelicanconf plus what the public
site needs. SITEURL comes from the environment and may end in a sub-path
(https://example.github.io/portal)."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False
