"""The theme holds on every screen: a wide table or a large picture never
makes a phone scroll sideways, and the pages pass every axe rule (best
practices too, such as distinct names for landmarks)."""

import io

import pytest
from PIL import Image

from conftest import ROOT, page, require, serve_folder

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDE_TABLE = "\n".join(
    ["| " + " | ".join(f"Kolom {n} met een lange kop" for n in range(12)) + " |",
     "|" + "---|" * 12]
    + ["| " + " | ".join(f"waarde{r}{n}zonderspaties" for n in range(12)) + " |"
       for r in range(3)])


def wide_photo():
    out = io.BytesIO()
    Image.new("RGB", (2400, 1600), (30, 120, 90)).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_no_sideways_scrolling_with_a_wide_table_and_pictures(fixture_site, browser, tmp_path):
    body = f"Tekst.\n\n{WIDE_TABLE}\n\n![Een groen vlak]({{static}}/images/vlak.jpg)\n"
    files = {
        "news/x.nl.md": page("Tabel", body, date="2026-03-18", summary="K.",
                             image="images/vlak.jpg", image_alt="Een groen vlak"),
        "news/x.en.md": page("Table", "Text.", date="2026-03-18", summary="K.",
                             image_alt="A green area"),
        "images/vlak.jpg": wide_photo(),
    }
    out = tmp_path / "output"
    out.mkdir()
    server, base = serve_folder(out)
    try:
        site = fixture_site(files, siteurl=base, SEARCH={"index": False})
        assert site.errors() == []
        for width in (320, 390):
            context = browser.new_context(viewport={"width": width, "height": 700})
            tab = context.new_page()
            for path in ("/nl/nieuws/x/", "/nl/nieuws/", "/en/news/"):
                tab.goto(base + path)
                tab.wait_for_load_state("load")
                wide = tab.evaluate("document.documentElement.scrollWidth")
                assert wide <= width, f"{path} at {width}px is {wide}px wide"
            # The table scrolls in its own box instead.
            tab.goto(base + "/nl/nieuws/x/")
            box = tab.evaluate("(() => { const t = document.querySelector('.content__body table');"
                               " return [t.clientWidth, t.scrollWidth]; })()")
            assert box[0] <= width and box[1] > box[0]
            context.close()
    finally:
        server.shutdown()


@pytest.mark.parametrize("path", ["/", "/nl/", "/en/", "/nl/nieuws/", "/404.html"])
def test_key_pages_pass_every_axe_rule(served_site, browser, path):
    require(AXE.exists(), f"axe-core is not installed at {AXE} (run `npm ci`)")
    context = browser.new_context(viewport={"width": 390, "height": 800})
    tab = context.new_page()
    tab.goto(served_site.siteurl + path)
    tab.evaluate(AXE.read_text("utf-8"))
    result = tab.evaluate("axe.run(document)")
    context.close()
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []


def test_the_root_page_can_be_shared_and_skipped(served_site):
    soup = served_site.soup("/")
    assert soup.find("meta", property="og:title")["content"] == "Brainport Eindhoven · Limburg · Kempen"
    assert soup.find("meta", attrs={"name": "description"})["content"]
    image = soup.find("meta", property="og:image")["content"]
    assert image.startswith(served_site.siteurl + "/images/cards/")
    assert served_site.path(image).exists()
    skip = soup.find("a", class_="skip-link")
    assert skip["href"] == "#main" and soup.find("main", id="main")
