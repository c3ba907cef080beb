"""The site does not depend on the order in which Pelican calls plugins.

Pelican (through blinker) calls the receivers of one signal in no fixed order,
so a plugin that needs another's result must not rely on coming second.
"""

import blinker

from conftest import build_site, files_of


def build(content, folder):
    records = build_site(content, folder / "output", siteurl="http://example.test",
                         SEARCH={"index": False})
    assert [r.getMessage() for r in records if r.levelno >= 40] == []
    return files_of(folder / "output")


def test_reversed_receiver_order_builds_the_same_site(content, tmp_path, monkeypatch):
    usual = build(content, tmp_path / "usual")
    original = blinker.Signal.receivers_for

    def reversed_receivers(self, sender):
        return reversed(list(original(self, sender)))

    monkeypatch.setattr(blinker.Signal, "receivers_for", reversed_receivers)
    reverse = build(content, tmp_path / "reversed")
    assert sorted(usual) == sorted(reverse)
    differ = [name for name in usual if usual[name] != reverse[name]]
    assert differ == []
    # The cross-links that need the language index are there in both orders.
    page = reverse["en/news/european-delegation-limburg/index.html"].decode()
    assert "related-news" in page
