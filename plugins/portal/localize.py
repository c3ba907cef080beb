"""Localization: interface strings and CLDR formats per page.

The `l10n` plugin installs these in every template environment; other
plugins (search) format dates with the same `Localizer`.

- Interface strings go through gettext (`{{ _("News") }}` in templates). The
  catalogs are the theme's `translations/<lang>/LC_MESSAGES/messages.po`;
  they are compiled in memory at every build, so no `.mo` file can be stale.
- Dates, numbers and percentages are formatted with Babel's CLDR data, never
  with the operating system's locales (with a missing OS locale Pelican drops
  every article of that language without failing).

The language of a template is the language of the page it renders (`page`,
`article`, or an explicit `lang` in the template context).
"""

import datetime
import io
import os
from functools import lru_cache

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from markupsafe import Markup
from jinja2.runtime import Context
from jinja2.utils import missing

from . import model, problems
from .settings import plugin_settings

DEFAULTS = {
    # Folder of the catalogs, relative to the theme.
    "translations_dir": "translations",
    # Babel locale per language code (CLDR data).
    "locales": {"nl": "nl_BE", "en": "en_GB"},
    # Babel date pattern names or CLDR patterns.
    "date_format": "long",
}


get_settings = plugin_settings("L10N", DEFAULTS, "l10n")


@lru_cache(maxsize=None)
def load_catalog(po_path, mtime):
    """Compile one .po file in memory; `mtime` invalidates the cache."""
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


def catalogs(theme_path, conf, codes):
    """gettext translations per language code."""
    result = {}
    for code in codes:
        po_path = os.path.join(
            theme_path, conf["translations_dir"], code, "LC_MESSAGES", "messages.po"
        )
        if os.path.exists(po_path):
            result[code] = load_catalog(po_path, os.path.getmtime(po_path))
        else:
            problems.report("l10n", po_path, "catalog", f"missing catalog for language {code!r} "
                            "(run `make translations`)")
            result[code] = NullTranslations()
    return result


def _lookup(context, name):
    """`context.get(name)`; a template context is asked without the KeyError
    its `get` raises and catches for every name that is not defined."""
    if isinstance(context, Context):
        value = context.resolve_or_missing(name)
        return None if value is missing else value
    return context.get(name)


def page_lang(context):
    """The language of the page being rendered."""
    for name in ("lang", "page", "article"):
        value = _lookup(context, name)
        if isinstance(value, str) and value:
            return value
        lang = getattr(value, "lang", None)
        if lang:
            return lang
    default = _lookup(context, "DEFAULT_LANG")
    return "nl" if default is None else default


def site_locales(settings):
    """{language code: the Babel locale its dates and numbers are written in}."""
    names = get_settings(settings)["locales"]
    return {code: Locale.parse(names.get(code, code)) for code in model.language_table(settings)}


class Localizer:
    """The gettext callables and format filters bound to one theme.

    A page asks for the same few dozen interface strings and a few hundred
    distinct dates over and over; both are kept per language once looked up.
    A Localizer lives for one build (see `reset_cache`), so an edited catalog
    shows in the next build.
    """

    def __init__(self, settings):
        self.conf = get_settings(settings)
        codes = list(model.language_table(settings))
        self.translations = catalogs(settings["THEME"], self.conf, codes)
        self.locales = site_locales(settings)
        self._messages = {}  # (lang, message) -> translated message
        self._dates = {}     # (date, format, lang) -> formatted date
        self._template_strings = {}  # (lang, message, autoescape) -> result of `_()`

    def locale(self, lang):
        return self.locales.get(lang) or Locale.parse(lang)

    def gettext(self, context, message):
        return self.gettext_in(page_lang(context), message)

    def ngettext(self, context, singular, plural, count):
        lang = page_lang(context)
        return self.translations.get(lang, NullTranslations()).ngettext(
            singular, plural, count
        )

    def install(self, env):
        env.install_gettext_callables(
            _with_context(self.gettext), _with_context(self.ngettext), newstyle=True
        )
        # `_()` and `gettext()` go straight to `template_gettext`: Jinja's own
        # pass every string through three more calls, about 25 times a page.
        env.globals["_"] = env.globals["gettext"] = _with_context(self.template_gettext)
        env.filters.update(
            {
                "format_date": _with_context(self.format_date),
                "format_number": _with_context(self.format_number),
                "format_percent": _with_context(self.format_percent),
                "format_currency": _with_context(self.format_currency),
                "isodate": isodate,
            }
        )
        env.globals["gettext_in"] = self.gettext_in

    def template_gettext(self, context, message, **variables):
        """Jinja's new-style gettext: the translation is escaped like any
        template text (marked safe when autoescaping) and always %-formatted,
        so `%%` means `%` with or without variables."""
        autoescape = context.eval_ctx.autoescape
        lang = page_lang(context)
        if variables:
            text = self.gettext_in(lang, message)
            return (Markup(text) if autoescape else text) % variables
        key = (lang, message, autoescape)
        try:
            return self._template_strings[key]
        except KeyError:
            text = self.gettext_in(lang, message)
            text = self._template_strings[key] = (Markup(text) if autoescape else text) % {}
            return text

    def gettext_in(self, lang, message):
        """A string in a given language, for bilingual pages (the site root)."""
        key = (lang, message)
        try:
            return self._messages[key]
        except KeyError:
            translations = self.translations.get(lang)
            if translations is None:
                translations = NullTranslations()
            text = self._messages[key] = translations.gettext(message)
            return text

    def format_date(self, context, value, format=None, lang=None):
        format = format or self.conf["date_format"]
        lang = lang or page_lang(context)
        if not isinstance(value, datetime.date):  # Babel's own errors and defaults
            return dates.format_date(value, format=format, locale=self.locale(lang))
        # Babel formats the calendar day of a datetime as it is, without time zone.
        day = value.date() if isinstance(value, datetime.datetime) else value
        key = (day, format, lang)
        try:
            return self._dates[key]
        except KeyError:
            text = self._dates[key] = dates.format_date(day, format=format,
                                                        locale=self.locale(lang))
            return text

    def format_number(self, context, value, lang=None, decimals=None):
        fmt = None if decimals is None else "#,##0." + "0" * decimals
        return numbers.format_decimal(
            value, format=fmt, locale=self.locale(lang or page_lang(context))
        )

    def format_percent(self, context, value, lang=None, decimals=1):
        """`value` is a fraction (0.132 -> "13,2%" / "13.2%")."""
        fmt = "#,##0." + "0" * decimals + "%" if decimals else "#,##0%"
        return numbers.format_percent(
            value, format=fmt, locale=self.locale(lang or page_lang(context))
        )

    def format_currency(self, context, value, currency="EUR", lang=None):
        """Whole amounts without decimals ("€ 81" / "€81"), others with."""
        locale = self.locale(lang or page_lang(context))
        pattern = locale.currency_formats["standard"].pattern
        if float(value).is_integer():
            pattern = pattern.split(";")[0].replace(".00", "")
        return numbers.format_currency(
            value, currency, format=pattern, locale=locale, currency_digits=False
        )


def _with_context(method):
    """A plain function around a bound method, so Jinja can pass the context."""

    def call(context, *args, **kwargs):
        return method(context, *args, **kwargs)

    return pass_context(call)


def isodate(value):
    """A machine-readable date for <time datetime>."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return value.isoformat()


_localizers = {}


def localizer_for(settings):
    key = settings["THEME"]
    if key not in _localizers:
        _localizers[key] = Localizer(settings)
    return _localizers[key]


def reset_cache(pelican=None):
    """Catalogs are re-read for every build (autoreload sees edits)."""
    _localizers.clear()
