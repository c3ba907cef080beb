"""The served site opens in a real browser, in both languages."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path, lang, heading", [
    ("/nl/", "nl", "Samen groeien over de grens"),
    ("/en/", "en", "Growing together across the border"),
])
def test_home_pages_render(browser, served_site, path, lang, heading):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(served_site.siteurl + path)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").inner_text() == heading
    assert errors == []
    page.close()


def test_language_switch_follows_to_counterpart(browser, served_site):
    page = browser.new_page()
    page.goto(served_site.siteurl + "/nl/nieuws/charter-ondertekend/")
    page.locator(".language-switch a").click()
    assert page.url == served_site.siteurl + "/en/news/charter-signed/"
    page.close()
