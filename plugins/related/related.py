"""Cross-links between news items, domains and partners, within one language.

The bilingual plugin resolves what an item names itself (`Domains:`,
`Partners:`) and which news items name a domain or partner. This adds the
links the other way round and between news items:

- `related_news` on a news item: other news items of the same language that
  share a domain or partner with it, most shared first, then newest first;
- `domain_items` on a partner: the domains that name the partner.
"""

import heapq

from portal import model
from portal.settings import plugin_settings

DEFAULTS = {
    # How many related news items a news item shows.
    "max_news": 3,
}


get_settings = plugin_settings("RELATED", DEFAULTS, "related")


def _keys(item):
    """The domains and partners an item names: `{("domains", "mobility"), ...}`."""
    keys = set()
    for field in ("domains", "partners"):
        raw = item.metadata.get(field, "")
        values = raw.split(",") if isinstance(raw, str) else raw
        keys.update((field, value.strip()) for value in values if value.strip())
    return frozenset(keys)


def _rank(mine, holders, keys, order, limit):
    """The `limit` items that share most of `mine`, then newest, then by path."""
    candidates = {id(o): o for key in mine for o in holders.get(key, [])}
    return heapq.nsmallest(
        limit, candidates.values(),
        key=lambda other: (-len(mine & keys[id(other)]), *order[id(other)]),
    )


def link(generators):
    context = generators[0].context
    conf = get_settings(generators[0].settings)
    limit = conf["max_news"]
    for kinds in context.get("by_lang", {}).values():
        news = kinds.get("news", [])
        keys = {id(item): _keys(item) for item in news}
        # Only items that share at least one key can be related.
        holders = {}
        for item in news:
            for key in keys[id(item)]:
                holders.setdefault(key, []).append(item)
        order = {id(item): (-item.date.timestamp(), item.relative_source_path)
                 for item in news}
        # Items that name the same domains and partners have the same ranking
        # (less themselves): rank once per combination, not once per item.
        rankings = {}
        for item in news:
            mine = keys[id(item)]
            if mine not in rankings:
                rankings[mine] = _rank(mine, holders, keys, order, limit + 1)
            item.related_news = [o for o in rankings[mine] if o is not item][:limit]
        for partner in kinds.get("partners", []):
            if not partner.domain_items:
                partner.domain_items = [
                    domain for domain in kinds.get("domains", [])
                    if any(p is partner for p in domain.partner_items)
                ]


def register():
    model.languages_ready.connect(link)
