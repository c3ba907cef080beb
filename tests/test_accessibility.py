"""The key pages in a real browser: WCAG checks with axe-core, no third
parties, no console errors, no sideways scrolling on a phone, visible focus.

axe-core comes from node_modules (npm ci); Chromium from Debian.
"""

import pytest

from conftest import ROOT, require
from key_pages import KEY_PAGES, key_page_ids

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def axe_source():
    require(AXE.exists(), f"axe-core is not installed at {AXE} (run `npm ci`)")
    return AXE.read_text("utf-8")


@pytest.fixture(scope="module", params=KEY_PAGES, ids=key_page_ids())
def opened(request, browser, served_site):
    """A key page opened at phone width, with what it requested and logged.

    Opened once for all tests of that page (pytest groups them by page)."""
    name, lang, path = request.param
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    seen = {"requests": [], "console_errors": [], "page_errors": []}
    tab.on("request", lambda req: seen["requests"].append(req.url))
    tab.on("console", lambda msg: msg.type == "error" and seen["console_errors"].append(msg.text))
    tab.on("pageerror", lambda exc: seen["page_errors"].append(str(exc)))
    response = tab.goto(served_site.siteurl + path)
    assert response.status == 200, f"{path} answered {response.status}"
    tab.wait_for_load_state("load")
    yield tab, seen, served_site.siteurl
    context.close()


def test_axe_finds_no_wcag_violations(opened, axe_source):
    # Phone and desktop width, light and dark colour scheme (contrast differs).
    tab, _, _ = opened
    # Evaluated through the browser's debugging protocol, not as a <script>:
    # the site's Content-Security-Policy rightly blocks inline scripts.
    tab.evaluate(axe_source)
    for width, scheme in ((320, "light"), (1280, "light"), (1280, "dark")):
        tab.set_viewport_size({"width": width, "height": 800})
        tab.emulate_media(color_scheme=scheme)
        result = tab.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
        ]
        assert violations == [], f"at {width}px, {scheme}: {violations}"
    tab.emulate_media(color_scheme="light")


def test_no_request_leaves_the_site(opened):
    tab, seen, siteurl = opened
    outside = [url for url in seen["requests"] if not url.startswith(siteurl + "/")
               and not url.startswith("data:")]
    assert outside == []


def test_no_console_errors(opened):
    _, seen, _ = opened
    assert seen["console_errors"] + seen["page_errors"] == []


def test_no_horizontal_overflow_at_320px(opened):
    tab, _, _ = opened
    tab.set_viewport_size({"width": 320, "height": 640})
    overflow = tab.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > width + 1)
            .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
          return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
        }"""
    )
    assert overflow["scroll"] <= overflow["width"], overflow
    assert overflow["wide"] == [], overflow


def test_keyboard_focus_is_visible(opened):
    # Tab through the first stops: each must draw an outline or change its
    # background, and the first one is the skip link (on language pages).
    tab, _, _ = opened
    tab.reload()
    stops = []
    for _ in range(6):
        tab.keyboard.press("Tab")
        stops.append(tab.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) return null;
              const style = getComputedStyle(el);
              const box = el.getBoundingClientRect();
              return {
                text: el.textContent.trim().slice(0, 40),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                visible: box.width > 0 && box.height > 0 && box.bottom > 0,
              };
            }"""
        ))
    focused = [s for s in stops if s]
    assert focused, "Tab reaches nothing"
    hidden = [s for s in focused if not (s["outline"] and s["visible"])]
    assert hidden == []
    if tab.locator(".skip-link").count():
        assert tab.locator(".skip-link").inner_text() == focused[0]["text"]


def test_skip_link_moves_focus_to_main(browser, served_site):
    tab = browser.new_page()
    tab.goto(served_site.siteurl + "/nl/")
    tab.keyboard.press("Tab")
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"
    tab.close()
