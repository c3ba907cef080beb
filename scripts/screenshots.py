"""Screenshots of the key pages, both languages, desktop and phone width.

Usage: python scripts/screenshots.py [folder]   (default: screenshots/)
Writes <page>-<lang>-<width>.png, full page, light colour scheme; with
--dark also the dark scheme (<page>-<lang>-<width>-dark.png).
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from review_site import CHROMIUM, CHROMIUM_ARGS, KEY_PAGES, ROOT, served_output

WIDTHS = (1280, 390)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "screenshots"))
    parser.add_argument("--dark", action="store_true", help="also the dark colour scheme")
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    schemes = ["light", "dark"] if args.dark else ["light"]
    with served_output() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in WIDTHS:
            for scheme in schemes:
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, color_scheme=scheme
                )
                page = context.new_page()
                for name, lang, path in KEY_PAGES:
                    page.goto(base + path)
                    suffix = "" if scheme == "light" else "-dark"
                    target = folder / f"{name}-{lang}-{width}{suffix}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
