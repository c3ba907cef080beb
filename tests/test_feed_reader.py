"""A real feed reader (Debian's newsboat) subscribed to the Dutch and English
newsletter feeds, served over HTTP, shows every news item with its date."""

import email.utils
import os
import shutil
import sqlite3
import subprocess

import feedparser
import pytest

from conftest import require

NEWSBOAT = shutil.which("newsboat") or "/usr/bin/newsboat"
FEEDS = {"nl": "nl/nieuws/rss.xml", "en": "en/news/rss.xml"}


@pytest.fixture(scope="module")
def reader_cache(served_site, tmp_path_factory):
    """newsboat's SQLite cache after one `reload` of both language feeds."""
    require(os.path.exists(NEWSBOAT), "newsboat is not installed (apt-get install newsboat)")
    home = tmp_path_factory.mktemp("newsboat")
    urls = home / "urls"
    urls.write_text("".join(f"{served_site.siteurl}/{path}\n" for path in FEEDS.values()))
    (home / "config").write_text("")
    cache = home / "cache.db"
    subprocess.run(
        [NEWSBOAT, "-C", str(home / "config"), "-u", str(urls), "-c", str(cache), "-x", "reload"],
        env=dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home), XDG_DATA_HOME=str(home)),
        check=True, timeout=60, capture_output=True,
    )
    with sqlite3.connect(cache) as db:
        yield db


@pytest.mark.parametrize("lang", sorted(FEEDS))
def test_reader_shows_every_news_item_with_its_date(served_site, reader_cache, lang):
    url = f"{served_site.siteurl}/{FEEDS[lang]}"
    expected = {
        entry.link: email.utils.parsedate_to_datetime(entry.published).timestamp()
        for entry in feedparser.parse(served_site.path(url).read_bytes()).entries
    }
    assert expected
    stored = dict(reader_cache.execute(
        "select url, pubDate from rss_item where feedurl = ?", (url,)
    ).fetchall())
    assert stored == expected


@pytest.mark.parametrize("lang", sorted(FEEDS))
def test_reader_takes_the_feed_title_and_permalink_guids(served_site, reader_cache, lang):
    url = f"{served_site.siteurl}/{FEEDS[lang]}"
    title = reader_cache.execute("select title from rss_feed where rssurl = ?", (url,)).fetchone()
    assert title and title[0]
    for guid, link in reader_cache.execute(
        "select guid, url from rss_item where feedurl = ?", (url,)
    ):
        assert guid == link and link.startswith(f"{served_site.siteurl}/{lang}/")
