"""Localization for the theme: interface strings and CLDR formats per page.

- Interface strings go through gettext (`{{ _("News") }}` in templates). The
  catalogs are the theme's `translations/<lang>/LC_MESSAGES/messages.po`;
  they are compiled in memory at every build, so no `.mo` file can be stale.
- Dates, numbers and percentages are formatted with Babel's CLDR data, never
  with the operating system's locales (with a missing OS locale Pelican drops
  every article of that language without failing).

The language of a template is the language of the page it renders (`page`,
`article`, or an explicit `lang` in the template context). The code lives in
`portal.localize`, which the search plugin uses too.
"""

from pelican import signals
from portal.localize import (  # noqa: F401 - the plugin's interface
    DEFAULTS, Localizer, catalogs, get_settings, isodate, load_catalog, localizer_for, page_lang,
    reset_cache,
)


def install_in_generator(generator):
    if hasattr(generator, "env"):
        localizer_for(generator.settings).install(generator.env)


def register():
    signals.initialized.connect(reset_cache)
    signals.generator_init.connect(install_in_generator)
