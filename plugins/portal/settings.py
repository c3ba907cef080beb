"""Plugin settings: one dict setting per plugin, merged over its defaults.

    conf = merged(settings, "RELATED", DEFAULTS, plugin="related")

A key the plugin does not know is reported once per build as a problem of
the settings file, with the closest known key as a hint.
"""

import difflib

from . import problems

_merged = {}  # (setting name, id(settings)) -> (settings, merged)


def merged(settings, name, defaults, plugin, nested=()):
    """`settings[name]` over `defaults`; unknown keys are reported (once for
    each settings object, however often a plugin asks). The keys in `nested`
    hold dicts of their own, merged the same way over their defaults."""
    memo_key = (name, id(settings))
    known = _merged.get(memo_key)
    if known is not None and known[0] is settings:
        return known[1]
    user = settings.get(name) or {}
    result = _merge(user, name, defaults, plugin)
    for key in nested:
        result[key] = _merge(user.get(key) or {}, f"{name}[{key!r}]", defaults[key], plugin)
    if len(_merged) > 64:
        _merged.clear()
    _merged[memo_key] = (settings, result)
    return result


def _merge(user, name, defaults, plugin):
    for key in sorted(set(user) - set(defaults)):
        close = difflib.get_close_matches(key, sorted(defaults), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problems.report(plugin, "(settings)", name, f"unknown key {key!r} in the {name} "
                        f"setting{hint}")
    return dict(defaults, **user)


_listed = {}


def enabled(settings, plugin):
    """Whether `plugin` is listed in PLUGINS (by name or as a module)."""
    plugins = settings.get("PLUGINS") or []
    try:
        key = (tuple(plugins), plugin)
        return _listed[key]
    except TypeError:  # an entry that cannot be a key: worked out every time
        key = None
    except KeyError:
        pass
    names = [str(getattr(p, "__name__", p)) for p in plugins]
    found = any(name in (plugin, f"pelican.plugins.{plugin}") or name.startswith(plugin + ".")
                for name in names)
    if key is not None:
        _listed[key] = found
    return found


def plugin_settings(name, defaults, plugin, nested=()):
    """The `get_settings(settings)` of a plugin whose setting is `name`.

    Plugins ask for their settings per item, thousands of times a build: the
    merged settings are kept for the settings object and setting value they
    were made from (the same objects, not equal ones)."""
    last = [None, None, None]  # settings, its value of `name`, merged

    def get_settings(settings):
        value = settings.get(name)
        if last[0] is settings and last[1] is value:
            return last[2]
        found = merged(settings, name, defaults, plugin, nested)
        last[:] = [settings, value, found]
        return found
    get_settings.__doc__ = f"The {name} setting merged over the plugin's DEFAULTS."
    return get_settings
