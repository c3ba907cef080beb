"""Partials that come out the same on many pages, rendered once per build.

`{{ partial_cached("partials/footer.html", doc.lang) }}` renders the partial
as `{% include %}` would, the first time it is asked for with these arguments
in a build, and gives the same HTML for the rest of the build (as Hugo's
`partialCached` does). The arguments must tell apart everything the partial's
output depends on (lists count by their items). Keyword arguments are
variables the partial reads, as `{% with %}` around an include would set them:
`partial_cached("partials/links.html", doc.lang, urls, item=article)`; they do
not tell renderings apart, so the positional ones must.

A partial that shows the text (body or summary) of content items must stay an
include: a rebuild needs to know which pages show which text.
"""

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals


def make_partial_cached():
    """A `partial_cached` template function with a cache of its own: one per
    template environment, and Pelican makes new ones for every build."""
    cache = {}

    @pass_context
    def partial_cached(context, name, *variant, **values):
        key = (name, _hashable(variant))
        found = cache.get(key)
        if found is None:
            html = context.environment.get_template(name).render(context.get_all(), **values)
            found = cache[key] = Markup(html) if context.eval_ctx.autoescape else html
        return found

    return partial_cached


def _hashable(value):
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def install(generator):
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["partial_cached"] = make_partial_cached()


def register():
    signals.generator_init.connect(install)
