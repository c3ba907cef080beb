"""Newsletter editions as e-mail: per edition and language an `email.html`
(table layout, inline CSS only, absolute links, small enough that mail
clients do not clip it) and an `email.txt`, next to the edition's web page.

Any mailing tool can send these files as they are. Readers manage their
subscription through the feeds, so the footer links the subscribe page
instead of preference and unsubscribe links.
"""

import logging
import os
import re
from html.parser import HTMLParser

import css_inline
from portal import problems

logger = logging.getLogger(__name__)
LOG_PREFIX = "[feeds]"

class _TextMaker(HTMLParser):
    """Plain text of rendered HTML: blocks become paragraphs, links keep
    their address in angle brackets, list items get a dash."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "address", "table", "tr", "section", "article"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "a":
            self.links.append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag == "a":
            href = self.links.pop() if self.links else ""
            if href.startswith(("http://", "https://")):
                self.out.append(f" <{href}>")
        elif tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data):
        self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(html):
    """Plain text of an HTML fragment, for the text version of an edition."""
    maker = _TextMaker()
    maker.feed(str(html))
    maker.close()
    lines = [line.strip() for line in "".join(maker.out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def email_html(rendered, page_url):
    """Inline the CSS of the template's <style> into style attributes."""
    inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False,
                                    base_url=page_url)
    return inliner.inline(rendered)


def check_bundled(edition, by_key):
    """Report `News`/`Tips` entries of an edition that name no item of its
    language, worded for the author."""
    for field, kind in (("news", "news"), ("tips", "tips")):
        raw = edition.metadata.get(field, "")
        keys = [k.strip() for k in raw.split(",")] if isinstance(raw, str) else list(raw)
        for key in filter(None, keys):
            if edition.lang not in by_key.get(f"{kind}/{key}", {}):
                problems.report(
                    "feeds", edition.relative_source_path, field.capitalize(),
                    f"there is no {edition.lang} item {key!r} in content/{kind}/; write the "
                    f"file name without language and extension ({kind}/{key}.{edition.lang}.md)")


def write_exports(generator, conf):
    """Write email.html and email.txt for every edition in every language."""
    context = generator.context
    siteurl = generator.settings["SITEURL"]
    generator.env.filters["html_to_text"] = html_to_text
    html_template = generator.env.get_template(conf["html_template"])
    text_template = generator.env.get_template(conf["text_template"])
    for lang in context.get("languages", []):
        for edition in context["by_lang"].get(lang, {}).get(conf["kind"], []):
            check_bundled(edition, context.get("by_key", {}))
            folder = os.path.dirname(edition.save_as)
            local = dict(context, page=edition, lang=lang, SITEURL=siteurl)
            html = email_html(html_template.render(local), f"{siteurl}/{edition.url}")
            size = len(html.encode("utf-8"))
            if size > conf["max_bytes"]:
                problems.report(
                    "feeds", edition.relative_source_path, "e-mail",
                    f"the e-mail version is {size / 1024:.1f} KB, more than the "
                    f"{conf['max_bytes'] / 1024:.1f} KB mail clients show without clipping; "
                    "shorten the foreword or bundle fewer items")
            generator.write_text(os.path.join(folder, conf["html"]), html)
            text = text_template.render(local).strip() + "\n"
            generator.write_text(os.path.join(folder, conf["text"]), text)
