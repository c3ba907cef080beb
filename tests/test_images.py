"""Pictures: responsive images, lead images, share cards, and the checks on them.

Every image here is made by the test with Pillow: a 2400x1600 phone-like
photo with a GPS position and an orientation tag in its EXIF.
"""

import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from conftest import ROOT, page, run_build, write_files

sys.path.insert(0, str(ROOT / "plugins"))

SITEURL = "http://example.test"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width=2400, height=1600, orientation=6, gps=True, fmt="JPEG"):
    """A photo as a phone saves it: detailed pixels, EXIF with GPS and an
    orientation tag (6: shown turned a quarter to the right)."""
    image = Image.new("RGB", (width, height), (40, 90, 140))
    draw = ImageDraw.Draw(image)
    for step in range(0, width, 37):
        draw.line((step, 0, width - step, height), fill=(step % 255, 120, 200 - step % 200),
                  width=9)
    for step in range(0, height, 53):
        draw.ellipse((step, step // 2, step + 300, step // 2 + 200), outline=(250, 200, 30),
                     width=5)
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 26.0, 24.0), 3: "E", 4: (5.0, 28.0, 12.0)})
    out = io.BytesIO()
    image.save(out, fmt, quality=95, exif=exif.tobytes())
    return out.getvalue()


def item(title, body="Tekst.", **meta):
    return page(title, body, date="2026-03-18", summary="Kort.", **meta)


def pair(nl_meta=None, en_meta=None, nl_body="Tekst.", en_body="Text."):
    return {
        "news/x.nl.md": item("Een foto", nl_body, **(nl_meta or {})),
        "news/x.en.md": item("A photo", en_body, **(en_meta or {})),
    }


LEAD = {"Image": "images/harbour.jpg", "Image_alt": "Drie schepen in de haven",
        "Image_caption": "De haven in maart", "Image_credit": "Foto: Stichting Brainport"}
LEAD_EN = {"Image_alt": "Three ships in the harbour", "Image_caption": "The harbour in March",
           "Image_credit": "Photo: Stichting Brainport"}
BODY = 'Voor.\n\n![Een kaart van de regio]({static}/images/map.jpg "De regio op de kaart")\n\nNa.'


@pytest.fixture
def photo_site(fixture_site):
    files = pair(LEAD, LEAD_EN, nl_body=BODY)
    files["images/harbour.jpg"] = photo()
    files["images/map.jpg"] = photo(orientation=1)
    site = fixture_site(files, siteurl=SITEURL)
    site.sources = {"harbour": files["images/harbour.jpg"], "map": files["images/map.jpg"]}
    return site


def errors(site):
    return [r.getMessage() for r in site.records if r.levelno >= logging.ERROR]


def output_images(site):
    return sorted(p for p in site.output.rglob("*")
                  if p.suffix in (".jpg", ".jpeg", ".png", ".webp", ".avif"))


def test_the_lead_image_is_a_picture_fetched_first(photo_site):
    assert errors(photo_site) == []
    soup = photo_site.soup("en/news/x/")
    lead = soup.select_one("article figure.lead-image")
    picture = lead.find("picture")
    types = [s["type"] for s in picture.find_all("source")]
    assert types == ["image/avif", "image/webp"]
    img = picture.find("img")
    assert img["alt"] == "Three ships in the harbour"
    assert img["fetchpriority"] == "high"
    assert not img.has_attr("loading")
    # The orientation tag turns 2400x1600 upright: 1600x2400, at most 1600 wide.
    assert (img["width"], img["height"]) == ("1600", "2400")
    assert [entry.split()[-1] for entry in img["srcset"].split(", ")] == [
        "480w", "800w", "1200w", "1600w"]
    assert lead.figcaption.get_text(" ", strip=True) == (
        "The harbour in March Photo: Stichting Brainport")


def test_a_body_image_becomes_a_lazy_figure_with_caption(photo_site):
    soup = photo_site.soup("nl/nieuws/x/")
    figure = soup.select_one(".content__body figure")
    img = figure.find("img")
    assert [s["type"] for s in figure.find_all("source")] == ["image/avif", "image/webp"]
    assert img["loading"] == "lazy"
    assert img["decoding"] == "async"
    assert (img["width"], img["height"]) == ("1600", "1067")
    assert img["alt"] == "Een kaart van de regio"
    assert figure.figcaption.get_text(strip=True) == "De regio op de kaart"
    for source in figure.find_all("source"):
        for entry in source["srcset"].split(", "):
            url = entry.split()[0]
            assert url.startswith(SITEURL + "/images/")
            assert photo_site.path(url).exists(), url


def test_no_output_file_has_metadata_and_each_is_smaller(photo_site):
    made = output_images(photo_site)
    assert {p.suffix for p in made} >= {".avif", ".webp", ".jpg", ".png"}
    smallest_source = min(len(data) for data in photo_site.sources.values())
    for path in made:
        with Image.open(path) as image:
            assert not image.getexif(), path
            assert not {"exif", "xmp", "icc_profile"} & set(image.info), path
        if "/cards/" not in path.as_posix():
            assert path.stat().st_size < smallest_source, path
    # The originals (with their GPS position) are not published.
    assert not (photo_site.output / "images" / "harbour.jpg").exists()
    assert not (photo_site.output / "images" / "map.jpg").exists()


def test_share_cards_are_absolute_and_exist(photo_site):
    soup = photo_site.soup("nl/nieuws/x/")
    image = soup.find("meta", property="og:image")["content"]
    assert image.startswith(SITEURL + "/images/harbour-")
    with Image.open(photo_site.path(image)) as card:
        assert card.size == (1200, 630)
    assert soup.find("meta", property="og:image:width")["content"] == "1200"
    assert soup.find("meta", property="og:image:height")["content"] == "630"
    assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    import json
    data = json.loads(soup.find("script", type="application/ld+json").string)
    article = next(part for part in data["@graph"] if part["@type"] == "NewsArticle")
    assert article["image"] == [image]
    # A page without an image gets a card drawn with its title.
    other = photo_site.soup("nl/nieuws/")
    drawn = other.find("meta", property="og:image")["content"]
    assert re.match(re.escape(SITEURL) + r"/images/cards/[0-9a-f]{16}\.png$", drawn)
    with Image.open(photo_site.path(drawn)) as card:
        assert card.size == (1200, 630)


def test_feeds_and_the_email_edition_carry_the_image(fixture_site):
    files = pair(LEAD, LEAD_EN)
    files["images/harbour.jpg"] = photo()
    files["editions/2026-03.nl.md"] = page("Editie maart", "Voorwoord.", date="2026-03-20",
                                           summary="K.", news="x")
    files["editions/2026-03.en.md"] = page("March edition", "Foreword.", date="2026-03-20",
                                           summary="K.", news="x")
    site = fixture_site(files, siteurl=SITEURL)
    assert errors(site) == []
    import xml.etree.ElementTree as ET

    rss = ET.parse(site.output / "en" / "news" / "rss.xml")
    enclosure = rss.find("channel/item/enclosure").attrib
    assert enclosure["type"] == "image/jpeg"
    assert enclosure["url"].startswith(SITEURL + "/images/harbour-")
    assert int(enclosure["length"]) == site.path(enclosure["url"]).stat().st_size
    atom = ET.parse(site.output / "nl" / "nieuws" / "atom.xml")
    links = atom.findall("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}link")
    assert [(link.get("rel"), link.get("href")) for link in links][-1] == (
        "enclosure", enclosure["url"])
    email = site.soup("nl/nieuwsbrief/2026-03/email.html")
    img = email.find("img", class_="lead-image")
    assert img["src"].startswith(SITEURL + "/images/harbour-")
    assert site.path(img["src"]).exists()
    assert (img["width"], img["alt"]) == ("560", "Drie schepen in de haven")


def test_a_second_build_processes_no_image(fixture_site):
    import images

    files = pair(LEAD, LEAD_EN, nl_body=BODY)
    files["images/harbour.jpg"] = photo()
    files["images/map.jpg"] = photo(orientation=1)
    first = fixture_site(files, siteurl=SITEURL)
    assert images.images.STATS["processed"] == 2
    before = {p: p.stat().st_mtime_ns for p in output_images(first)}
    fixture_site(files, siteurl=SITEURL)
    assert images.images.STATS["processed"] == 0
    assert images.images.STATS["cards_drawn"] == 0
    assert {p: p.stat().st_mtime_ns for p in output_images(first)} == before


def test_a_decorative_image_has_an_empty_alt_and_no_caption(fixture_site):
    files = pair(nl_body='![-]({static}/images/line.png "Een lijn")')
    files["images/line.png"] = photo(1000, 200, orientation=1, gps=False, fmt="PNG")
    site = fixture_site(files, siteurl=SITEURL)
    assert errors(site) == []
    figure = site.soup("nl/nieuws/x/").select_one(".content__body figure")
    assert figure.find("img")["alt"] == ""
    assert figure.find("figcaption") is None


# --- What authors are told --------------------------------------------------------


def build_errors(tmp_path, files):
    write_files(tmp_path / "content", files)
    return run_build(tmp_path, tmp_path / "content")


def test_a_lead_image_without_alt_text_fails_the_build(tmp_path):
    files = pair({"Image": "images/harbour.jpg", "Image_alt": "Drie schepen"}, {})
    files["images/harbour.jpg"] = photo()
    result = build_errors(tmp_path, files)
    assert result.returncode == 1
    assert "news/x.en.md: Image_alt: the Image_alt line is missing or empty" in result.stderr


def test_a_missing_image_file_fails_the_build(tmp_path):
    result = build_errors(tmp_path, pair({"Image": "images/nowhere.jpg", "Image_alt": "Iets"},
                                         {"Image_alt": "Something"}))
    assert result.returncode == 1
    assert "news/x.nl.md: Image: there is no image images/nowhere.jpg" in result.stderr


def test_an_undecodable_image_fails_the_build(tmp_path):
    files = pair({"Image": "images/broken.jpg", "Image_alt": "Iets"}, {"Image_alt": "Something"},
                 en_body="![A chart]({static}/images/broken.jpg)")
    files["images/broken.jpg"] = b"this is not a picture"
    result = build_errors(tmp_path, files)
    assert result.returncode == 1
    assert "news/x.nl.md: Image: images/broken.jpg is not an image that can be read" in result.stderr
    assert "news/x.en.md: image: images/broken.jpg is not an image that can be read" in result.stderr


def test_an_image_without_alt_text_in_the_body_fails_the_build(tmp_path):
    files = pair(nl_body="![]({static}/images/map.jpg)")
    files["images/map.jpg"] = photo(orientation=1)
    result = build_errors(tmp_path, files)
    assert result.returncode == 1
    assert "news/x.nl.md: image: an image has no description" in result.stderr


def test_an_alt_text_that_is_the_file_name_fails_the_build(tmp_path):
    files = pair(nl_body="![map.jpg]({static}/images/map.jpg)")
    files["images/map.jpg"] = photo(orientation=1)
    result = build_errors(tmp_path, files)
    assert result.returncode == 1
    assert "news/x.nl.md: image: the alt text of images/map.jpg is its file name" in result.stderr


def test_a_small_lead_image_is_a_warning(fixture_site):
    files = pair({"Image": "images/small.jpg", "Image_alt": "Een klein beeld"},
                 {"Image_alt": "A little picture"})
    files["images/small.jpg"] = photo(640, 480, orientation=1)
    site = fixture_site(files, siteurl=SITEURL)
    warnings = [r.getMessage() for r in site.records if r.levelno == logging.WARNING]
    assert ("[images] news/x.nl.md: Image: images/small.jpg is 640 pixels wide; a lead image "
            "should be at least 800 pixels wide to look sharp") in warnings
    assert errors(site) == []


# --- Drawn share cards --------------------------------------------------------

CARD_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CARD_SIZE, CARD_COLOURS = (1200, 630), ("#0b5cad", "#ffffff")
CARD_TITLES = [
    "Charter getekend",
    "Vijf partners ondertekenen op 18 maart een charter voor samenwerking over de grens",
    "AVAVAV Tj Tj Yo, fjord jij",  # kerned pairs; words that reach under others
    " ".join(["Biobased materialen en circulair bouwen in de Kempen"] * 3),  # made smaller
    "",
]


def plain_card(lines, size, site_name):
    """The card as Pillow draws it with ImageDraw, one line at a time: colour
    indexes 0-3 (background to text)."""
    from PIL import ImageFont

    image = Image.new("L", CARD_SIZE, 0)
    draw = ImageDraw.Draw(image)
    margin = 79  # 6.6 % of 1200
    font = ImageFont.truetype(CARD_FONT, size, layout_engine=ImageFont.Layout.BASIC)
    for number, line in enumerate(lines):
        draw.text((margin, margin + number * round(size * 1.25)), line, font=font, fill=255)
    draw.rectangle((margin, 475, margin + 96, 481), fill=255)
    small = ImageFont.truetype(CARD_FONT, 32, layout_engine=ImageFont.Layout.BASIC)
    draw.text((margin, 507), site_name, font=small, fill=255)
    return image.point([(value * 3 + 127) // 255 for value in range(256)])


def wrapped(title, size):
    """Greedy wrapping by Pillow's own measure of each line, 1042 px wide."""
    from PIL import ImageFont

    font = ImageFont.truetype(CARD_FONT, size, layout_engine=ImageFont.Layout.BASIC)
    lines, line = [], ""
    for word in title.split():
        trial = f"{line} {word}".strip()
        if line and font.getlength(trial) > 1200 - 2 * 79:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


@pytest.mark.parametrize("title", CARD_TITLES)
def test_a_drawn_card_has_the_pixels_pillow_draws(tmp_path, title):
    # Cards are put together from words rendered once and compressed in parts;
    # what a reader sees is exactly Pillow's drawing of the title's lines.
    from images import cards

    target = tmp_path / "card.png"
    cards.draw_card(str(target), title, "Brainport Eindhoven – Kempen", CARD_FONT, CARD_SIZE,
                    CARD_COLOURS)
    size = next(s for s in range(63, 37, -4) if len(wrapped(title, s)) <= 4)
    with Image.open(target) as card:
        assert (card.format, card.mode, card.size) == ("PNG", "P", CARD_SIZE)
        assert card.getpalette()[:12] == [11, 92, 173, 92, 146, 200, 174, 201, 228, 255, 255, 255]
        indexes = Image.frombuffer("L", card.size, card.tobytes(), "raw", "L", 0, 1)
        expected = plain_card(wrapped(title, size), size, "Brainport Eindhoven – Kempen")
        assert indexes.tobytes() == expected.tobytes()


CARD_WORDS = ["Kempen", "2026", "Eindhoven", "Brainport-regio", "één", "Ösling", "(POM)",
               "Tj", "AVAVAV", "fjord", "Yo,", "ff", "Wat?", "l’Europe"]


@pytest.mark.parametrize("size", [63, 38])
def test_a_word_put_together_from_glyphs_has_pillows_pixels(size):
    # New words are put together from glyphs rendered once; where that cannot
    # give Pillow's pixels (overlapping glyph boxes) Pillow draws the word.
    from images import cards

    painter = cards.Painter(CARD_SIZE, CARD_COLOURS, "Portaal", CARD_FONT)
    composed = 0
    for word in CARD_WORDS:
        image, offset, advance = painter.word(size, word)
        drawn, drawn_offset, drawn_advance = painter._drawn(size, word)
        assert (offset, advance, image.size) == (drawn_offset, drawn_advance, drawn.size), word
        assert image.tobytes() == drawn.tobytes(), word
        composed += painter._composed(size, word) is not None
    assert painter._composed(size, "Eindhoven") is not None
    assert painter._composed(size, "AVAVAV") is None  # kerned into each other's boxes
    assert composed >= len(CARD_WORDS) // 2


def test_a_drawn_card_is_a_sound_png(tmp_path):
    # Every chunk's CRC and the zlib stream's checksum hold (a strict decoder
    # refuses a file where one does not).
    import struct
    import zlib

    from images import cards

    target = tmp_path / "card.png"
    cards.draw_card(str(target), CARD_TITLES[1], "Portaal", CARD_FONT, CARD_SIZE, CARD_COLOURS)
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, kinds, idat = 8, [], b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        kinds.append(kind)
        idat += body if kind == b"IDAT" else b""
        position += 12 + length
    assert kinds == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]  # no metadata
    assert len(zlib.decompress(idat)) == 630 * (1 + 1200 * 2 // 8)


def test_checksums_of_parts_combine_as_zlib_computes_them():
    import zlib

    from images import cards

    first, second = b"Brainport Eindhoven", bytes(70000) + b"Kempen" * 999
    assert cards.adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second)) == \
        zlib.adler32(first + second)
    assert cards.adler32_combine(1, zlib.adler32(second), len(second)) == zlib.adler32(second)


def test_the_list_of_published_files_holds_only_folders_that_exist(tmp_path):
    # Every safe build writes into a new temporary folder: the list of what
    # was published where must not grow with each build.
    import json

    content = tmp_path / "content"
    write_files(content, pair())
    for _ in range(3):
        assert run_build(tmp_path, content).returncode == 0
    listing = tmp_path / "cache" / "images" / "published.json"
    assert not listing.exists() or len(json.loads(listing.read_text())) <= 1
