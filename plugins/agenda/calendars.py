"""iCalendar files of the agenda, made with the `icalendar` library.

- One `.ics` per event (its "add to calendar" link), next to its page.
- One calendar per language next to the agenda page, and one per focus domain
  and language next to the domain's page, for readers to subscribe to.

Every event has a UID made from its file name and language (the same in
every build and every calendar that holds it), a DTSTAMP from its `Modified`
or `Date` field (else the start of its first day, never the clock), and the
event page as URL. All-day events are `VALUE=DATE` with the day after the
last day as DTEND; timed events carry TZID=Europe/Brussels, defined by a
VTIMEZONE in the file. Summary, description and location are in the
calendar's language. Two builds of the same content write the same bytes.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from icalendar import Calendar as ICalendar
from icalendar import Event, Timezone, vText
from markupsafe import Markup

# Namespace of the UIDs: uuid5(this, "events/<name>/<lang>").
UID_NAMESPACE = uuid.UUID("6f1c2a52-3d0e-5b8e-9a57-8f6c1d2e4b10")


@dataclass
class Calendar:
    """One subscribable calendar: of a language (`language`) or of a focus
    domain in a language (`domain`)."""

    kind: str
    lang: str
    save_as: str
    page: object
    events: list = field(default_factory=list)

    @property
    def url(self):
        return self.save_as

    @property
    def name(self):
        """The domain's title for a domain calendar, else ""."""
        return str(self.page.title) if self.kind == "domain" else ""


def collect(agenda, context):
    """Every subscribable calendar of the site, languages in site order."""
    found = []
    listings = context.get("listings", {})
    name = agenda.conf["calendar"]
    for lang in context.get("languages", []):
        events = agenda.events(lang)
        listing = listings.get((agenda.conf["kind"], lang))
        if listing is not None:
            found.append(Calendar("language", lang, listing.url + name, listing, events))
        for domain in context.get("by_lang", {}).get(lang, {}).get("domains", []):
            mine = [e for e in events if domain in getattr(e, "domain_items", [])]
            found.append(Calendar("domain", lang, domain.url + name, domain, mine))
    return found


def uid(event):
    return str(uuid.uuid5(UID_NAMESPACE, f"{event.translation_key}/{event.lang}"))


def _utc(value):
    return value.astimezone(datetime.timezone.utc)


def stamp(event, zone):
    """DTSTAMP: when the event's information last changed, as far as the
    content says; never the build's clock."""
    for name in ("modified", "date"):
        value = event.metadata.get(name)
        if isinstance(value, datetime.datetime):
            return _utc(value if value.tzinfo else value.replace(tzinfo=zone))
    first = event.when.first_day
    return _utc(datetime.datetime.combine(first, datetime.time.min, zone))


def _plain(value):
    return Markup(str(value or "")).striptags()


def component(event, siteurl, html_lang):
    """The VEVENT of one event."""
    when = event.when
    zone = ZoneInfo(when.timezone)
    language = {"LANGUAGE": html_lang}
    item = Event()
    item.add("uid", uid(event))
    item.add("dtstamp", stamp(event, zone))
    if when.all_day:
        item.add("dtstart", when.start)
        item.add("dtend", (when.end or when.start) + datetime.timedelta(days=1))
    else:
        item.add("dtstart", when.aware(when.start))
        if when.end is not None:
            item.add("dtend", when.aware(when.end))
    item.add("summary", str(event.title), parameters=language)
    description = _plain(getattr(event, "summary", ""))
    if description:
        item.add("description", description, parameters=language)
    location = str(event.metadata.get("location", "") or "").strip()
    if location:
        item.add("location", location, parameters=language)
    domains = [str(d.title) for d in getattr(event, "domain_items", [])]
    if domains:
        item.add("categories", domains, parameters=language)
    item.add("url", f"{siteurl}/{event.url}")
    item.add("status", "CONFIRMED")
    item.add("transp", "TRANSPARENT" if when.all_day else "OPAQUE")
    return item


def zone_span(events, fallback_year):
    """First and last date the VTIMEZONE must cover: whole years around the events."""
    years = [e.when.first_day.year for e in events] + [e.when.last_day.year for e in events]
    first, last = (min(years), max(years)) if years else (fallback_year, fallback_year)
    return datetime.date(first, 1, 1), datetime.date(last + 2, 1, 1)


def calendar_bytes(events, lang, html_lang, name, description, page_url, settings, today, tz):
    """One VCALENDAR; `name` is empty for the file of a single event, which
    calendar apps then add to a calendar of the reader's choice."""
    cal = ICalendar()
    cal.add("prodid", f"-//{settings['SITENAME']}//Agenda//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", vText(name))
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", vText(description))
    cal.add("x-wr-timezone", vText(tz))
    cal.add("url", page_url)
    if name:
        # Subscribed calendars look for changes twice a day.
        cal.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT12H")
    first, last = zone_span(events, today.year)
    cal.add_component(Timezone.from_tzid(tz, first_date=first, last_date=last))
    for event in events:
        cal.add_component(component(event, settings["SITEURL"], html_lang))
    return cal.to_ical()


def files(agenda, context, settings, labels):
    """(save_as, bytes) of every calendar file."""
    siteurl = settings["SITEURL"]
    tz = agenda.conf["timezone"]
    html_langs = context.get("html_langs", {})
    for lang in context.get("languages", []):
        html_lang = html_langs.get(lang, lang)
        for event in agenda.events(lang):
            yield event.ics_url, calendar_bytes(
                [event], lang, html_lang, "", "", f"{siteurl}/{event.url}",
                settings, agenda.today, tz)
    for calendar in agenda.all_calendars:
        mine = labels[calendar.lang]
        yield calendar.save_as, calendar_bytes(
            calendar.events, calendar.lang, html_langs.get(calendar.lang, calendar.lang),
            _plain(mine.title(calendar)).strip(),
            _plain(mine.description(calendar)).strip(),
            f"{siteurl}/{calendar.page.url}", settings, agenda.today, tz)
