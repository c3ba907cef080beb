"""Pictures: responsive images, lead images and share cards, made with Pillow.

- Every raster image under `content/images/` that content uses is written in
  a set of widths (never wider than the source) as AVIF and WebP with a JPEG
  (PNG for a transparent source) fallback, upright and without EXIF or any
  other metadata. The originals are not published: a phone photo's GPS
  position never goes online. SVG files are copied as they are.
- Results are kept in `<CACHE_PATH>/images/`, in a folder per source named by
  the source's content hash (and the settings): an unchanged image costs a
  look-up on a rebuild.
- An image in Markdown becomes `<figure>` + `<picture>` (`markup.py` settles
  the figure and caption, `upgrade_html` the sources, `srcset`, `sizes`,
  `width`/`height`, `loading="lazy"`, `decoding="async"`).
- An item's lead image (`Image`, `Image_alt`, `Image_caption`,
  `Image_credit`) is offered to templates as `lead_picture(item)`,
  `thumb_picture(item)` and `lead_image(item)`.
- Every page gets a share card for `og:image` (`share_card(doc)`): its lead
  image cropped to 1200x630, else a card drawn with its title and the site's
  name (`cards.py`), drawn beside the pages (`portal.sidework`): by the
  processes that write them in a fast build.

Problems are logged as `[images] <file>: <field>: <what to fix>`: errors for a
missing or empty `Image_alt`, an image file that does not exist or cannot be
read, an alt text that is the file's name; warnings for a lead image under
`min_lead_width` pixels wide or a source over `max_bytes`.
"""

import hashlib
import json
import logging
import multiprocessing
import os
import posixpath
import re
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from html import escape, unescape

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.contents import Static

from portal import compat, linker, model, problems, sidework
from portal.cache import previous_output
from portal.settings import enabled, plugin_settings

from . import cards as card_drawing
from . import process

logger = logging.getLogger(__name__)
LOG_PREFIX = "[images]"

DEFAULTS = {
    # Folder of the images, under the content folder.
    "folder": "images",
    # Widths written of every image (none wider than the source).
    "widths": [480, 800, 1200, 1600],
    # Modern formats offered first; a JPEG (PNG if transparent) is the fallback.
    "formats": ["avif", "webp"],
    "quality": {"avif": 55, "webp": 78, "jpeg": 80, "avif_speed": 8},
    # How wide a body image is shown, for the browser to pick from `srcset`.
    "sizes": "(min-width: 46rem) 44rem, calc(100vw - 2rem)",
    # The small crop for news cards, lists and search results (and twice that).
    "thumb": [320, 180],
    "thumb_sizes": "(min-width: 40rem) 10rem, 6rem",
    # Share cards (og:image), and the cards drawn for pages without an image.
    "card": [1200, 630],
    "cards": True,
    "card_colours": ["#0b5cad", "#ffffff"],
    "font": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    # Width of the lead image in the e-mail version of an edition.
    "email_width": 560,
    # Warnings: a lead image narrower than this, a source larger than this.
    "min_lead_width": 800,
    "max_bytes": 20 * 1024 * 1024,
    # Worker processes for making image variants (0 or 1: in the build process),
    # and fewer jobs than this are done in the build process.
    "workers": min(2, os.cpu_count() or 1),
    "min_jobs_for_workers": 4,
}
RASTER = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".avif"}
CARD_FOLDER = "cards"
# Drawing a card takes about as long as writing this many pages.
CARD_WEIGHT = 0.8

# What was done in the last build (tests and the benchmark read it).
STATS = {"processed": 0, "reused": 0, "cards_drawn": 0}

_build = {}


get_settings = plugin_settings("IMAGES", DEFAULTS, "images")


def _listed(settings):
    return enabled(settings, "images")


# --- The build's state ------------------------------------------------------------

class Build:
    """What one build knows about its images: the sources read, the files to
    publish ({output path: cache file}) and the work still to do."""

    def __init__(self, settings):
        self.settings = settings
        self.conf = get_settings(settings)
        self.root = settings["PATH"]
        self.siteurl = settings.get("SITEURL", "").rstrip("/")
        self.cache = os.path.join(settings.get("CACHE_PATH", "cache"), "images")
        self.index_file = os.path.join(self.cache, "index.json")
        try:
            with open(self.index_file, encoding="utf-8") as handle:
                self.index = json.load(handle)
        except (OSError, ValueError):
            self.index = {}
        self.index_changed = False
        self.sources = {}
        self.publish = {}
        self.jobs = {}       # cache folder -> (source path, [jobs])
        self.cards = {}      # output path of a drawn card -> (title, site name)
        self.cards_seen = set()  # output paths `queue_cards` has decided on
        self.output = os.path.abspath(settings["OUTPUT_PATH"])
        self.previous = previous_output(settings)
        self.problems = set()
        # The processing code, Pillow's version and the settings; not the rest
        # of our code, so that a change elsewhere does not make every image again.
        digest = hashlib.sha256(process.PILLOW_VERSION.encode())
        with open(process.__file__, "rb") as handle:
            digest.update(handle.read())
        digest.update(repr([self.conf[k] for k in ("widths", "formats", "quality", "thumb",
                                                   "card")]).encode())
        self.variant_key = digest.hexdigest()[:10]
        card_digest = hashlib.sha256(digest.digest())
        with open(card_drawing.__file__, "rb") as handle:
            card_digest.update(handle.read())
        card_digest.update(repr([self.conf[k] for k in ("card_colours", "font")]).encode())
        self.card_key = card_digest.hexdigest()

    # Sources --------------------------------------------------------------------

    def source(self, rel):
        """Facts of the image at `rel` (below the content folder): its content
        hash, size, transparency; None when missing, {"error": ...} when
        unreadable."""
        if rel in self.sources:
            return self.sources[rel]
        path = os.path.join(self.root, rel)
        try:
            stat = os.stat(path)
        except OSError:
            self.sources[rel] = None
            return None
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        known = self.index.get(rel)
        if known and known.get("stamp") == stamp:
            facts = known["facts"]
        else:
            with open(path, "rb") as handle:
                sha = hashlib.sha256(handle.read()).hexdigest()
            if known and known.get("sha") == sha:
                facts = known["facts"]
            else:
                try:
                    facts = process.read_facts(path)
                except process.Unreadable as error:
                    facts = {"error": str(error)}
                facts["sha"] = sha
                facts["bytes"] = stat.st_size
            self.index[rel] = {"stamp": stamp, "sha": facts["sha"], "facts": facts}
            self.index_changed = True
        self.sources[rel] = facts
        return facts

    # Variants -------------------------------------------------------------------

    def _folder(self, facts):
        return os.path.join(self.cache, facts["sha"][:2], f"{facts['sha']}-{self.variant_key}")

    def _variant(self, rel, facts, name, ratio, width, height, fmt):
        """Plan one file: (URL, width, height); queued when not in the cache."""
        stem, _ = posixpath.splitext(rel)
        out = f"{stem}-{facts['sha'][:8]}-{name}.{process.EXTENSIONS[fmt]}"
        folder = self._folder(facts)
        cached = os.path.join(folder, posixpath.basename(out))
        self.publish[out] = cached
        if not os.path.exists(cached):
            path, jobs = self.jobs.setdefault(folder, (os.path.join(self.root, rel), []))
            job = (posixpath.basename(out), ratio, width, height, fmt)
            if job not in jobs:
                jobs.append(job)
        return (f"{self.siteurl}/{out}", width, height)

    def _formats(self, facts):
        return list(self.conf["formats"]) + ["png" if facts["alpha"] else "jpeg"]

    def responsive(self, rel, facts):
        """The image at full shape: {format: [(URL, w, h), ...]}, the fallback
        format, and the fallback's largest size."""
        width, height = facts["width"], facts["height"]
        largest = max(self.conf["widths"])
        widths = sorted({w for w in self.conf["widths"] if w < width} | {min(width, largest)})
        sets = {}
        for fmt in self._formats(facts):
            sets[fmt] = [self._variant(rel, facts, f"{w}w", None, w,
                                       max(1, round(height * w / width)), fmt) for w in widths]
        fallback = self._formats(facts)[-1]
        return {"sets": sets, "fallback": fallback, "width": sets[fallback][-1][1],
                "height": sets[fallback][-1][2]}

    def _crop_size(self, facts, ratio):
        width, height = facts["width"], facts["height"]
        if width / height > ratio:
            return round(height * ratio), height
        return width, round(width / ratio)

    def thumb(self, rel, facts):
        tw, th = self.conf["thumb"]
        ratio = tw / th
        cw, _ = self._crop_size(facts, ratio)
        widths = sorted({w for w in (tw, 2 * tw) if w <= cw} or {cw})
        sets = {}
        for fmt in self._formats(facts):
            sets[fmt] = [self._variant(rel, facts, f"thumb{w}", ratio, w, round(w / ratio), fmt)
                         for w in widths]
        fallback = self._formats(facts)[-1]
        return {"sets": sets, "fallback": fallback, "width": sets[fallback][0][1],
                "height": sets[fallback][0][2]}

    def card_crop(self, rel, facts):
        cw, ch = self.conf["card"]
        ratio = cw / ch
        width = min(cw, self._crop_size(facts, ratio)[0])
        url, w, h = self._variant(rel, facts, "card", ratio, width, round(width / ratio), "jpeg")
        return {"url": url, "width": w, "height": h, "type": "image/jpeg"}

    def drawn_card(self, title):
        """A card with `title` and the site's name. Its file name is a digest
        of what it shows, so a card of the same name in the output folder (or
        in the previous build's, when this build writes into a new one) is
        this card: only new titles are drawn."""
        site = self.settings.get("SITENAME", "")
        key = hashlib.sha256(f"{self.card_key}\0{title}\0{site}".encode()).hexdigest()[:16]
        out = f"{self.conf['folder']}/{CARD_FOLDER}/{key}.png"
        self.cards[out] = (title, site)
        width, height = self.conf["card"]
        return {"url": f"{self.siteurl}/{out}", "width": width, "height": height,
                "type": "image/png"}

    # Doing the work ---------------------------------------------------------------

    def work(self):
        """Make every queued variant (their sizes are needed for the feeds'
        enclosures); queue the cards to be drawn beside the pages."""
        conf = self.conf
        quality = conf["quality"]
        jobs = [("variants", (path, items, folder, quality))
                for folder, (path, items) in sorted(self.jobs.items())]
        if conf["workers"] > 1 and len(jobs) >= conf["min_jobs_for_workers"]:
            # Spawned, not forked: the build process may run threads by now.
            context = multiprocessing.get_context("spawn")
            # A spawned process imports this plugin again: from Pelican's plugin folder.
            plugins = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            added = plugins not in sys.path
            if added:
                sys.path.append(plugins)
            try:
                with ProcessPoolExecutor(max_workers=conf["workers"], mp_context=context) as pool:
                    list(pool.map(process.run_job, jobs, chunksize=8))
            finally:
                if added:
                    sys.path.remove(plugins)
        else:
            for job in jobs:
                process.run_job(job)
        STATS["processed"] = len(self.jobs)
        STATS["reused"] = len({os.path.dirname(c) for c in self.publish.values()}) - len(self.jobs)
        self.jobs = {}
        self.queue_cards()

    def queue_cards(self):
        """Cards already in the output folder stay; those in the previous
        build's folder are linked from there (by `portal.linker`, beside the
        build); the others are
        drawn beside the pages, straight into the output folder (through a
        temporary file where an interrupted build would leave half a card)."""
        conf = self.conf
        size, colours = tuple(conf["card"]), tuple(conf["card_colours"])
        for out, (title, site) in sorted(self.cards.items()):
            if out in self.cards_seen:
                continue
            self.cards_seen.add(out)
            target = os.path.join(self.output, out)
            if self.previous is None and os.path.exists(target):
                continue
            earlier = self.previous and os.path.join(self.previous, out)
            if earlier and os.path.exists(earlier):
                linker.link(self.output, earlier, target)  # beside the build
                continue
            STATS["cards_drawn"] += 1
            sidework.add(self.settings, card_drawing.draw_card, target, title, site,
                         conf["font"], size, colours, self.previous is None, weight=CARD_WEIGHT)
        if self.index_changed:
            os.makedirs(self.cache, exist_ok=True)
            with open(self.index_file + ".tmp", "w", encoding="utf-8") as handle:
                json.dump(self.index, handle, sort_keys=True, indent=0)
            os.replace(self.index_file + ".tmp", self.index_file)

    def write_output(self, output_path):
        """Link the made image variants from the cache into the output
        folder. In a folder that
        earlier builds wrote into, the files they published that are no
        longer needed (a changed title draws a new card) are removed."""
        if self.previous is None:
            self._remove_unpublished(output_path)
        made = set()
        for out, source in sorted(self.publish.items()):
            target = os.path.join(output_path, out)
            folder = os.path.dirname(target)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            try:
                os.link(source, target)
                continue
            except FileExistsError:
                if os.path.getsize(target) == os.path.getsize(source):
                    continue
                os.remove(target)
            except OSError:
                pass
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)

    def _remove_unpublished(self, output_path):
        listing = os.path.join(self.cache, "published.json")
        try:
            with open(listing, encoding="utf-8") as handle:
                before = json.load(handle)
        except (OSError, ValueError):
            before = {}
        root = os.path.abspath(output_path)
        # Folders gone (temporary folders of tools/build.py) are forgotten.
        before = {folder: files for folder, files in before.items()
                  if folder == root or os.path.isdir(folder)}
        published = set(self.publish) | set(self.cards)
        for out in sorted(set(before.get(root, [])) - published):
            try:
                os.remove(os.path.join(output_path, out))
            except OSError:
                pass
        before[root] = sorted(published)
        os.makedirs(self.cache, exist_ok=True)
        with open(listing + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(before, handle, sort_keys=True, indent=0)
        os.replace(listing + ".tmp", listing)


def _current(settings):
    build = _build.get("current")
    if build is None or build.settings is not settings:
        build = _build["current"] = Build(settings)
    return build


def problem(build, path, field, text, level=logging.ERROR):
    """Log a problem once per build."""
    if (path, field, text) in build.problems:
        return
    build.problems.add((path, field, text))
    problems.report("images", path, field, text, level)


# --- Images in the text -------------------------------------------------------------

IMG = re.compile(r"<img\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r'([a-zA-Z_:][-\w:.]*)\s*=\s*"([^"]*)"')
LINK_PREFIX = re.compile(r"^(?:\{(static|attach)\}|\|(static|attach)\|)")


def image_rel(src, item_rel, folder):
    """The content-relative path of an image `src` written in `item_rel`, or
    None when it is not one of ours."""
    match = LINK_PREFIX.match(src)
    path = src[match.end():] if match else src
    path = path.split("?", 1)[0].split("#", 1)[0]
    if not match:
        # Written without {static}: a path from the content folder.
        if not path.lstrip("/").startswith(folder + "/"):
            return None
        path = "/" + path.lstrip("/")
    if path.startswith("/"):
        rel = posixpath.normpath(path.lstrip("/"))
    else:
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(item_rel), path))
    if not rel.startswith(folder + "/") or posixpath.splitext(rel)[1].lower() not in RASTER:
        return None
    return rel


def alt_is_file_name(alt, rel):
    name = posixpath.basename(rel).lower()
    text = alt.strip().lower()
    return bool(text) and text in (name, posixpath.splitext(name)[0])


def picture_html(build, pictured, alt, loading="lazy", priority=None, sizes=None,
                 css_class=None):
    """`<picture>` with a `<source>` per modern format and the fallback `<img>`."""
    sizes = sizes or build.conf["sizes"]
    parts = ["<picture>"]
    for fmt, entries in pictured["sets"].items():
        srcset = ", ".join(f"{url} {w}w" for url, w, _ in entries)
        if fmt == pictured["fallback"]:
            continue
        parts.append(f'<source type="{process.FORMATS[fmt][1]}" srcset="{escape(srcset)}" '
                     f'sizes="{escape(sizes)}">')
    fallback = pictured["sets"][pictured["fallback"]]
    srcset = ", ".join(f"{url} {w}w" for url, w, _ in fallback)
    attrs = [f'src="{escape(fallback[-1][0])}"', f'srcset="{escape(srcset)}"',
             f'sizes="{escape(sizes)}"', f'width="{pictured["width"]}"',
             f'height="{pictured["height"]}"', f'alt="{escape(alt)}"']
    if css_class:
        attrs.insert(0, f'class="{css_class}"')
    if loading:
        attrs.append(f'loading="{loading}"')
    attrs.append('decoding="async"')
    if priority:
        attrs.append(f'fetchpriority="{priority}"')
    parts.append(f"<img {' '.join(attrs)}>")
    parts.append("</picture>")
    return "".join(parts)


def upgrade_html(build, html, item_rel):
    """`html` with each `<img>` of one of our raster images turned into a
    `<picture>`; problems named for `item_rel`."""

    def replace(match):
        attrs = {name.lower(): unescape(value) for name, value in ATTRIBUTE.findall(match[0])}
        rel = image_rel(attrs.get("src", ""), item_rel, build.conf["folder"])
        if rel is None:
            return match[0]
        facts = build.source(rel)
        if facts is None:
            if not LINK_PREFIX.match(attrs.get("src", "")):  # {static} links: validation
                problem(build, item_rel, "image", f"there is no image {rel} in the content "
                        "folder; check the file name and folder")
            return match[0]
        if "error" in facts:
            problem(build, item_rel, "image", f"{rel} is not an image that can be read "
                    f"({facts['error']}); save it again as JPEG or PNG")
            return match[0]
        alt = attrs.get("alt", "")
        if alt_is_file_name(alt, rel):
            problem(build, item_rel, "image", f"the alt text of {rel} is its file name; "
                    "describe what the picture shows instead")
        check_size(build, item_rel, "image", rel, facts, lead=False)
        return picture_html(build, build.responsive(rel, facts), alt)

    return IMG.sub(replace, html)


def check_size(build, item_rel, field, rel, facts, lead):
    if facts.get("bytes", 0) > build.conf["max_bytes"]:
        problem(build, item_rel, field, f"{rel} is {facts['bytes'] / 2**20:.0f} MB, more than "
                f"{build.conf['max_bytes'] / 2**20:.0f} MB; save a smaller version",
                logging.WARNING)
    if lead and facts["width"] < build.conf["min_lead_width"]:
        problem(build, item_rel, field, f"{rel} is {facts['width']} pixels wide; a lead image "
                f"should be at least {build.conf['min_lead_width']} pixels wide to look sharp",
                logging.WARNING)


def upgrade_content(content):
    """content_object_init: the images in an item's body."""
    if isinstance(content, Static) or not _listed(content.settings):
        return
    html = compat.body(content)
    if not html or "<img" not in html:
        return
    build = _current(content.settings)
    compat.set_body(content, upgrade_html(build, html, content.relative_source_path))


# --- Lead images and share cards ----------------------------------------------------

def _meta(item, field):
    value = item.metadata.get(field)
    return str(value).strip() if value is not None else ""


def lead_source(item, counterparts=()):
    """The `Image` of an item, or of its counterpart in the other language."""
    own = _meta(item, "image")
    if own:
        return own
    for other in counterparts:
        if other is not item and _meta(other, "image"):
            return _meta(other, "image")
    return ""


def resolve_lead(build, item, counterparts=()):
    """item.lead_image: {alt, caption, credit, picture, thumb, card, email} or None."""
    value = lead_source(item, counterparts)
    if not value:
        return None
    rel_item = item.relative_source_path
    rel = posixpath.normpath(value.lstrip("/"))
    if not rel.startswith(build.conf["folder"] + "/"):
        rel = f"{build.conf['folder']}/{rel}"
    alt = _meta(item, "image_alt")
    if not alt:
        problem(build, rel_item, "Image_alt", "the Image_alt line is missing or empty; describe "
                "in this file's language what the picture shows (Image_alt: ...), or write "
                "Image_alt: - for a purely decorative picture")
    facts = build.source(rel)
    if facts is None:
        problem(build, rel_item, "Image", f"there is no image {rel} in the content folder; "
                "check the file name and folder (Image: images/<file>)")
        return None
    if "error" in facts:
        problem(build, rel_item, "Image", f"{rel} is not an image that can be read "
                f"({facts['error']}); save it again as JPEG or PNG")
        return None
    if posixpath.splitext(rel)[1].lower() not in RASTER:
        problem(build, rel_item, "Image", f"{rel} is not a photo or picture (JPEG, PNG, WebP); "
                "use one of those")
        return None
    if alt and alt_is_file_name(alt, rel):
        problem(build, rel_item, "Image_alt", f"the alt text is the file name {rel}; describe "
                "what the picture shows instead")
    check_size(build, rel_item, "Image", rel, facts, lead=True)
    decorative = alt == "-"
    picture = build.responsive(rel, facts)
    largest = picture["sets"][picture["fallback"]]
    email = next((entry for entry in largest if entry[1] >= 2 * build.conf["email_width"]),
                 largest[-1])
    email_width = min(build.conf["email_width"], email[1])
    return {
        "alt": "" if decorative else alt,
        "caption": _meta(item, "image_caption"),
        "credit": _meta(item, "image_credit"),
        "picture": picture,
        "thumb": build.thumb(rel, facts),
        "card": build.card_crop(rel, facts),
        "email": {"url": email[0], "width": email_width,
                  "height": round(email_width * email[2] / email[1])},
        "enclosure": {"url": largest[-1][0], "type": process.FORMATS[picture["fallback"]][1],
                      "length": 0},
    }


def resolve_leads(generator):
    """article/page_generator_finalized: the lead image of every item, before
    any plugin looks at the items as a whole (search, feeds, templates)."""
    if not _listed(generator.settings):
        return
    build = _current(generator.settings)
    items = sorted(model.every_item([generator]), key=lambda i: i.relative_source_path)
    # Translations share one Image (paired by the bilingual plugin's key).
    groups = {}
    for item in items:
        groups.setdefault(getattr(item, "translation_key", None) or id(item), []).append(item)
    for item in items:
        item.lead_image = resolve_lead(
            build, item, groups[getattr(item, "translation_key", None) or id(item)])


def prepare(generators):
    """all_generators_finalized: lead images and share cards of every page,
    then the images made (in worker processes when there are many)."""
    settings = generators[0].settings
    if not _listed(settings):
        return
    build = _current(settings)
    STATS["cards_drawn"] = 0
    context = generators[0].context
    items = sorted(model.every_item(generators), key=lambda i: i.relative_source_path)
    for item in items:
        if not hasattr(item, "lead_image"):
            item.lead_image = None
    cards = {}
    drawn = build.conf["cards"]
    if drawn:
        cards[None] = build.drawn_card("")
    for item in items:
        lead = item.lead_image
        if lead:
            cards[item.url] = lead["card"]
        elif drawn:
            cards[item.url] = build.drawn_card(str(item.title))
    if drawn:
        for doc in list(context.get("listings", {}).values()) + list(
                context.get("search_pages", {}).values()):
            title = str(getattr(doc, "title", "") or "")
            cards[doc.url] = build.drawn_card(title) if title else cards[None]
    context["share_cards"] = cards
    build.work()
    # Sizes of the files the feeds' enclosures name are known now.
    for item in items:
        lead = item.lead_image
        if lead:
            out = lead["enclosure"]["url"][len(build.siteurl) + 1:]
            lead["enclosure"]["length"] = os.path.getsize(build.publish[out])


def publish(pelican):
    """finalized: copy the made files into the output folder."""
    if not _listed(pelican.settings):
        return
    build = _build.pop("current", None)
    if build is None:
        return
    if build.jobs:  # asked for after `prepare` (nothing should be)
        build.work()
    build.queue_cards()
    sidework.run_pending(pelican.settings)  # cards no page-writing process drew
    build.write_output(pelican.settings["OUTPUT_PATH"])
    logger.info("%s %d images made, %d from the cache, %d cards drawn", LOG_PREFIX,
                STATS["processed"], STATS["reused"], STATS["cards_drawn"])


def leave_out_originals(generator):
    """static_generator_finalized: our raster images are published as their
    variants only; the originals (with their metadata) stay out."""
    if not _listed(generator.settings):
        return
    folder = get_settings(generator.settings)["folder"] + "/"
    kept = []
    for static in generator.staticfiles:
        rel = static.relative_source_path.replace(os.sep, "/")
        if rel.startswith(folder) and posixpath.splitext(rel)[1].lower() in RASTER:
            continue
        kept.append(static)
    generator.staticfiles[:] = kept  # the context holds the same list


def use_figure_markup(pelican):
    """initialized: a new build; Markdown gets the figure extension."""
    _build.pop("current", None)
    settings = pelican.settings
    if not _listed(settings):
        return
    markdown = settings.setdefault("MARKDOWN", {})
    configs = markdown.setdefault("extension_configs", {})
    if "images.markup" not in configs and "images.markup" not in markdown.get("extensions", []):
        configs["images.markup"] = {}


# --- Templates ---------------------------------------------------------------------

def lead_picture(item):
    """The lead image at the top of an item: not lazy, fetched first."""
    lead = getattr(item, "lead_image", None)
    if not lead:
        return ""
    html = picture_html(_Shim(get_settings(item.settings)), lead["picture"], lead["alt"],
                        loading=None, priority="high")
    parts = []
    if lead["caption"]:
        parts.append(f'<span class="figure__caption">{escape(lead["caption"])}</span>')
    if lead["credit"]:
        parts.append(f'<span class="figure__credit">{escape(lead["credit"])}</span>')
    caption = f"<figcaption>{' '.join(parts)}</figcaption>" if parts else ""
    return Markup(f'<figure class="figure lead-image">{html}{caption}</figure>')


def thumb_picture(item):
    """The small crop of an item's lead image, for lists and cards."""
    lead = getattr(item, "lead_image", None)
    if not lead:
        return ""
    conf = get_settings(item.settings)
    return Markup(picture_html(_Shim(conf), lead["thumb"], lead["alt"],
                               sizes=conf["thumb_sizes"], css_class="thumb"))


class _Shim:
    def __init__(self, conf):
        self.conf = conf


def lead_image(item):
    return getattr(item, "lead_image", None)


@pass_context
def share_card(context, doc=None):
    """{url, width, height, type} of the page's share card (og:image), or None."""
    cards = context.get("share_cards") or {}
    url = getattr(doc, "url", None) if doc is not None else None
    return cards.get(url) or cards.get(None)


def install(generator):
    env = getattr(generator, "env", None)
    if env is None:
        return
    env.globals["lead_picture"] = lead_picture
    env.globals["thumb_picture"] = thumb_picture
    env.globals["lead_image"] = lead_image
    env.globals["share_card"] = share_card


def register():
    signals.initialized.connect(use_figure_markup)
    signals.content_object_init.connect(upgrade_content)
    signals.static_generator_finalized.connect(leave_out_originals)
    signals.article_generator_finalized.connect(resolve_leads)
    signals.page_generator_finalized.connect(resolve_leads)
    signals.all_generators_finalized.connect(prepare)
    signals.generator_init.connect(install)
    signals.finalized.connect(publish)
