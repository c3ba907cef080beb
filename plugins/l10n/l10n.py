"""Localization for the theme: gettext and CLDR formats in every template.

Installs `portal.localize` (catalogs compiled in memory at every build, dates
and numbers with Babel, never the OS locale) into each template environment.
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
