"""A "page not found" page per language, with the site's header and footer.

The bilingual root `404.html` is what GitHub Pages serves for any missing
address; these per-language pages (`/nl/404.html`, `/en/404.html`) are for
hosts that can serve a 404 page per folder, and for linking from the root one.
They are list-like pages (no content file), built on the bilingual plugin's
`Listing`, so every partial that handles an overview page handles them too.
"""

import logging

from pelican import signals
from pelican.generators import Generator

from bilingual.bilingual import Listing, languages

logger = logging.getLogger(__name__)
LOG_PREFIX = "[error_pages]"

DEFAULTS = {
    # Where each language's page goes; {lang} is the language code.
    "save_as": "{lang}/404.html",
    # Theme template that renders it.
    "template": "not_found",
}


def get_settings(settings):
    user = settings.get("ERROR_PAGES", {}) or {}
    for key in sorted(set(user) - set(DEFAULTS)):
        logger.error("%s unknown key %r in the ERROR_PAGES setting", LOG_PREFIX, key)
    return dict(DEFAULTS, **user)


def not_found_pages(settings):
    """One Listing per language, each knowing the others as translations."""
    conf = get_settings(settings)
    group = []
    for code in languages(settings):
        save_as = conf["save_as"].format(lang=code)
        group.append(
            Listing(
                kind="not_found",
                lang=code,
                url=save_as,
                save_as=save_as,
                template=conf["template"],
            )
        )
    for listing in group:
        listing.translations = [other for other in group if other is not listing]
    return group


class ErrorPagesGenerator(Generator):
    def generate_context(self):
        self.not_found_pages = not_found_pages(self.settings)

    def generate_output(self, writer):
        for listing in self.not_found_pages:
            writer.write_file(
                listing.save_as,
                self.get_template(listing.template),
                self.context,
                template_name=listing.template,
                url=listing.url,
                page=listing,
                lang=listing.lang,
            )


def get_generators(pelican):
    return ErrorPagesGenerator


def register():
    signals.get_generators.connect(get_generators)
