"""Interface strings and CLDR formats per language."""

import datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT

THEME = ROOT / "theme"


def catalog(lang):
    with open(THEME / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def template_ids():
    with open(THEME / "messages.pot", "rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_interface_string_is_translated(lang):
    messages = {m.id: m.string for m in catalog(lang) if m.id}
    missing = sorted(i for i in template_ids() if not messages.get(i))
    assert missing == [], f"untranslated in {lang}: {missing}"


def test_template_strings_are_all_extracted():
    # A string added to a template without `make translations` is not in the
    # catalog template, so it would silently stay English on Dutch pages.
    from babel.messages.extract import extract_from_dir

    found = {
        msg[2] if isinstance(msg[2], str) else msg[2][0]
        for msg in extract_from_dir(
            str(THEME),
            method_map=[("templates/**.html", "jinja2")],
            options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}},
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "gettext_in": (2,)},
        )
    }
    assert found - template_ids() == set()


@pytest.fixture
def localizer():
    from l10n.l10n import Localizer

    return Localizer({"THEME": str(THEME), "BILINGUAL": {"languages": {"nl": {}, "en": {}}}})


@pytest.mark.parametrize(
    "lang, expected",
    [("nl", "18 maart 2026"), ("en", "18 March 2026")],
)
def test_dates_through_babel(localizer, lang, expected):
    assert localizer.format_date({"lang": lang}, datetime.date(2026, 3, 18)) == expected


@pytest.mark.parametrize("lang, expected", [("nl", "13,2%"), ("en", "13.2%")])
def test_percentages_through_babel(localizer, lang, expected):
    assert localizer.format_percent({"lang": lang}, 0.132) == expected


@pytest.mark.parametrize("lang, expected", [("nl", "Nieuws"), ("en", "News")])
def test_gettext_follows_the_page_language(localizer, lang, expected):
    assert localizer.gettext({"lang": lang}, "News") == expected
