"""Share cards drawn with a page's title, in a fraction of a millisecond each.

A site of thousands of items draws thousands of cards, so a card is not drawn
as a whole picture and saved with Pillow (about five milliseconds). What every
card of a site shares is made once per process: the palette, the empty rows,
the rows at the bottom with the site's name. Per card only the rows with the
title's ink are put together, from words that are kept once made, and only
those rows are compressed. A new word is put together from glyphs rendered
once by FreeType (through Pillow) at the pen positions Pillow gives them;
where that would not give Pillow's pixels (glyphs whose boxes overlap are
blended), Pillow draws the word.

The PNG has four colours (2 bits a pixel) from the background to the text
colour: the title's antialiasing in four steps, which at this size looks the
same as more. Its zlib stream is joined from parts compressed on their own:
a part that ends with a full flush refers to nothing before it, so a part that
is the same on every card is compressed once, and the checksum of the whole is
combined from the parts' checksums.
"""

import os
import struct
import zlib

from PIL import Image, ImageColor, ImageDraw, ImageFont

BITS = 2
LEVELS = 2 ** BITS
# Text that wraps to more lines than this is made smaller, down to MIN_SIZE
# (as parts of the card's height), then cut with an ellipsis.
MAX_LINES = 4
TITLE_SIZE, MIN_SIZE, NAME_SIZE = 0.1, 0.06, 0.05
LINE_HEIGHT = 1.25
# Pixels of words kept per process (a word at title size is about 10,000):
# words recur in titles, but a site's thousands of titles must not fill the
# memory of every process that draws cards. Words drawn once are forgotten
# first.
WORD_PIXELS_KEPT = 2_000_000

_ADLER_BASE = 65521
_ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KB window, fastest
_LAST_BLOCK = zlib.compressobj(1, zlib.DEFLATED, -15).flush()  # an empty final block


def adler32_combine(first, second, second_length):
    """The Adler-32 checksum of two byte strings one after the other, from the
    checksum of each and the length of the second (zlib's adler32_combine)."""
    rem = second_length % _ADLER_BASE
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 = (sum1 + (second & 0xFFFF) + _ADLER_BASE - 1) % _ADLER_BASE
    sum2 = (sum2 + (first >> 16) + (second >> 16) + _ADLER_BASE - rem) % _ADLER_BASE
    return sum1 | (sum2 << 16)


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _compressor():
    return zlib.compressobj(1, zlib.DEFLATED, -15, 9, zlib.Z_RLE)


class Part:
    """Scanlines (each a filter byte and packed pixels), compressed so that the
    result refers to nothing before it (it ends with a full flush)."""

    __slots__ = ("deflated", "adler", "length")

    def __init__(self, raw, compressor=None):
        compressor = compressor or _compressor()
        self.deflated = compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH)
        self.adler = zlib.adler32(raw)
        self.length = len(raw)


def png(head, parts):
    """A PNG file from its header chunks and the parts of its pixel data."""
    adler = 1
    for part in parts:
        adler = adler32_combine(adler, part.adler, part.length)
    data = b"".join([_ZLIB_HEADER, *(part.deflated for part in parts), _LAST_BLOCK,
                     struct.pack(">I", adler)])
    return head + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


class Painter:
    """Draws the cards of one site: one size, two colours, one font, one name."""

    def __init__(self, size, colours, site_name, font_path):
        self.width, self.height = width, height = size
        self.font_path = font_path
        self.fonts = {}
        self.glyphs = {}
        self.kerning = {}
        self.words = {}
        self.word_pixels = 0
        self.recurring = set()
        self.compressor = _compressor()
        background, text = (ImageColor.getrgb(colour) for colour in colours)
        palette = bytes(round(background[c] + (text[c] - background[c]) * step / (LEVELS - 1))
                        for step in range(LEVELS) for c in range(3))
        self.head = (b"\x89PNG\r\n\x1a\n"
                     + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, BITS, 3, 0, 0, 0))
                     + _chunk(b"PLTE", palette))
        # Coverage (0-255) to colour index. Every row gets pixels of index 0 on
        # the left that make its first byte 0: PNG's "no filter" for the row.
        self.table = bytes((value * (LEVELS - 1) + 127) // 255 for value in range(256))
        self.left = 8 // BITS
        self.row_bytes = 1 + (width * BITS + 7) // 8
        self.blank = {}
        self.margin = round(width * 0.066)
        self.title_size = round(height * TITLE_SIZE)
        self.min_size = round(height * MIN_SIZE)
        # The bottom: a short bar and the site's name, the same on every card.
        self.bottom_top = height - self.margin - round(height * 0.12)
        bottom = Image.new("L", (width + self.left, height - self.bottom_top), 0)
        draw = ImageDraw.Draw(bottom)
        x = self.margin + self.left
        draw.rectangle((x, 0, x + round(width * 0.08), 6), fill=255)
        draw.text((x, height - self.margin - round(height * 0.07) - self.bottom_top), site_name,
                  font=self.font(round(height * NAME_SIZE)), fill=255)
        self.bottom = Part(self._packed(self._indexes(bottom)))

    def font(self, size):
        found = self.fonts.get(size)
        if found is None:
            if self.font_path and os.path.exists(self.font_path):
                found = ImageFont.truetype(self.font_path, size,
                                           layout_engine=ImageFont.Layout.BASIC)
            else:
                found = ImageFont.load_default(size)
            self.fonts[size] = found
        return found

    @staticmethod
    def _packed(image):
        return image.tobytes("raw", f"P;{BITS}")

    def _blank(self, rows):
        part = self.blank.get(rows)
        if part is None:
            part = self.blank[rows] = Part(bytes(self.row_bytes * rows))
        return part

    def _indexes(self, coverage):
        """A palette image of colour indexes from an "L" image of coverage."""
        return Image.frombuffer("P", coverage.size, coverage.tobytes().translate(self.table),
                                "raw", "P", 0, 1)

    def _drawn(self, size, text):
        """(colour-index image or None, its offset from the pen, advance) of
        `text` as Pillow draws it."""
        font = self.font(size)
        left, top, right, bottom = font.getbbox(text)
        image = None
        if right > left and bottom > top:
            coverage = Image.new("L", (right - left, bottom - top), 0)
            ImageDraw.Draw(coverage).text((-left, -top), text, font=font, fill=255)
            image = self._indexes(coverage)
        return image, (left, top), font.getlength(text)

    def glyph(self, size, char):
        key = (size, char)
        found = self.glyphs.get(key)
        if found is None:
            found = self.glyphs[key] = self._drawn(size, char)
        return found

    def _kerning(self, size, first, second):
        key = (size, first, second)
        found = self.kerning.get(key)
        if found is None:
            found = self.kerning[key] = (self.font(size).getlength(first + second)
                                         - self.glyph(size, first)[2]
                                         - self.glyph(size, second)[2])
        return found

    def _composed(self, size, text):
        """The word put together from its glyphs, as Pillow draws it: each
        glyph's bitmap at its whole-pixel pen position (advances and kerning
        as Pillow measures them). None where Pillow must draw the word: a pen
        position between two pixels, or two glyphs' boxes that overlap
        (Pillow blends their pixels)."""
        pen, previous, placed = 0.0, None, []
        for char in text:
            if previous is not None:
                pen += self._kerning(size, previous, char)
            image, (left, top), advance = self.glyph(size, char)
            if image is not None:
                if pen != int(pen):
                    return None
                placed.append((int(pen) + left, top, image))
            pen += advance
            previous = char
        if not placed:
            return None, (0, 0), pen
        placed.sort(key=lambda glyph: glyph[0])
        right = None
        for x, _, image in placed:
            if right is not None and x < right:
                return None
            right = max(right or x, x + image.size[0])
        left = placed[0][0]
        top = min(y for _, y, _ in placed)
        bottom = max(y + image.size[1] for _, y, image in placed)
        word = Image.new("P", (right - left, bottom - top), 0)
        for x, y, image in placed:
            word.paste(image, (x - left, y - top))
        return word, (left, top), pen

    def word(self, size, text):
        """(colour-index image or None, its offset from the pen, advance) of a word."""
        key = (size, text)
        found = self.words.get(key)
        if found is not None:
            self.recurring.add(key)
            return found
        if self.word_pixels > WORD_PIXELS_KEPT:
            self._forget()
        found = self._composed(size, text) or self._drawn(size, text)
        self.words[key] = found
        if found[0] is not None:
            self.word_pixels += found[0].size[0] * found[0].size[1]
        return found

    def _forget(self):
        """Keep the words that were used again (a site's recurring words),
        forget those drawn once (a number, a name); all when the recurring
        ones alone are too many."""
        kept = {key: self.words[key] for key in self.recurring if key in self.words}
        pixels = sum(image.size[0] * image.size[1] for image, _, _ in kept.values()
                     if image is not None)
        if pixels > WORD_PIXELS_KEPT // 2:
            kept, pixels = {}, 0
        self.words, self.word_pixels, self.recurring = kept, pixels, set()

    def lines(self, title):
        """The title's lines (lists of words) and the type size they fit at."""
        room = self.width - 2 * self.margin
        size = self.title_size
        while True:
            space = self.word(size, " ")[2]
            lines, line, used = [], [], 0.0
            for word in title.split():
                advance = self.word(size, word)[2]
                if line and used + space + advance > room:
                    lines.append(line)
                    line, used = [word], advance
                else:
                    used = used + space + advance if line else advance
                    line.append(word)
            if line:
                lines.append(line)
            if len(lines) <= MAX_LINES or size <= self.min_size:
                break
            size -= 4
        if len(lines) > MAX_LINES:
            lines = lines[:MAX_LINES]
            lines[-1] = lines[-1][:-1] + [lines[-1][-1].rstrip(".,;:") + "…"]
        return lines, size

    def _line(self, line, size):
        """The rows of one line that have ink: (image, first row below the line's top)."""
        space = self.word(size, " ")[2]
        x, right, placed = float(self.margin + self.left), None, []
        for word in line:
            image, (left, top), advance = self.word(size, word)
            if image is not None:
                box = (round(x) + left, top)
                if right is not None and box[0] < right:
                    break  # two words' inked boxes touch: Pillow draws the line
                placed.append((image, box))
                right = box[0] + image.size[0]
            x += advance + space
        else:
            if not placed:
                return None, 0
            first = min(box[1] for _, box in placed)
            last = max(box[1] + image.size[1] for image, box in placed)
            band = Image.new("P", (self.width + self.left, last - first), 0)
            for image, (bx, by) in placed:
                band.paste(image, (bx, by - first))
            return band, first
        coverage = Image.new("L", (self.width + self.left, round(size * LINE_HEIGHT)), 0)
        ImageDraw.Draw(coverage).text((self.margin + self.left, 0), " ".join(line),
                                      font=self.font(size), fill=255)
        return self._indexes(coverage), 0

    def draw(self, title):
        """The PNG file of the card for `title`, as bytes."""
        lines, size = self.lines(title)
        line_height = round(size * LINE_HEIGHT)
        parts, row = [], 0  # rows of the card done
        for number, line in enumerate(lines):
            band, first = self._line(line, size)
            if band is None:
                continue
            start = self.margin + number * line_height + first
            end = min(start + band.size[1], self.bottom_top)
            if start < row:  # ink reaching into the line above: kept out
                start = row
            if end <= start:
                continue
            top = start - (self.margin + number * line_height + first)
            band = band.crop((0, top, band.size[0], top + end - start))
            if start > row:
                parts.append(self._blank(start - row))
            parts.append(Part(self._packed(band), self.compressor))
            row = end
        if row < self.bottom_top:
            parts.append(self._blank(self.bottom_top - row))
        parts.append(self.bottom)
        return png(self.head, parts)


_painters = {}


def painter(size, colours, site_name, font_path):
    key = (tuple(size), tuple(colours), site_name, font_path)
    found = _painters.get(key)
    if found is None:
        _painters.clear()  # one site per build
        found = _painters[key] = Painter(tuple(size), tuple(colours), site_name, font_path)
    return found


def draw_card(target, title, site_name, font_path, size, colours, atomic=True):
    """Write the card for `title` to `target`; `atomic`: through a temporary
    file, so that an interrupted build leaves no half card under its name
    (not needed in a new folder that a failed build leaves unused)."""
    data = painter(size, colours, site_name, font_path).draw(title)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        os.makedirs(folder, exist_ok=True)
    with open(target + ".tmp" if atomic else target, "wb") as handle:
        handle.write(data)
    if atomic:
        os.replace(target + ".tmp", target)
    return target
