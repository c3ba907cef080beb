"""The Markdown side of images: a picture on a line of its own becomes a
`<figure>`, its Markdown title the `<figcaption>`, and the alt text `-` marks
it as decorative (empty alt, no caption read out).

Only the structure is settled here, from the Markdown text alone, so the
result can be kept between builds; the image files (sizes, formats, `srcset`)
are filled in by `images.upgrade_html` on every build.

Loaded by the images plugin as the Markdown extension `images.markup`.
"""

import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# The alt text that says "this picture is decoration; say nothing about it".
DECORATIVE = "-"
# A line of plain words (no `![`) comes out of Markdown as it did without this
# extension: the fast build may skip Markdown for such summaries.
KEEPS_PLAIN_LINES = True


class FigureTreeprocessor(Treeprocessor):
    def run(self, root):
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "p":
                    image = _only_image(child)
                    if image is not None:
                        parent[index] = _figure(image)
                elif child.tag == "img":
                    _mark_decorative(child)
        return None


def _only_image(paragraph):
    """The `<img>` that is all a paragraph holds, else None."""
    if (paragraph.text or "").strip() or len(paragraph) != 1:
        return None
    image = paragraph[0]
    if image.tag != "img" or (image.tail or "").strip():
        return None
    return image


def _mark_decorative(image):
    if image.get("alt", "").strip() == DECORATIVE:
        image.set("alt", "")
        image.attrib.pop("title", None)


def _figure(image):
    figure = etree.Element("figure", {"class": "figure"})
    caption = (image.attrib.pop("title", None) or "").strip()
    _mark_decorative(image)
    image.tail = None
    figure.append(image)
    if caption and image.get("alt") != "":
        figcaption = etree.SubElement(figure, "figcaption")
        figcaption.text = caption
    return figure


class FigureExtension(Extension):
    def extendMarkdown(self, md):
        # After inline patterns (priority 20) made the <img> elements.
        md.treeprocessors.register(FigureTreeprocessor(md), "images_figure", 5)


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    return FigureExtension(**kwargs)
