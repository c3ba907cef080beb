"""Interface strings and CLDR formats per language."""

import datetime
import os
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


def render_in(localizer, source, **context):
    from jinja2 import Environment

    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    localizer.install(env)
    return env.from_string(source).render(**context)


class Item:
    def __init__(self, lang):
        self.lang = lang


@pytest.mark.parametrize("first, second", [("nl", "en"), ("en", "nl")])
def test_each_page_gets_its_own_language(localizer, first, second):
    # Strings and dates are kept per language once looked up: a Dutch page
    # rendered before an English one must not lend it its words, nor the reverse.
    source = '{{ _("News") }} {{ day|format_date }}'
    day = datetime.datetime(2026, 3, 18, 23, 30)
    expected = {"nl": "Nieuws 18 maart 2026", "en": "News 18 March 2026"}
    for lang in (first, second, first):
        assert render_in(localizer, source, article=Item(lang), day=day) == expected[lang]


def test_an_explicit_lang_wins_over_the_page(localizer):
    source = '{{ _("News") }}{% set lang = "en" %} {{ _("News") }}'
    assert render_in(localizer, source, page=Item("nl")) == "Nieuws News"


@pytest.mark.parametrize(
    "source",
    [
        '{{ _("News") }}',
        '{{ _("Page %(number)s of %(count)s", number=2, count="<b>") }}',
        '{{ _("100%% & more") }}',
        '{{ gettext("News") }}|{{ _("News") }}',
        '{% trans %}News{% endtrans %}',
        '{% trans n=3 %}News from %(n)s{% endtrans %}',
    ],
)
@pytest.mark.parametrize("autoescape", [True, False])
def test_template_strings_as_jinja_gives_them(localizer, source, autoescape):
    # `_()` is answered by the localizer directly; it must give what Jinja's
    # own new-style gettext gives: escaping, "%%" and variables alike.
    from jinja2 import Environment

    catalog = localizer.translations["nl"]
    reference = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    reference.install_gettext_callables(catalog.gettext, catalog.ngettext, newstyle=True)
    ours = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    localizer.install(ours)
    for _ in range(2):  # the second time from what the localizer kept
        assert ours.from_string(source).render(lang="nl") == reference.from_string(
            source).render(lang="nl")


def test_an_edited_catalog_shows_in_the_next_build(tmp_path):
    # `make devserver` builds again in the same process: a translation edited
    # between two builds must show, whatever the first build looked up.
    import shutil

    from l10n import l10n

    theme = tmp_path / "theme"
    shutil.copytree(THEME / "translations", theme / "translations")
    settings = {"THEME": str(theme), "BILINGUAL": {"languages": {"nl": {}, "en": {}}}}
    po = theme / "translations" / "nl" / "LC_MESSAGES" / "messages.po"

    l10n.reset_cache(None)
    assert l10n.localizer_for(settings).gettext({"lang": "nl"}, "News") == "Nieuws"
    po.write_text(po.read_text("utf-8").replace('msgstr "Nieuws"', 'msgstr "Actueel"'), "utf-8")
    stat = po.stat()
    os.utime(po, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    l10n.reset_cache(None)  # a new build starts
    assert l10n.localizer_for(settings).gettext({"lang": "nl"}, "News") == "Actueel"
    l10n.reset_cache(None)
