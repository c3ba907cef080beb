"""Bar charts drawn at build time as accessible inline SVG, no JavaScript.

A data file in `content/data/` (read by the figures plugin) describes its
chart in a `[chart]` table:

    [chart]
    series = "value_added_per_hour_2024"   # the table whose values are drawn
    format = "currency"                     # currency, percent or number
    title = "Gross value added per hour worked in 2024"
    labels = { limburg = "Limburg", flanders = "Flanders" }

`title` and `labels` are interface strings (English msgids of the theme's
catalogs), so the chart speaks the page's language; values are formatted
with Babel through the l10n filters. The SVG has `role="img"`, a `<title>`
and a `<desc>` that lists every value, joined by `aria-labelledby`. Colours
come from classes in the stylesheet; there are no `style` attributes.
"""

import logging
from xml.sax.saxutils import escape, quoteattr

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

from portal.settings import plugin_settings
from portal import model, problems

logger = logging.getLogger(__name__)
LOG_PREFIX = "[charts]"

DEFAULTS = {
    # Drawing size in SVG units; the chart scales to the column width.
    "width": 640,
    "bar_height": 36,
    "gap": 16,
    "label_width": 150,
    "value_width": 90,
}
FORMATS = {"currency": "format_currency", "percent": "format_percent", "number": "format_number"}


get_settings = plugin_settings("CHARTS", DEFAULTS, "charts")


def draw(name, title, rows, conf):
    """SVG markup: `rows` is `[(label, value, formatted value)]`."""
    top = conf["gap"]
    height = top + len(rows) * (conf["bar_height"] + conf["gap"])
    span = conf["width"] - conf["label_width"] - conf["value_width"]
    largest = max((value for _, value, _ in rows), default=0) or 1
    ids = f"chart-{name}-title", f"chart-{name}-desc"
    desc = "; ".join(f"{label}: {shown}" for label, _, shown in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {conf["width"]} {height}" aria-labelledby="{ids[0]} {ids[1]}">',
        f'<title id="{ids[0]}">{escape(title)}</title>',
        f'<desc id="{ids[1]}">{escape(desc)}</desc>',
    ]
    for number, (label, value, shown) in enumerate(rows):
        y = top + number * (conf["bar_height"] + conf["gap"])
        middle = y + conf["bar_height"] / 2
        width = round(span * value / largest, 1)
        parts += [
            f'<text class="chart__label" x="4" y="{middle}" dominant-baseline="middle" '
            'fill="currentColor">'
            f"{escape(label)}</text>",
            f'<rect class="chart__bar" x="{conf["label_width"]}" y="{y}" width="{width}" '
            f'height="{conf["bar_height"]}" fill="#0b5cad"/>',
            f'<text class="chart__value" x="{conf["label_width"] + width + 8}" y="{middle}" '
            f'dominant-baseline="middle" fill="currentColor">{escape(shown)}</text>',
        ]
    parts.append("</svg>")
    return Markup("\n".join(parts))


@pass_context
def chart(context, name):
    """The chart of data file `name` in the page's language, in a `<figure>`
    with the title as its visible caption ('' without a chart)."""
    spec = context["data"].get(name, {}).get("chart")
    if not spec:
        return ""
    env = context.environment
    lang = (context.get("article") or context.get("page")).lang
    gettext_in = env.globals["gettext_in"]
    values = context["data"][name].get(spec.get("series"))
    formatter = FORMATS.get(spec.get("format", "number"))
    if not isinstance(values, dict) or formatter is None:
        return ""  # reported by `check`
    rows = [
        (gettext_in(lang, label), values[key],
         env.call_filter(formatter, values[key], context=context))
        for key, label in spec.get("labels", {}).items()
        if key in values
    ]
    title = gettext_in(lang, spec["title"])
    svg = draw(name, title, rows, _build["conf"])
    return Markup('<figure class="chart-figure">\n<figcaption>{}</figcaption>\n{}\n</figure>').format(
        title, svg)


def check(generators):
    """A `[chart]` table names a series that exists and a known format."""
    settings = generators[0].settings
    for name, data in sorted(generators[0].context.get("data", {}).items()):
        spec = data.get("chart")
        if not spec:
            continue
        where = f"{settings.get('FIGURES', {}).get('path', 'data')}/{name}.toml"
        series = data.get(spec.get("series"), None)
        if not isinstance(series, dict):
            problems.report("charts", where, "chart",
                            f"series {spec.get('series')!r} is not a table in this file")
        elif set(spec.get("labels", {})) - set(series):
            problems.report("charts", where, "chart",
                            f"labels name keys that are not in {spec['series']!r}")
        if spec.get("format", "number") not in FORMATS:
            problems.report("charts", where, "chart",
                            f"format must be one of {', '.join(FORMATS)}")


_build = {}  # this build's settings, taken when the templates are set up


def install(generator):
    _build["conf"] = get_settings(generator.settings)
    generator.env.filters["chart"] = chart


def register():
    signals.generator_init.connect(install)
    model.data_ready.connect(check)
