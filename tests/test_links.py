"""Under a sub-path, every internal link, stylesheet and image resolves."""

from urllib.parse import urlparse


def internal_targets(site):
    """(page, attribute value) for every same-site reference in the output."""
    for file in site.html_pages():
        soup = site.soup(file.relative_to(site.output).as_posix())
        for tag in soup.find_all(["a", "link", "img", "script", "source"]):
            for attr in ("href", "src"):
                value = tag.get(attr)
                if not value or value.startswith(("mailto:", "tel:", "#")):
                    continue
                yield file, value


def test_no_reference_escapes_the_sub_path(site):
    host = urlparse(site.siteurl)
    wrong = [
        (str(file), value)
        for file, value in internal_targets(site)
        if urlparse(value).netloc == host.netloc and not value.startswith(site.siteurl + "/")
    ]
    assert wrong == []


def test_no_root_relative_or_relative_references(site):
    # Absolute URLs everywhere: a link starting with "/" would miss /portal/.
    wrong = [
        (str(file), value)
        for file, value in internal_targets(site)
        if not urlparse(value).scheme
    ]
    assert wrong == []


def test_every_internal_reference_resolves(site):
    broken = [
        (str(file.relative_to(site.output)), value)
        for file, value in internal_targets(site)
        if value.startswith(site.siteurl) and not site.path(value).is_file()
    ]
    assert broken == []


def test_every_anchor_exists(site):
    missing = []
    for file, value in internal_targets(site):
        if value.startswith(site.siteurl) and "#" in value:
            fragment = value.split("#", 1)[1]
            if fragment and not site.soup(value.split("#")[0]).find(id=fragment):
                missing.append((str(file), value))
    assert missing == []


def test_no_unresolved_filename_placeholders(site):
    leftovers = [
        str(file) for file in site.html_pages()
        if "{filename}" in file.read_text("utf-8") or "{static}" in file.read_text("utf-8")
    ]
    assert leftovers == []
