"""The agenda: events in both languages, on the site and in calendar apps.

- An event is a content file in `content/events/` (`<name>.nl.md` and
  `<name>.en.md`) with `Start` and an optional `End`: a date (`2026-03-18`,
  an all-day event) or a date and a time (`2026-03-18 14:00`), in the
  agenda's time zone (Europe/Brussels). `Location` is written per language;
  `News` names the news item that reports on the event, which then links
  back to it.
- Errors name the file and the field: a date that does not exist, a time
  without a date, an end before its start, a start and end of which only one
  has a time. A missing `Start` is reported by the validation plugin.
- "Upcoming" means "not over on the build date". The build date is
  AGENDA["today"], else the environment variable PORTAL_TODAY, else today in
  the agenda's time zone; it is written into the settings as AGENDA_TODAY,
  so caches that follow the settings see the agenda move on.
- Templates get `agenda` (upcoming and past events, calendars) and the filter
  `event_when` (date and time in the page's language, by Babel). Event items
  get `when`, `ics_url`, `report_items` (news) and `schema_entity` (schema.org
  Event for the seo plugin); news items get `event_items`.
- The calendars (`.ics`: one per event, one per language, one per focus
  domain and language) are written by calendars.py.
"""

import datetime
import logging
import os
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel import dates
from jinja2 import pass_context
from pelican import signals
from pelican.contents import Article, Page, Static
from pelican.generators import Generator

from portal import model, problems
from portal.localize import localizer_for, page_lang
from portal.settings import enabled, plugin_settings

from . import calendars

logger = logging.getLogger(__name__)
LOG_PREFIX = "[agenda]"
TODAY_ENV = "PORTAL_TODAY"

DEFAULTS = {
    # The content folder of events.
    "kind": "events",
    # The build date ("2026-03-15"); "" takes PORTAL_TODAY, else the real today.
    "today": "",
    # Start and End are local times of this zone.
    "timezone": "Europe/Brussels",
    # File name of the calendars, next to the agenda page (language) and
    # next to each domain page (domain).
    "calendar": "agenda.ics",
    # Upcoming events on the home page (0: none).
    "home_count": 3,
    # The macros that name the calendars (shared with the subscribe page).
    "labels": "partials/calendar_labels.html",
}

DATE_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?$")
TIME_ONLY = re.compile(r"^\d{1,2}[:.]\d{2}(:\d{2})?$")


get_settings = plugin_settings("AGENDA", DEFAULTS, "agenda")


def active(settings):
    """Signals stay connected for the whole process: act only in builds that list us."""
    return enabled(settings, "agenda")


# --- Dates and times ----------------------------------------------------------


class WhenError(ValueError):
    """A Start or End an author has to correct; the message says how."""


def parse_when(value):
    """A `date` (all day) or a naive `datetime` (local time) from `value`."""
    value = str(value).strip()
    if TIME_ONLY.match(value):
        raise WhenError(f"{value!r} is a time without a date; write the day before it, "
                        f"e.g. 2026-03-18 {value}")
    match = DATE_TIME.match(value)
    if not match:
        raise WhenError(f"{value!r} is not a date; write year-month-day, e.g. 2026-03-18, "
                        "or a date and a time, e.g. 2026-03-18 14:00")
    year, month, day, hour, minute = match.groups()
    try:
        found = datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise WhenError(f"{value!r} is a date that does not exist; check the day and "
                        "the month") from None
    if hour is None:
        return found
    try:
        time = datetime.time(int(hour), int(minute))
    except ValueError:
        raise WhenError(f"{value!r} has a time that does not exist; write hours 0-23 and "
                        "minutes 00-59, e.g. 14:00") from None
    return datetime.datetime.combine(found, time)


@dataclass(frozen=True)
class When:
    """Start and optional end of an event: both dates (all day, the end day
    included) or both local date-times."""

    start: datetime.date
    end: datetime.date = None
    timezone: str = "Europe/Brussels"

    @property
    def all_day(self):
        return not isinstance(self.start, datetime.datetime)

    @property
    def first_day(self):
        return self.start if self.all_day else self.start.date()

    @property
    def last_day(self):
        last = self.end or self.start
        return last if self.all_day else last.date()

    def aware(self, value):
        return value.replace(tzinfo=ZoneInfo(self.timezone))

    def iso(self, value):
        """For `<time datetime>` and JSON-LD: a date, or a date-time with offset."""
        if value is None:
            return ""
        return value.isoformat() if self.all_day else self.aware(value).isoformat()

    @property
    def iso_start(self):
        return self.iso(self.start)

    @property
    def iso_end(self):
        return self.iso(self.end)

    def sort_key(self):
        return (self.first_day, datetime.time.min if self.all_day else self.start.time())


def read_when(meta):
    """(When or None, [(field, problem)]) from an event's metadata."""
    found, parsed = [], {}
    for field in ("start", "end"):
        raw = str(meta.get(field, "") or "").strip()
        if raw:
            try:
                parsed[field] = parse_when(raw)
            except WhenError as error:
                found.append((field, str(error)))
    start, end = parsed.get("start"), parsed.get("end")
    if start is not None and end is not None:
        timed = isinstance(start, datetime.datetime), isinstance(end, datetime.datetime)
        if timed[0] != timed[1]:
            found.append(("end", "Start and End must both have a time, or both be dates "
                             "only (an all-day event); e.g. Start: 2026-03-18 14:00 and "
                             "End: 2026-03-18 16:00"))
        elif end < start:
            found.append(("end", f"the end ({meta['end']}) is before the start "
                             f"({meta['start']}); check both"))
    if start is None or found:
        return None, found
    return When(start, end), found


def when_text(when, locale, date_format="full"):
    """Date (and time) of an event in words, e.g. "woensdag 18 maart 2026, 14:00-16:00"."""
    if when is None:
        return ""

    def day(value):
        return dates.format_date(value, format=date_format, locale=locale)

    def time(value):
        return dates.format_time(value, format="short", locale=locale)

    if when.all_day:
        if when.end is None or when.end == when.start:
            return day(when.start)
        return f"{day(when.start)} – {day(when.end)}"
    text = f"{day(when.start.date())}, {time(when.start.time())}"
    if when.end is None:
        return text
    if when.end.date() == when.start.date():
        return f"{text}–{time(when.end.time())}"
    return f"{text} – {day(when.end.date())}, {time(when.end.time())}"


# --- Reading events -------------------------------------------------------------


def read_event(content):
    """Every event item gets `when` (None when Start is missing or wrong)."""
    if isinstance(content, Static) or not isinstance(content, (Article, Page)):
        return
    if not active(content.settings):
        return
    conf = get_settings(content.settings)
    if model.file_parts(content.relative_source_path or "")[0] != conf["kind"]:
        return
    when, found = read_when(content.metadata)
    if when is not None:
        when = When(when.start, when.end, conf["timezone"])
    content.when = when
    for field, text in found:
        problems.report("agenda", content.relative_source_path, field, text)


def build_today(settings):
    """The date the agenda is built for (see the module text)."""
    conf = get_settings(settings)
    for where, raw in (("AGENDA['today']", conf["today"]), (TODAY_ENV, os.environ.get(TODAY_ENV))):
        if not raw:
            continue
        if isinstance(raw, datetime.date):
            return raw if not isinstance(raw, datetime.datetime) else raw.date()
        try:
            return datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            problems.report("agenda", "(settings)", where, f"{raw!r} is not a date; write "
                            "year-month-day, e.g. 2026-03-15")
    return datetime.datetime.now(ZoneInfo(conf["timezone"])).date()


def pin_today(pelican):
    """The build date goes into the settings: what is built from the settings
    (and the caches that compare them) follows the date."""
    if active(pelican.settings):
        pelican.settings["AGENDA_TODAY"] = build_today(pelican.settings).isoformat()


def _keys(raw):
    return [k.strip() for k in raw.split(",")] if isinstance(raw, str) else list(raw or [])


def event_entity(event, siteurl, html_lang):
    """schema.org Event of an event page (the seo plugin adds the description)."""
    when = event.when
    entity = {
        "@type": "Event",
        "name": str(event.title),
        "url": f"{siteurl}/{event.url}",
        "inLanguage": html_lang,
        "startDate": when.iso_start,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
    }
    if when.end is not None:
        entity["endDate"] = when.iso_end
    location = str(event.metadata.get("location", "") or "").strip()
    if location:
        entity["location"] = {"@type": "Place", "name": location, "address": location}
    organizers = [{"@type": "Organization", "name": str(p.title), "url": f"{siteurl}/{p.url}"}
                  for p in getattr(event, "partner_items", [])]
    if organizers:
        entity["organizer"] = organizers
    return entity


def link(generators):
    """Once the bilingual index exists: events <-> news, calendar addresses,
    schema.org data."""
    settings, context = generators[0].settings, generators[0].context
    if not active(settings):
        return
    conf = get_settings(settings)
    by_lang, by_key = context.get("by_lang", {}), context.get("by_key", {})
    html_langs = context.get("html_langs", {})
    for kinds in by_lang.values():
        for news in kinds.get("news", []):
            news.event_items = []
    for lang, kinds in by_lang.items():
        for event in kinds.get(conf["kind"], []):
            event.report_items = [
                by_key[f"news/{key}"][lang] for key in filter(None, _keys(event.metadata.get("news")))
                if lang in by_key.get(f"news/{key}", {})
            ]
            for news in event.report_items:
                news.event_items.append(event)
            folder = os.path.dirname(event.save_as)
            event.ics_url = f"{folder}/{event.slug}.ics"
            if getattr(event, "when", None) is not None:
                event.schema_entity = event_entity(event, settings["SITEURL"],
                                                   html_langs.get(lang, lang))
    for kinds in by_lang.values():
        for news in kinds.get("news", []):
            news.event_items.sort(key=lambda e: e.when.sort_key() if e.when else ())


# --- The agenda in templates ------------------------------------------------------


class Agenda:
    """Events per language, split at the build date; the calendars."""

    def __init__(self, context, settings):
        self.context = context
        self.conf = get_settings(settings)
        self.today = datetime.date.fromisoformat(settings.get("AGENDA_TODAY")
                                                 or build_today(settings).isoformat())
        self._calendars = None

    def events(self, lang):
        """Every event of `lang` with a valid Start, earliest first."""
        found = self.context.get("by_lang", {}).get(lang, {}).get(self.conf["kind"], [])
        usable = [e for e in found if getattr(e, "when", None) is not None]
        return sorted(usable, key=lambda e: (e.when.sort_key(), str(e.title)))

    def upcoming(self, lang, since=None, limit=None):
        """Events not over on `since` (a date; default the build date)."""
        if isinstance(since, datetime.datetime):
            since = since.date()
        since = since or self.today
        found = [e for e in self.events(lang) if e.when.last_day >= since]
        return found[:limit] if limit else found

    def past(self, lang):
        """Events over before the build date, latest first."""
        return [e for e in reversed(self.events(lang)) if e.when.last_day < self.today]

    def past_by_year(self, lang):
        """[(year, events)] of past events, latest year first."""
        years = {}
        for event in self.past(lang):
            years.setdefault(event.when.first_day.year, []).append(event)
        return list(years.items())

    def home(self, lang):
        count = self.conf["home_count"]
        return self.upcoming(lang, limit=count) if count else []

    @property
    def all_calendars(self):
        if self._calendars is None:
            self._calendars = calendars.collect(self, self.context)
        return self._calendars

    def calendars(self, lang):
        return [c for c in self.all_calendars if c.lang == lang]


def make_event_when(settings):
    """The `event_when` filter: when an event takes place, in words in the
    page's language (`date_format` is a Babel date format name)."""
    localizer = localizer_for(settings)

    @pass_context
    def event_when(context, event, date_format="full"):
        return when_text(getattr(event, "when", None), localizer.locale(page_lang(context)),
                         date_format)

    return event_when


class AgendaGenerator(Generator):
    """Puts `agenda` in the context; writes the calendars."""

    def generate_context(self):
        self.agenda = Agenda(self.context, self.settings)
        self.context["agenda"] = self.agenda

    def generate_output(self, writer):
        labels = {lang: self.env.get_template(self.agenda.conf["labels"]).make_module(
                      dict(self.context, lang=lang))
                  for lang in self.context.get("languages", [])}
        for save_as, data in calendars.files(self.agenda, self.context, self.settings, labels):
            path = os.path.join(self.output_path, save_as)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
        logger.debug("%s calendars written", LOG_PREFIX)


def install_filters(generator):
    env = getattr(generator, "env", None)
    if env is not None and active(generator.settings):
        env.filters["event_when"] = make_event_when(generator.settings)


def get_generators(pelican):
    if active(pelican.settings):
        return AgendaGenerator
    return None


def register():
    signals.initialized.connect(pin_today)
    signals.content_object_init.connect(read_event)
    signals.generator_init.connect(install_filters)
    signals.get_generators.connect(get_generators)
    model.languages_ready.connect(link)
