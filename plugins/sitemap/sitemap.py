"""`sitemap.xml` with hreflang alternates, and `robots.txt` naming it.

After Pelican has written everything, every web page in the output folder is
listed once, with the `hreflang` alternates its own `<head>` declares (the
page, its counterpart and `x-default`), so the sitemap always agrees with the
pages, whatever plugin wrote them. Left out: 404 pages, the e-mail exports of
newsletter editions, pages marked `noindex`, and pages whose canonical address
is another page. Entries are sorted and no build time is written, so two
builds give the same bytes.

What a page's head declares is kept in `<CACHE_PATH>/sitemap.pickle` with the
file's size, time and inode: a rebuild reads only the pages written again, and
writes the sitemap again only when a page came, went or changed its head.
"""

import logging
import os
import re
from xml.sax.saxutils import escape, quoteattr

from pelican import signals
from portal import linker
from portal.settings import plugin_settings
from portal.cache import Store, fingerprint, link_previous, link_stamp

logger = logging.getLogger(__name__)
LOG_PREFIX = "[sitemap]"

DEFAULTS = {
    "sitemap": "sitemap.xml",
    "robots": "robots.txt",
    # File names (not paths) that are never listed.
    "exclude_names": ["404.html", "email.html"],
}

HEAD_END = re.compile(r"</head\s*>", re.I)
HEAD_END_BYTES = re.compile(rb"</head\s*>", re.I)
TAG = re.compile(r"<(link|meta)\b([^>]*)>", re.I)
ATTR = re.compile(r'([a-zA-Z:-]+)\s*=\s*"([^"]*)"')


get_settings = plugin_settings("SITEMAP", DEFAULTS, "sitemap")


def head_links(html):
    """(canonical, [(hreflang, href)], noindex) from a page's `<head>`."""
    head = HEAD_END.split(html, 1)[0]
    canonical, alternates, noindex = None, [], False
    for name, attrs in TAG.findall(head):
        low = attrs.lower()
        if "robots" not in low and "canonical" not in low and "hreflang" not in low:
            continue  # most of a head's tags (a page has dozens) say none of the three
        values = {key.lower(): value for key, value in ATTR.findall(attrs)}
        if name.lower() == "meta":
            noindex |= values.get("name") == "robots" and "noindex" in values.get("content", "")
        elif values.get("rel") == "canonical":
            canonical = values.get("href")
        elif values.get("rel") == "alternate" and "hreflang" in values:
            alternates.append((values["hreflang"], values.get("href", "")))
    return canonical, sorted(set(alternates)), noindex


def read_head(path, chunk=16384):
    """The start of a page up to and including `</head>` (all of it if none):
    the body is never needed, and most of a page's bytes are body. Read as
    bytes: only the head is decoded."""
    data = b""
    with open(path, "rb") as handle:
        while part := handle.read(chunk):
            data += part
            end = HEAD_END_BYTES.search(data, max(0, len(data) - len(part) - 8))
            if end:
                return data[:end.end()].decode("utf-8")
    return data.decode("utf-8")


def page_url(siteurl, rel):
    """The address of an output file: `nl/x/index.html` -> `<SITEURL>/nl/x/`."""
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return f"{siteurl}/{rel}"


def html_files(output, exclude_names):
    """(relative path, DirEntry) of every listed page name below `output`, in
    sorted order."""
    found = []

    def walk(folder, prefix):
        with os.scandir(folder) as listing:
            for entry in sorted(listing, key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, prefix + entry.name + "/")
                elif entry.name.endswith(".html") and entry.name not in exclude_names:
                    found.append((prefix + entry.name, entry))

    walk(output, "")
    return found


def entries(output, siteurl, conf, cache=None):
    """`{url: [(hreflang, href)]}` for every listed page in `output`, and
    whether that can differ from the last run.

    `cache` maps a page's relative path to `(stamp, head_links)` from an
    earlier run; it is updated to hold exactly the pages seen now."""
    cache = {} if cache is None else cache
    seen = set()
    found = {}
    changed = False
    for rel, entry in html_files(output, conf["exclude_names"]):
        stat = entry.stat()
        stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        seen.add(rel)
        known = cache.get(rel)
        if known is None or known[0] != stamp:
            links = head_links(read_head(entry.path))
            changed |= known is None or known[1] != links
            cache[rel] = (stamp, links)
        canonical, alternates, noindex = cache[rel][1]
        url = page_url(siteurl, rel)
        if noindex or (canonical and canonical != url):
            continue
        found[url] = alternates
    for rel in set(cache) - seen:
        del cache[rel]
        changed = True
    return found, changed


def render(found):
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for url in sorted(found):
        lines.append(f"  <url>\n    <loc>{escape(url)}</loc>")
        for hreflang, href in found[url]:
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(hreflang)} '
                f"href={quoteattr(href)}/>"
            )
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write(pelican):
    conf = get_settings(pelican.settings)
    siteurl = pelican.settings["SITEURL"]
    output = pelican.output_path
    store = Store(pelican.settings, "sitemap.pickle")
    key = fingerprint(pelican.settings, siteurl)
    cache = store.load(key) or {"siteurl": siteurl, "pages": {}}
    before = dict(cache["pages"])
    linker.wait(output)  # pages linked from the previous build beside it are all there
    found, changed = entries(output, siteurl, conf, cache["pages"])
    sitemap = os.path.join(output, conf["sitemap"])
    # The same pages with the same heads as last time give the same sitemap
    # (written before the cache that says so); in a new output folder, the
    # file the last build wrote is linked when it is still in its folder.
    written = cache.get("written")
    if changed or not os.path.exists(sitemap):
        if changed or not link_previous(pelican.settings, output, conf["sitemap"], written):
            with open(sitemap, "w", encoding="utf-8") as out:
                out.write(render(found))
        cache["written"] = link_stamp(sitemap)
    if cache["pages"] != before or cache.get("written") != written:
        store.save(key, cache)
    with open(os.path.join(output, conf["robots"]), "w", encoding="utf-8") as out:
        out.write(f"User-agent: *\nAllow: /\n\nSitemap: {siteurl}/{conf['sitemap']}\n")


def register():
    signals.finalized.connect(write)
