"""Pillow work: read a source image's facts, write its variants (cards: cards.py).

Everything here is a plain function of files and numbers, so it runs in
worker processes as well as in the build process.

Every variant is made from the source with its EXIF orientation applied and
then every piece of metadata dropped (EXIF with GPS positions, XMP, IPTC,
comments, colour profiles): nothing but pixels is written.
"""

import io
import os

from PIL import Image, ImageOps, UnidentifiedImageError
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


def run_job(job):
    """One unit of work for a worker process: ("variants", args)."""
    kind, args = job
    assert kind == "variants", kind
    return make_variants(*args)
