"""The agenda: events on the site, in the newsletter and in calendar apps."""

import datetime
import json
import re
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from conftest import ROOT, build_site, files_of, page, require, run_build, write_files

TODAY = "2026-03-15"
BRUSSELS = ZoneInfo("Europe/Brussels")


def event(title, start, **meta):
    return page(title, body="Over deze activiteit.", Start=start,
                **dict({"Summary": f"{title} in het kort."}, **meta))


def both(name, nl, en, start, **meta):
    """The same event in Dutch and English."""
    return {f"events/{name}.nl.md": event(nl, start, **meta),
            f"events/{name}.en.md": event(en, start, **meta)}


def named(kind, key, nl, en, **meta):
    return {f"{kind}/{key}.nl.md": page(nl, Slug=key, Summary="S.", **meta),
            f"{kind}/{key}.en.md": page(en, Slug=key, Summary="S.", **meta)}


SITE = {
    "pages/home.nl.md": page("Thuis", template="home"),
    "pages/home.en.md": page("Home", template="home"),
    **named("domains", "high-tech", "Hightech", "High tech"),
    **named("domains", "mobility", "Mobiliteit", "Mobility"),
    **named("partners", "pom-limburg", "POM Limburg", "POM Limburg", Side="be"),
    **named("partners", "brainport", "Stichting Brainport", "Brainport Foundation", Side="nl"),
    **named("partners", "pom-antwerpen", "POM Antwerpen", "POM Antwerpen", Side="be"),
    "news/report.nl.md": page("Verslag", date="2026-03-12", summary="Verslag."),
    "news/report.en.md": page("Report", date="2026-03-12", summary="Report."),
    **both("visit", "Bezoek", "Visit", "2026-03-12", Location="Belgisch Limburg",
           Domains="high-tech", Partners="pom-limburg", News="report"),
    **both("older", "Ouder", "Older", "2025-11-20"),
    **both("today", "Vandaag", "Today", TODAY, Domains="mobility"),
    **both("winter", "Ochtend", "Morning", "2026-03-20 09:30"),
    **both("timed", "Middag", "Afternoon", "2026-04-02 14:00", End="2026-04-02 16:30",
           Domains="high-tech", Partners="brainport, pom-antwerpen"),
    **both("fair", "Beurs", "Fair", "2026-05-04", End="2026-05-06"),
}


@pytest.fixture
def agenda_site(fixture_site):
    return fixture_site(SITE, AGENDA={"today": TODAY}, SEARCH={"index": False})


def titles(soup, selector):
    return [a.get_text(strip=True) for a in soup.select(selector)]


def ics(site, rel):
    return Calendar.from_ical(site.path(rel).read_bytes())


def events_of(calendar):
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


# --- Agenda pages ---------------------------------------------------------------


def test_upcoming_and_past_are_split_at_the_build_date(agenda_site):
    assert agenda_site.errors() == []
    soup = agenda_site.soup("nl/agenda/")
    upcoming = soup.find("section", attrs={"aria-labelledby": "agenda-upcoming"})
    assert titles(upcoming, ".event-card__title a") == ["Vandaag", "Ochtend", "Middag", "Beurs"]
    past = soup.find("section", attrs={"aria-labelledby": "agenda-past"})
    assert [h.get_text() for h in past.find_all("h3")] == ["2026", "2025"]
    assert titles(past, ".event-card__title a") == ["Bezoek", "Ouder"]


def test_the_build_date_can_come_from_the_environment(fixture_site, monkeypatch):
    monkeypatch.setenv("PORTAL_TODAY", "2026-04-03")
    site = fixture_site(SITE, SEARCH={"index": False})
    upcoming = site.soup("en/agenda/").find("section", attrs={"aria-labelledby": "agenda-upcoming"})
    assert titles(upcoming, ".event-card__title a") == ["Fair"]


def test_an_agenda_without_upcoming_events_says_so(fixture_site):
    site = fixture_site(SITE, AGENDA={"today": "2027-01-01"}, SEARCH={"index": False})
    upcoming = site.soup("en/agenda/").find("section", attrs={"aria-labelledby": "agenda-upcoming"})
    assert upcoming.select(".event-card") == []
    assert upcoming.p.get_text() == "There are no upcoming events at the moment."
    assert site.soup("en/").find(id="home-events") is None


def test_dates_and_times_are_written_for_each_language(agenda_site):
    def meta(lang, rel):
        card = agenda_site.soup(f"{lang}/agenda/").find("a", href=re.compile(rel)).find_parent("article")
        return card.select_one(".event-card__meta").get_text(" ", strip=True)

    assert meta("nl", "/timed/") == "donderdag 2 april 2026, 14:00–16:30"
    assert meta("en", "/timed/") == "Thursday, 2 April 2026, 14:00–16:30"
    assert meta("nl", "/fair/") == "maandag 4 mei 2026 – woensdag 6 mei 2026"
    assert meta("nl", "/visit/") == "donderdag 12 maart 2026 · Belgisch Limburg"
    time = agenda_site.soup("nl/agenda/timed/").find("time")
    assert time["datetime"] == "2026-04-02T14:00:00+02:00"


def alternates(soup):
    return {link["hreflang"]: link["href"]
            for link in soup.find_all("link", rel="alternate") if link.get("hreflang")}


def test_agenda_pages_in_both_languages_point_to_each_other(agenda_site):
    nl, en = "http://example.test/nl/agenda/", "http://example.test/en/agenda/"
    for url in (nl, en):
        soup = agenda_site.soup(url)
        assert alternates(soup) == {"nl": nl, "en": en, "x-default": nl}
        assert soup.find("link", rel="canonical")["href"] == url
    assert agenda_site.soup(nl).h1.get_text() == "Agenda"
    assert agenda_site.soup(en).h1.get_text() == "Events"
    nav = agenda_site.soup(nl).select_one(".main-nav a[aria-current]")
    assert (nav.get_text(), nav["href"]) == ("Agenda", nl)


def test_home_shows_the_next_upcoming_events(agenda_site):
    section = agenda_site.soup("nl/").find(id="home-events").parent
    assert titles(section, ".event-card__title a") == ["Vandaag", "Ochtend", "Middag"]
    assert section.select_one(".more a")["href"] == "http://example.test/nl/agenda/"


# --- Event pages -----------------------------------------------------------------


def test_event_page_has_when_where_calendar_link_and_its_news(agenda_site):
    soup = agenda_site.soup("en/agenda/visit/")
    facts = [t.get_text(strip=True) for t in soup.select(".event-facts dt, .event-facts dd")]
    assert facts == ["When", "Thursday, 12 March 2026", "Where", "Belgisch Limburg"]
    add = soup.select_one(".event-actions a")
    assert add["href"] == "http://example.test/en/agenda/visit/visit.ics"
    assert add["type"] == "text/calendar"
    assert agenda_site.path(add["href"]).is_file()
    assert titles(soup, "#event-news ~ .news-card a") == ["Report"]
    tags = [a["href"] for a in soup.select(".tags a")]
    assert tags == ["http://example.test/en/domains/high-tech/",
                    "http://example.test/en/partners/pom-limburg/"]


def test_the_news_item_links_back_to_its_event(agenda_site):
    soup = agenda_site.soup("nl/nieuws/report/")
    links = soup.select(".event-links .event-card__title a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Bezoek", "http://example.test/nl/agenda/visit/")]


def json_ld_event(soup):
    data = json.loads(soup.find("script", type="application/ld+json").string)
    return next(part for part in data["@graph"] if part["@type"] == "Event")


def test_json_ld_event_of_a_timed_event(agenda_site):
    found = json_ld_event(agenda_site.soup("en/agenda/timed/"))
    assert found == {
        "@type": "Event",
        "name": "Afternoon",
        "description": "Afternoon in het kort.",
        "url": "http://example.test/en/agenda/timed/",
        "inLanguage": "en",
        "startDate": "2026-04-02T14:00:00+02:00",
        "endDate": "2026-04-02T16:30:00+02:00",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": [
            {"@type": "Organization", "name": "Brainport Foundation",
             "url": "http://example.test/en/partners/brainport/"},
            {"@type": "Organization", "name": "POM Antwerpen",
             "url": "http://example.test/en/partners/pom-antwerpen/"},
        ],
    }


def test_json_ld_event_of_an_all_day_event_with_a_place(agenda_site):
    found = json_ld_event(agenda_site.soup("nl/agenda/visit/"))
    assert found["startDate"] == "2026-03-12"
    assert "endDate" not in found
    assert found["location"] == {"@type": "Place", "name": "Belgisch Limburg",
                                 "address": "Belgisch Limburg"}
    assert [o["name"] for o in found["organizer"]] == ["POM Limburg"]


# --- Calendars ---------------------------------------------------------------------


def test_all_day_events_are_dates_with_the_next_day_as_end(agenda_site):
    raw = agenda_site.path("nl/agenda/fair/fair.ics").read_bytes()
    assert b"DTSTART;VALUE=DATE:20260504\r\n" in raw
    assert b"DTEND;VALUE=DATE:20260507\r\n" in raw
    (item,) = ics(agenda_site, "nl/agenda/fair/fair.ics").walk("VEVENT")
    assert item.decoded("DTSTART") == datetime.date(2026, 5, 4)


def test_timed_events_carry_the_brussels_time_zone(agenda_site):
    calendar = ics(agenda_site, "en/agenda/timed/timed.ics")
    raw = agenda_site.path("en/agenda/timed/timed.ics").read_bytes()
    assert b"DTSTART;TZID=Europe/Brussels:20260402T140000\r\n" in raw
    assert b"DTEND;TZID=Europe/Brussels:20260402T163000\r\n" in raw
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    (item,) = calendar.walk("VEVENT")
    start = item.decoded("DTSTART")
    assert start.astimezone(datetime.timezone.utc) == datetime.datetime(
        2026, 4, 2, 12, 0, tzinfo=datetime.timezone.utc)
    # Without an End, a timed event has no DTEND.
    (morning,) = ics(agenda_site, "en/agenda/winter/winter.ics").walk("VEVENT")
    assert "DTEND" not in morning
    assert morning.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=1)


def test_event_fields_are_in_the_calendars_language(agenda_site):
    nl = events_of(ics(agenda_site, "nl/agenda/agenda.ics"))
    en = events_of(ics(agenda_site, "en/agenda/agenda.ics"))
    assert sorted(nl) == ["Beurs", "Bezoek", "Middag", "Ochtend", "Ouder", "Vandaag"]
    assert sorted(en) == ["Afternoon", "Fair", "Morning", "Older", "Today", "Visit"]
    visit = nl["Bezoek"]
    assert str(visit["DESCRIPTION"]) == "Bezoek in het kort."
    assert visit["SUMMARY"].params["LANGUAGE"] == "nl"
    assert str(visit["LOCATION"]) == "Belgisch Limburg"
    assert str(visit["URL"]) == "http://example.test/nl/agenda/visit/"
    assert visit.decoded("DTSTAMP").tzinfo is not None
    calendar = ics(agenda_site, "nl/agenda/agenda.ics")
    assert str(calendar["X-WR-CALNAME"]) == "Brainport Eindhoven · Limburg · Kempen: Agenda"


def test_each_domain_has_a_calendar_of_its_events(agenda_site):
    assert sorted(events_of(ics(agenda_site, "en/domains/high-tech/agenda.ics"))) == [
        "Afternoon", "Visit"]
    assert sorted(events_of(ics(agenda_site, "en/domains/mobility/agenda.ics"))) == ["Today"]
    listed = [field.get_text() for field in
              agenda_site.soup("en/agenda/").select(".calendar-links textarea")]
    assert listed[0] == "http://example.test/en/agenda/agenda.ics"
    assert "http://example.test/en/domains/high-tech/agenda.ics" in listed


def test_uids_are_stable_and_a_rebuild_writes_the_same_bytes(tmp_path):
    write_files(tmp_path / "content", SITE)
    outputs = []
    for name in ("first", "second"):
        build_site(tmp_path / "content", tmp_path / name / "output", siteurl="http://example.test",
                   AGENDA={"today": TODAY}, SEARCH={"index": False})
        outputs.append({k: v for k, v in files_of(tmp_path / name / "output").items()
                        if k.endswith(".ics")})
    assert len(outputs[0]) == 12 + 2 * 3  # 12 events; per language one calendar and 2 domains
    assert outputs[0] == outputs[1]
    nl = {str(e["SUMMARY"]): str(e["UID"]) for e in Calendar.from_ical(
        outputs[0]["nl/agenda/agenda.ics"]).walk("VEVENT")}
    single = Calendar.from_ical(outputs[0]["nl/agenda/visit/visit.ics"])
    assert [str(e["UID"]) for e in single.walk("VEVENT")] == [nl["Bezoek"]]
    en = {str(e["UID"]) for e in Calendar.from_ical(outputs[0]["en/agenda/agenda.ics"]).walk("VEVENT")}
    assert len(set(nl.values()) | en) == 12


def test_every_calendar_of_the_real_site_parses(site):
    files = sorted(site.output.rglob("*.ics"))
    assert len(files) == 4 + 2 + 2 * 3  # 2 events x 2 languages, 2 languages, 3 domains x 2
    for path in files:
        calendar = Calendar.from_ical(path.read_bytes())
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
        for item in calendar.walk("VEVENT"):
            for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL"):
                assert name in item, (path, name)
            assert site.path(str(item["URL"])).is_file()


# --- A real calendar program ------------------------------------------------------


def khal_list(tmp_path, ics_files, timezone):
    """Import `ics_files` into a new khal calendar; return `khal list` for spring 2026."""
    require(shutil.which("khal"), "khal is not installed (apt-get install khal)")
    folder = tmp_path / f"khal-{timezone.replace('/', '-')}"
    (folder / "calendar").mkdir(parents=True)
    config = folder / "config"
    config.write_text(
        f"[calendars]\n[[agenda]]\npath = {folder / 'calendar'}\ntype = calendar\n"
        f"[sqlite]\npath = {folder / 'khal.db'}\n"
        f"[locale]\nlocal_timezone = {timezone}\ndefault_timezone = {timezone}\n"
        "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n", "utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(folder), "LANG": "C.UTF-8"}
    for path in ics_files:
        result = subprocess.run(["khal", "-c", str(config), "import", "--batch", "-a", "agenda",
                                 str(path)], capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "error" not in result.stderr.lower(), result.stderr
    result = subprocess.run(
        ["khal", "-c", str(config), "list", "--format", "{start} | {end} | {title} | {location}",
         "--day-format", "", "2025-11-01", "2026-06-30"],
        capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    # An event of several days is listed on each of its days.
    return sorted({line for line in result.stdout.splitlines() if line.strip()})


def test_khal_imports_the_calendar_with_the_right_times(agenda_site, tmp_path):
    lines = khal_list(tmp_path, [agenda_site.path("en/agenda/agenda.ics")], "Europe/Brussels")
    assert lines == [
        "2025-11-20 | 2025-11-20 | Older | ",
        "2026-03-12 | 2026-03-12 | Visit | Belgisch Limburg",
        "2026-03-15 | 2026-03-15 | Today | ",
        # khal gives an event without an end (no DTEND) an hour.
        "2026-03-20 09:30 | 2026-03-20 10:30 | Morning | ",
        "2026-04-02 14:00 | 2026-04-02 16:30 | Afternoon | ",
        "2026-05-04 | 2026-05-06 | Fair | ",
    ]


def test_khal_in_another_time_zone_sees_the_same_moment(agenda_site, tmp_path):
    files = [agenda_site.path(f"en/agenda/{name}/{name}.ics") for name in ("timed", "winter")]
    lines = khal_list(tmp_path, files, "UTC")
    assert lines == [
        "2026-03-20 08:30 | 2026-03-20 09:30 | Morning | ",
        "2026-04-02 12:00 | 2026-04-02 14:30 | Afternoon | ",
    ]


def test_khal_accepts_every_calendar_of_the_real_site(site, tmp_path):
    lines = khal_list(tmp_path, sorted(site.output.glob("*/agenda/agenda.ics")), "Europe/Brussels")
    assert "2026-03-12 | 2026-03-12 | Visit of a European delegation to Limburg | Belgian Limburg" in lines
    assert "2026-03-18 | 2026-03-18 | Ondertekening van het samenwerkingscharter | " in lines


# --- Newsletter editions ------------------------------------------------------------


def test_an_edition_lists_the_events_not_over_on_its_date(fixture_site):
    files = dict(SITE)
    for lang, title in (("nl", "April"), ("en", "April")):
        files[f"editions/2026-04.{lang}.md"] = page(title, Date="2026-04-01", Slug="2026-04",
                                                     Summary="S.")
    site = fixture_site(files, AGENDA={"today": "2027-01-01"}, SEARCH={"index": False})
    web = site.soup("en/newsletter/2026-04/")
    section = web.find(id="edition-events").parent
    assert titles(section, ".event-card__title a") == ["Afternoon", "Fair"]
    html = BeautifulSoup(site.path("en/newsletter/2026-04/email.html").read_text("utf-8"),
                         "html.parser")
    links = [a["href"] for a in html.find_all("a")]
    assert "http://example.test/en/agenda/timed/" in links
    assert "http://example.test/en/agenda/fair/" in links
    assert "http://example.test/en/agenda/visit/" not in links
    text = site.path("nl/nieuwsbrief/2026-04/email.txt").read_text("utf-8")
    assert ("---\n\nKomende activiteiten\n\nMiddag\ndonderdag 2 april 2026, 14:00–16:30\n"
            "Lees meer: http://example.test/nl/agenda/timed/\n\nBeurs\n") in text


def test_the_march_edition_has_no_events_section(site):
    # Both events of the newsletter took place before the edition's date.
    assert site.soup("en/newsletter/march-2026/").find(id="edition-events") is None


# --- Validation ------------------------------------------------------------------------

MISTAKES = {
    "events/backwards.nl.md": event("Achteruit", "2026-03-18", End="2026-03-17",
                                    Single_language="true"),
    "events/no-day.nl.md": event("Geen dag", "2026-02-30", Single_language="true"),
    "events/no-start.nl.md": page("Geen start", Summary="S.", Single_language="true"),
    "events/only-time.nl.md": event("Enkel uur", "14:00", Single_language="true"),
    "events/end-time.nl.md": event("Einduur", "2026-03-18 10:00", End="16:00",
                                   Single_language="true"),
    "events/mixed.nl.md": event("Gemengd", "2026-03-18 10:00", End="2026-03-19",
                                Single_language="true"),
    "events/early.nl.md": event("Vroeg", "2026-03-18 10:00", End="2026-03-18 09:00",
                                Single_language="true"),
}


def test_event_mistakes_fail_the_build_naming_file_and_field(tmp_path):
    write_files(tmp_path / "content", MISTAKES)
    result = run_build(tmp_path, tmp_path / "content")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/events/")]
    assert lines == [
        "content/events/backwards.nl.md: end: the end (2026-03-17) is before the start "
        "(2026-03-18); check both (error)",
        "content/events/early.nl.md: end: the end (2026-03-18 09:00) is before the start "
        "(2026-03-18 10:00); check both (error)",
        "content/events/end-time.nl.md: end: '16:00' is a time without a date; write the day "
        "before it, e.g. 2026-03-18 16:00 (error)",
        "content/events/mixed.nl.md: end: Start and End must both have a time, or both be dates "
        "only (an all-day event); e.g. Start: 2026-03-18 14:00 and End: 2026-03-18 16:00 (error)",
        "content/events/no-day.nl.md: start: '2026-02-30' is a date that does not exist; check "
        "the day and the month (error)",
        "content/events/no-start.nl.md: start: the Start line is missing or empty; add "
        "'Start: ...' at the top of the file (error)",
        "content/events/only-time.nl.md: start: '14:00' is a time without a date; write the day "
        "before it, e.g. 2026-03-18 14:00 (error)",
    ]
    assert not (tmp_path / "output").exists()


def test_a_wrong_build_date_is_reported(fixture_site):
    site = fixture_site(SITE, AGENDA={"today": "2026-13-01"}, SEARCH={"index": False})
    assert site.error_records() == [
        ("agenda", "(settings)", "AGENDA['today']",
         "'2026-13-01' is not a date; write year-month-day, e.g. 2026-03-15")]


# --- Real content and publishing ---------------------------------------------------------


@pytest.mark.parametrize("rel, news, when", [
    ("nl/agenda/ondertekening-charter/", "nl/nieuws/charter-ondertekend/", "woensdag 18 maart 2026"),
    ("en/agenda/charter-signing/", "en/news/charter-signed/", "Wednesday, 18 March 2026"),
    ("nl/agenda/bezoek-europese-delegatie/", "nl/nieuws/europese-delegatie-limburg/",
     "donderdag 12 maart 2026"),
    ("en/agenda/european-delegation-visit/", "en/news/european-delegation-limburg/",
     "Thursday, 12 March 2026"),
])
def test_the_newsletters_events_link_to_their_news_and_back(site, rel, news, when):
    soup = site.soup(rel)
    assert soup.select_one(".event-facts time").get_text() == when
    assert [a["href"] for a in soup.select("#event-news ~ .news-card a")] == [f"{site.siteurl}/{news}"]
    back = [a["href"] for a in site.soup(news).select(".event-links .event-card__title a")]
    assert back == [f"{site.siteurl}/{rel}"]


def test_the_subscribe_pages_offer_the_calendars(site):
    for rel, lang in (("nl/volg-ons/", "nl"), ("en/subscribe/", "en")):
        urls = [field.get_text() for field in site.soup(rel).select(".calendar-links textarea")]
        assert urls[0] == f"{site.siteurl}/{lang}/agenda/agenda.ics"
        assert len(urls) == 4
        assert all(site.path(url).is_file() for url in urls)


def test_the_workflow_also_runs_every_day():
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8")
    on = text.split("\non:\n", 1)[1].split("\n\n", 1)[0]
    assert re.search(r'^  schedule:\n    - cron: "\d+ \d+ \* \* \*"$', on, re.M), on


def test_newpost_scaffolds_an_event_pair_that_builds(fixture_site, tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from newpost import scaffold

    paths = scaffold("Infosessie", kind="events", date="2026-05-01", content=tmp_path / "new",
                     title_en="Information session")
    texts = {path.name: path.read_text("utf-8") for path in paths}
    assert texts["infosessie.nl.md"].splitlines()[:3] == [
        "Title: Infosessie", "Start: 2026-05-01", "End:"]
    site = fixture_site({f"events/{name}": text for name, text in texts.items()},
                        AGENDA={"today": TODAY}, SEARCH={"index": False})
    assert site.errors() == []
    assert titles(site.soup("en/agenda/"), ".event-card__title a") == ["Information session"]


def test_a_rebuild_on_a_later_day_moves_the_agenda_on(tmp_path, monkeypatch):
    # Rebuilds skip pages whose inputs did not change: the build date is one,
    # even when it comes from outside the settings (the clock, PORTAL_TODAY).
    write_files(tmp_path / "content", SITE)
    out = tmp_path / "site" / "output"
    for today, expected in (("2026-03-15", ["Today", "Morning", "Afternoon"]),
                            ("2026-04-03", ["Fair"])):
        monkeypatch.setenv("PORTAL_TODAY", today)
        build_site(tmp_path / "content", out, siteurl="http://example.test",
                   SEARCH={"index": False})
        soup = BeautifulSoup((out / "en" / "index.html").read_text("utf-8"), "html.parser")
        assert titles(soup, "#home-events ~ .event-card a") == expected


def test_an_unknown_setting_key_is_reported_once(fixture_site):
    site = fixture_site(SITE, AGENDA={"today": TODAY, "timezones": "UTC"}, SEARCH={"index": False})
    assert site.error_records() == [
        ("agenda", "(settings)", "AGENDA",
         "unknown key 'timezones' in the AGENDA setting; did you mean 'timezone'?")]
