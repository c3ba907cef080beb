"""Cross-links between news items, domains and partners, within one language.

The bilingual plugin resolves what an item names itself (`Domains:`,
`Partners:`) and which news items name a domain or partner. This adds the
links the other way round and between news items:

- `related_news` on a news item: other news items of the same language that
  share a domain or partner with it, most shared first, then newest first;
- `domain_items` on a partner: the domains that name the partner.
"""

import logging

from pelican import signals

logger = logging.getLogger(__name__)
LOG_PREFIX = "[related]"

DEFAULTS = {
    # How many related news items a news item shows.
    "max_news": 3,
}


def get_settings(settings):
    user = settings.get("RELATED", {}) or {}
    for key in sorted(set(user) - set(DEFAULTS)):
        logger.error("%s unknown key %r in the RELATED setting", LOG_PREFIX, key)
    return dict(DEFAULTS, **user)


def _keys(item):
    """The domains and partners an item names: `{("domains", "mobility"), ...}`."""
    keys = set()
    for field in ("domains", "partners"):
        raw = item.metadata.get(field, "")
        values = raw.split(",") if isinstance(raw, str) else raw
        keys.update((field, value.strip()) for value in values if value.strip())
    return keys


def _shared(news, other):
    """How many domains and partners two news items have in common."""
    return len(_keys(news) & _keys(other))


def related_news(news, candidates, limit):
    """The `limit` news items that share most with `news` (none without overlap)."""
    scored = [
        (_shared(news, other), other.date, other.relative_source_path, other)
        for other in candidates
        if other is not news
    ]
    scored = [entry for entry in scored if entry[0] > 0]
    scored.sort(key=lambda entry: (-entry[0], -entry[1].timestamp(), entry[2]))
    return [entry[3] for entry in scored[:limit]]


def link(generators):
    context = generators[0].context
    conf = get_settings(generators[0].settings)
    for kinds in context.get("by_lang", {}).values():
        news = kinds.get("news", [])
        for item in news:
            item.related_news = related_news(item, news, conf["max_news"])
        for partner in kinds.get("partners", []):
            if not partner.domain_items:
                partner.domain_items = [
                    domain for domain in kinds.get("domains", [])
                    if any(p is partner for p in domain.partner_items)
                ]


def register():
    signals.all_generators_finalized.connect(link)
