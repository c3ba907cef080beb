"""The key pages of the site, per language, as paths below SITEURL.

Browser tests, `make screenshots` and `make audit` all check these, so a
page added here is checked everywhere.
"""

KEY_PAGES = [
    # (name, language, path below SITEURL)
    ("home", "nl", "/nl/"),
    ("home", "en", "/en/"),
    ("news-list", "nl", "/nl/nieuws/"),
    ("news-list", "en", "/en/news/"),
    ("news-item", "nl", "/nl/nieuws/productiviteitskloof-limburg/"),
    ("news-item", "en", "/en/news/limburg-productivity-gap/"),
    ("partner", "nl", "/nl/partners/pom-limburg/"),
    ("partner", "en", "/en/partners/pom-limburg/"),
    ("domain", "nl", "/nl/domeinen/hightechindustrie/"),
    ("domain", "en", "/en/domains/high-tech-industry/"),
    ("agenda", "nl", "/nl/agenda/"),
    ("agenda", "en", "/en/agenda/"),
    ("event", "nl", "/nl/agenda/bezoek-europese-delegatie/"),
    ("event", "en", "/en/agenda/european-delegation-visit/"),
    ("contact", "nl", "/nl/contact/"),
    ("contact", "en", "/en/contact/"),
    ("not-found", "nl", "/nl/404.html"),
    ("not-found", "en", "/en/404.html"),
    ("accessibility", "nl", "/nl/toegankelijkheid/"),
    ("accessibility", "en", "/en/accessibility/"),
    # Where every feed link a reader clicks leads.
    ("subscribe", "nl", "/nl/volg-ons/"),
    ("subscribe", "en", "/en/subscribe/"),
    # Bilingual pages at the site root: the language chooser and the 404
    # page GitHub Pages serves for every missing address.
    ("chooser", "nl", "/"),
    ("not-found-root", "nl", "/404.html"),
]


def key_page_ids():
    return [f"{name}-{lang}" for name, lang, _ in KEY_PAGES]
