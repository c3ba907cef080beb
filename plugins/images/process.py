"""Pillow work: read a source image's facts, write its variants, draw share cards.

Everything here is a plain function of files and numbers, so it runs in
worker processes as well as in the build process.

Every variant is made from the source with its EXIF orientation applied and
then every piece of metadata dropped (EXIF with GPS positions, XMP, IPTC,
comments, colour profiles): nothing but pixels is written.
"""

import io
import os

from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError
from PIL import __version__ as PILLOW_VERSION

# Pillow's name and the MIME type of each output format.
FORMATS = {
    "avif": ("AVIF", "image/avif"),
    "webp": ("WEBP", "image/webp"),
    "jpeg": ("JPEG", "image/jpeg"),
    "png": ("PNG", "image/png"),
}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}


class Unreadable(Exception):
    """The file is not an image Pillow can decode."""


def read_facts(path):
    """Width and height as shown (orientation applied), whether it has
    transparency, and its format; raises Unreadable."""
    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
            alpha = image.mode in ("RGBA", "LA", "PA") or (
                image.mode == "P" and "transparency" in image.info)
            kind = image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise Unreadable(str(error) or type(error).__name__) from error
    if orientation in (5, 6, 7, 8):  # a quarter turn: width and height swap
        width, height = height, width
    return {"width": width, "height": height, "alpha": alpha, "format": kind}


def _clean(path):
    """The source upright, in RGB or RGBA, with no metadata at all."""
    with Image.open(path) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info)
    mode = "RGBA" if has_alpha else "RGB"
    pixels = upright.convert(mode)
    # A new image carries nothing of the source's info (exif, xmp, icc, ...).
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


def _crop(image, ratio):
    """The centre of `image` with width / height = ratio."""
    width, height = image.size
    if width / height > ratio:
        new = round(height * ratio)
        left = (width - new) // 2
        return image.crop((left, 0, left + new, height))
    new = round(width / ratio)
    top = (height - new) // 2
    return image.crop((0, top, width, top + new))


def _encode(image, fmt, quality):
    name = FORMATS[fmt][0]
    out = io.BytesIO()
    if fmt == "jpeg":
        image.convert("RGB").save(out, name, quality=quality["jpeg"], optimize=True,
                                  progressive=True)
    elif fmt == "webp":
        image.save(out, name, quality=quality["webp"], method=4)
    elif fmt == "avif":
        image.save(out, name, quality=quality["avif"], speed=quality.get("avif_speed", 8))
    else:
        image.save(out, name, optimize=False, compress_level=6)
    return out.getvalue()


def make_variants(path, jobs, folder, quality):
    """Write each of `jobs` [(file name, crop ratio or None, width, height,
    format)] into `folder`; returns the file names written."""
    base = _clean(path)
    written = []
    os.makedirs(folder, exist_ok=True)
    cropped = {}
    for name, ratio, width, height, fmt in jobs:
        if ratio not in cropped:
            cropped[ratio] = base if ratio is None else _crop(base, ratio)
        key = (ratio, width, height)
        if key not in cropped:
            cropped[key] = cropped[ratio].resize((width, height), Image.Resampling.LANCZOS,
                                                 reducing_gap=3.0)
        data = _encode(cropped[key], fmt, quality)
        target = os.path.join(folder, name)
        with open(target + ".tmp", "wb") as handle:
            handle.write(data)
        os.replace(target + ".tmp", target)
        written.append(name)
    return written


def _wrap(text, font, width, draw):
    """Lines of `text` that fit `width` pixels."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def draw_card(target, title, site_name, font_path, size, colours):
    """A share card: the page's title large, the site's name below, on the
    site's accent colour. Writes a PNG to `target`."""
    width, height = size
    # Drawn as coverage (0: background, 255: text) and saved as a palette image
    # that runs from the background to the text colour: the same pixels as an
    # RGB drawing, in a third of the time (a site of thousands of items draws
    # thousands of cards).
    image = Image.new("L", size, 0)
    draw = ImageDraw.Draw(image)
    text = 255
    margin = round(width * 0.066)
    title_size = round(height * 0.1)
    while True:
        font = _font(font_path, title_size)
        lines = _wrap(title, font, width - 2 * margin, draw)
        if len(lines) <= 4 or title_size <= round(height * 0.06):
            break
        title_size -= 4
    if len(lines) > 4:
        lines = lines[:4]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    line_height = round(title_size * 1.25)
    y = margin
    for line in lines:
        draw.text((margin, y), line, font=font, fill=text)
        y += line_height
    small = _font(font_path, round(height * 0.05))
    draw.rectangle((margin, height - margin - round(height * 0.12), margin + round(width * 0.08),
                    height - margin - round(height * 0.12) + 6), fill=text)
    draw.text((margin, height - margin - round(height * 0.07)), site_name, font=small, fill=text)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    card = Image.frombuffer("P", size, image.tobytes(), "raw", "P", 0, 1)
    card.putpalette(_palette(*colours))
    out = io.BytesIO()
    card.save(out, "PNG", compress_level=1)  # fast; a flat card compresses well anyway
    with open(target + ".tmp", "wb") as handle:
        handle.write(out.getvalue())
    os.replace(target + ".tmp", target)
    return target


_fonts = {}


def _palette(background, text):
    """256 colours from `background` to `text` (CSS hex colours)."""
    start, end = ImageColor.getrgb(background), ImageColor.getrgb(text)
    return [round(start[c] + (end[c] - start[c]) * step / 255)
            for step in range(256) for c in range(3)]


def _font(path, size):
    if (path, size) not in _fonts:
        if path and os.path.exists(path):
            _fonts[path, size] = ImageFont.truetype(path, size,
                                                    layout_engine=ImageFont.Layout.BASIC)
        else:
            _fonts[path, size] = ImageFont.load_default(size)
    return _fonts[path, size]


def run_job(job):
    """One unit of work for a worker process: ("variants", ...) or ("card", ...)."""
    kind, args = job
    if kind == "variants":
        return make_variants(*args)
    return draw_card(*args)
