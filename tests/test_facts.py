"""Every fact of the newsletter reads correctly in both languages."""

import re

import pytest

FACTS = {
    # page pair: facts that must appear in both, exactly as in the newsletter
    ("nl/charter/", "en/charter/"): [
        "Metropoolregio Eindhoven", "Stichting Brainport", "POM Limburg",
        "POM Antwerpen", "Streekplatform Kempen", "Eindhoven", "Noord-Limburg",
        "Kempen",
    ],
    ("nl/nieuws/charter-ondertekend/", "en/news/charter-signed/"): [
        "Metropoolregio Eindhoven", "Stichting Brainport", "POM Limburg",
        "POM Antwerpen", "Streekplatform Kempen", "18 ",
    ],
    ("nl/nieuws/productiviteitskloof-limburg/", "en/news/limburg-productivity-gap/"): [
        "81", "93", "12", "2024", "2023", "2022",
    ],
    ("nl/nieuws/europese-delegatie-limburg/", "en/news/european-delegation-limburg/"): [
        "NCBR", "Łukasiewicz Research Network - Warsaw Institute of Technology",
        "EnergyVille", "Thor Park", "VITO/EnergyVille", "Wally Automation",
        "Orion Grid Technologies", "SwiftPharma", "POM Limburg",
    ],
    ("nl/nieuwsbrief/maart-2026/", "en/newsletter/march-2026/"): [
        "Tom Vandeput", "Noël Slangen", "POM Limburg",
    ],
    ("nl/groeitips/innovatieplanning-lange-termijn/", "en/growth-tips/long-term-innovation-planning/"): [
        "28", "POM Limburg",
    ],
    ("nl/contact/", "en/contact/"): [
        "Corda Campus, gebouw 6B", "Kempische Steenweg 303 / bus 101",
        "3500 Hasselt", "+32 11 300 100", "info@pomlimburg.be",
    ],
}

LOCALIZED = {
    "nl/nieuws/productiviteitskloof-limburg/": ["13,2%", "13,8%", "Vlaams"],
    "en/news/limburg-productivity-gap/": ["13.2%", "13.8%", "Flemish average"],
    "nl/nieuws/europese-delegatie-limburg/": [
        "dertigtal", "dertien", "Polen", "Finland", "Griekenland", "Litouwen",
        "Noorwegen", "Roemenië", "Spanje",
    ],
    "en/news/european-delegation-limburg/": [
        "about thirty", "thirteen", "Poland", "Finland", "Greece", "Lithuania",
        "Norway", "Romania", "Spain",
    ],
    "nl/nieuwsbrief/maart-2026/": ["voorzitter", "algemeen directeur"],
    "en/newsletter/march-2026/": ["chair", "general director"],
    "nl/charter/": ["18 maart", "Hightechindustrie", "Smart en clean mobility", "Biobased materialen en circulair bouwen"],
    "en/charter/": ["18 March", "High-tech industry", "Smart and clean mobility", "Biobased materials and circular construction"],
}


def text(site, rel):
    # Typography joins the last two words with a no-break space.
    return re.sub(r"\s+", " ", site.soup(rel).get_text().replace("\xa0", " "))


@pytest.mark.parametrize("pair, facts", FACTS.items())
def test_facts_in_both_languages(site, pair, facts):
    for rel in pair:
        body = text(site, rel)
        missing = [fact for fact in facts if fact not in body]
        assert not missing, f"{rel} lacks {missing}"


@pytest.mark.parametrize("rel, facts", LOCALIZED.items())
def test_localized_facts(site, rel, facts):
    body = text(site, rel)
    missing = [fact for fact in facts if fact not in body]
    assert not missing, f"{rel} lacks {missing}"


@pytest.mark.parametrize("rel, side", [
    ("nl/partners/metropoolregio-eindhoven/", "Nederlandse zijde"),
    ("nl/partners/brainport/", "Nederlandse zijde"),
    ("nl/partners/pom-limburg/", "Vlaamse zijde"),
    ("nl/partners/pom-antwerpen/", "Vlaamse zijde"),
    ("nl/partners/streekplatform-kempen/", "Vlaamse zijde"),
    ("en/partners/metropoolregio-eindhoven/", "Dutch side"),
    ("en/partners/brainport/", "Dutch side"),
    ("en/partners/pom-limburg/", "Flemish side"),
    ("en/partners/pom-antwerpen/", "Flemish side"),
    ("en/partners/streekplatform-kempen/", "Flemish side"),
])
def test_partner_pages_name_their_side(site, rel, side):
    assert side in site.soup(rel).select_one(".badge").get_text()
