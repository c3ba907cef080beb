"""Settings for the local build (`make html`, `make serve`).

`publishconf.py` starts from these and changes only what publishing needs.
"""

import os
import sys

from jinja2 import StrictUndefined

# The plugins share the core package plugins/portal, imported as `portal`.
_plugins = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins")
if _plugins not in sys.path:
    sys.path.insert(0, _plugins)

SITENAME = "Brainport Eindhoven · Limburg · Kempen"
AUTHOR = "Grensoverschrijdende samenwerking Eindhoven-Limburg-Kempen"

# Absolute site address. Locally the Makefile passes http://localhost:$(PORT);
# publishing passes the public address (it may end in a sub-path).
SITEURL = os.environ.get("SITEURL", "http://localhost:8000").rstrip("/")
RELATIVE_URLS = False

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Europe/Brussels"
# Dates on pages are written by plugins/l10n with Babel, in the page's language.
# Pelican's own `locale_date` is not shown; ISO keeps it free of the OS locale.
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

# Languages: Dutch is the default. Every page lives under /nl/ or /en/.
DEFAULT_LANG = "nl"
BILINGUAL = {
    "languages": {
        "nl": {"name": "Nederlands", "html_lang": "nl"},
        "en": {"name": "English", "html_lang": "en"},
    },
}

# Content kinds: one folder each, defined with their URL sections, templates
# and fields in plugins/portal/model.py (the bilingual plugin gives Pelican
# their folders). The language is the last part of the file name before `.md`
# (`charter.nl.md`); files with the same name are each other's translation.
STATIC_PATHS = ["images"]
IGNORE_FILES = [".#*", "*~", "README.md"]
FILENAME_METADATA = r"(?P<slug>[^.]+)\.(?P<lang>[^.]+)$"

# URLs: the bilingual plugin fills {section} per kind and language (the model's table).
ARTICLE_URL = ARTICLE_LANG_URL = "{lang}/{section}{slug}/"
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = "{lang}/{section}{slug}/index.html"
PAGE_URL = PAGE_LANG_URL = "{lang}/{section}{slug}/"
PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = "{lang}/{section}{slug}/index.html"
DRAFT_URL = DRAFT_LANG_URL = "{lang}/drafts/{slug}/"
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = "{lang}/drafts/{slug}/index.html"
DRAFT_PAGE_URL = DRAFT_PAGE_LANG_URL = "{lang}/drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = "{lang}/drafts/pages/{slug}/index.html"
# Translations are paired by our plugin, not by Pelican's slug matching.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# Pelican's own list pages are replaced by per-language ones from our plugins.
DIRECT_TEMPLATES = []
INDEX_SAVE_AS = ""
CATEGORY_URL = CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_URL = TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_URL = AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"news_list": None}
PAGINATION_PATTERNS = [
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/{number}/", "{base_name}/{number}/index.html"),
]

# Feeds are written per language by our feeds plugin; Pelican's are off.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None

# Typography runs in our typography plugin (content only, never titles).
TYPOGRIFY = False

# Escape everything in templates; rendered content is marked safe explicitly.
JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],
    "autoescape": True,
    "undefined": StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    # Every build starts a new template environment (make devserver too), so
    # there is no need to check each template file's date on every use.
    "auto_reload": False,
}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    # Languages, interface strings, content rendering
    "bilingual",
    "l10n",
    "typography",
    "figures",
    "images",

    # Content model and validation
    "validation",
    "sanitize",
    "related",
    "seo",
    "sitemap",
    "charts",

    # Theme
    "error_pages",
    "partials",

    # Feeds and newsletter editions
    "feeds",

    # Events and calendars
    "agenda",

    # Publishing and security
    "github_pages",
    "outbound_links",

    # Search and build speed
    "search",
    "fastbuild",

]

DELETE_OUTPUT_DIRECTORY = False
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False


# --- Content model and validation -------------------------------------------
# tools/build.py builds into a temporary folder and swaps it in for output/
# only when the build succeeded; these entries of the old output/ are kept.
OUTPUT_RETENTION = [".git"]


# --- Theme ------------------------------------------------------------------
# Responsive images, lead images and share cards (plugins/images). The
# defaults fit; IMAGES overrides single keys, e.g. {"widths": [480, 960]}.
IMAGES = {}


# --- Feeds and newsletter editions ------------------------------------------
# Per-language RSS/Atom and per-domain RSS feeds, edition e-mail exports
# (plugins/feeds). The defaults fit; FEEDS overrides single keys.
FEEDS = {}


# --- Events and calendars --------------------------------------------------
# The agenda (plugins/agenda): events in content/events/, calendars (.ics).
# Upcoming events are those not over on the build date: today in
# Europe/Brussels, or PORTAL_TODAY=2026-03-15 in the environment, or
# AGENDA = {"today": "2026-03-15"} here. The defaults fit.
AGENDA = {}


# --- Publishing and security ------------------------------------------------
# GitHub Pages: `.nojekyll` is always written; set a custom domain (just the
# host name, e.g. "www.example.org") to have a CNAME file written as well.
GITHUB_PAGES = {"custom_domain": ""}


# --- Search and build speed -------------------------------------------------
