"""Language-neutral fields (Date, Domains, Partners, ...) are written once, in the
Dutch file, and hold for its translations; two files that disagree are named."""

from conftest import page

DOMAINS = {
    "domains/mobility.nl.md": page("Mobiliteit", summary="Kort."),
    "domains/mobility.en.md": page("Mobility", summary="Short."),
}


def test_a_translation_inherits_date_and_domains_from_the_dutch_file(fixture_site):
    site = fixture_site(dict(DOMAINS, **{
        "news/visit.nl.md": page("Bezoek", date="2026-03-12", domains="mobility", summary="K."),
        "news/visit.en.md": page("Visit", summary="Short."),
    }))
    assert site.error_records() == []
    english = site.soup("en/news/visit/")
    assert english.select_one("main time")["datetime"].startswith("2026-03-12")
    assert "12 March 2026" in english.select_one("main time").get_text()
    domain_links = [a["href"] for a in english.select("main a")
                    if "/en/domains/" in a["href"]]
    assert domain_links == ["http://example.test/en/domains/mobility/"]
    listed = [a["href"] for a in site.soup("en/domains/mobility/").select("main .news-card a")]
    assert "http://example.test/en/news/visit/" in listed


def test_two_files_that_disagree_are_both_named(fixture_site):
    site = fixture_site(dict(DOMAINS, **{
        "news/visit.nl.md": page("Bezoek", date="2026-03-12", summary="K."),
        "news/visit.en.md": page("Visit", date="2026-03-13", summary="Short."),
    }))
    assert site.error_records() == [
        ("validation", "news/visit.en.md", "date",
         "'2026-03-13' here but '2026-03-12' in news/visit.nl.md; Date is the same in every "
         "language: write it once, in news/visit.nl.md, or the same in both files")]


def test_the_same_keys_in_another_order_agree(fixture_site):
    files = dict(DOMAINS, **{
        "domains/high-tech.nl.md": page("Hightech", summary="K."),
        "domains/high-tech.en.md": page("High tech", summary="S."),
        "news/visit.nl.md": page("Bezoek", date="2026-03-12", domains="mobility, high-tech",
                                 summary="K."),
        "news/visit.en.md": page("Visit", date="2026-03-12", domains="high-tech,mobility",
                                 summary="Short."),
    })
    assert fixture_site(files).error_records() == []


def test_a_date_missing_in_both_files_is_named_in_both(fixture_site):
    site = fixture_site({
        "news/visit.nl.md": page("Bezoek", summary="K."),
        "news/visit.en.md": page("Visit", summary="Short."),
    })
    records = [r for r in site.error_records() if r[0] == "validation"]
    assert records == [
        ("validation", "news/visit.nl.md", "date",
         "the Date line is missing or empty; add 'Date: ...' at the top of the file"),
        ("validation", "news/visit.en.md", "date",
         "the Date line is missing or empty; add 'Date: ...' here or in news/visit.nl.md"),
    ]
