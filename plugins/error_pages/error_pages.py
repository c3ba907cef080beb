"""A "page not found" page per language, with the site's header and footer.

The bilingual root `404.html` is what GitHub Pages serves for any missing
address; these per-language pages (`/nl/404.html`, `/en/404.html`) are for
hosts that can serve a 404 page per folder, and for linking from the root one.
They are list-like pages (no content file), built on the bilingual plugin's
`Listing`, so every partial that handles an overview page handles them too.
"""

from pelican import signals
from pelican.generators import Generator

from portal import model
from portal.settings import plugin_settings

DEFAULTS = {
    # Where each language's page goes; {lang} is the language code.
    "save_as": "{lang}/404.html",
    # Theme template that renders it.
    "template": "not_found",
}


get_settings = plugin_settings("ERROR_PAGES", DEFAULTS, "error_pages")


def not_found_pages(settings):
    """One Listing per language, each knowing the others as translations."""
    conf = get_settings(settings)
    where = lambda code: conf["save_as"].format(lang=code)  # noqa: E731
    return model.listings_in_every_language(settings, "not_found", where, conf["template"],
                                            save_as_of=where)


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
