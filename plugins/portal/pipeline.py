"""The steps that turn Markdown's HTML into the published body, in order.

A plugin registers its step at import:

    @pipeline.body_step("typography", order=10)
    def typeset_step(parts, settings):
        parts["content"] = typeset(parts["content"])
        return []                      # or [(field, message), ...] to report

`parts` holds the rendered `content` and, when the file gives one, its
`summary`. A step runs only in builds whose PLUGINS list its plugin.

Where the steps run: by default on every item Pelican makes (the plugin
connects `apply_to_item` to `content_object_init`); a fast build runs them
once per file where it renders the Markdown (`run`) and says so with
`run_in_reader(True)`, so they are not run twice.
"""

from pelican.contents import Static

from . import compat, problems
from .settings import enabled

_steps = []  # (order, plugin, function)
_state = {"in_reader": False}


def body_step(plugin, order):
    def register(function):
        if not any(p == plugin and f.__name__ == function.__name__ for _, p, f in _steps):
            _steps.append((order, plugin, function))
            _steps.sort(key=lambda step: (step[0], step[1]))
        return function
    return register


def run(parts, settings):
    """Run every step of the listed plugins on `parts` (changed in place);
    returns the problems found as (plugin, field, message)."""
    found = []
    for _, plugin, function in _steps:
        if enabled(settings, plugin):
            found += [(plugin, field, message) for field, message in function(parts, settings)]
    return found


def run_in_reader(flag):
    _state["in_reader"] = flag


def report(rel, found):
    for plugin, field, message in found:
        problems.report(plugin, rel, field, message)


def apply_to_item(content):
    """`content_object_init` receiver: the steps on one item, unless the
    reader has run them already."""
    if _state["in_reader"] or isinstance(content, Static) or not compat.body(content):
        return
    # A summary written in the metadata is rendered Markdown too.
    has_summary = "summary" in content.metadata and compat.written_summary(content)
    parts = {"content": compat.body(content)}
    if has_summary:
        parts["summary"] = compat.written_summary(content)
    report(content.relative_source_path, run(parts, content.settings))
    compat.set_body(content, parts["content"])
    if has_summary:
        compat.set_written_summary(content, parts["summary"])
        content.metadata["summary"] = parts["summary"]
