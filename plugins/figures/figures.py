"""Data files for figures and charts: `content/data/<name>.toml`.

Each file is read once per build and offered to templates as `data[<name>]`;
an item refers to one with `Figures: <name>`. A file that does not parse, or
an item that names a file that does not exist, is an error naming the file.
"""

import logging
import os
import tomllib

from blinker import signal
from pelican import signals

logger = logging.getLogger(__name__)
LOG_PREFIX = "[figures]"

# Sent (with the list of generators) once `data` is in the context; plugins
# that read it connect here (Pelican calls the receivers of one signal in no
# fixed order).
data_ready = signal("figures_data_ready")

DEFAULTS = {"path": "data"}


def get_settings(settings):
    user = settings.get("FIGURES", {}) or {}
    for key in sorted(set(user) - set(DEFAULTS)):
        logger.error("%s unknown key %r in the FIGURES setting", LOG_PREFIX, key)
    return dict(DEFAULTS, **user)


def load_data(folder):
    """`{name: parsed TOML}` for every .toml file in `folder`."""
    data = {}
    if not os.path.isdir(folder):
        return data
    for filename in sorted(os.listdir(folder)):
        if not filename.endswith(".toml"):
            continue
        path = os.path.join(folder, filename)
        try:
            with open(path, "rb") as handle:
                data[filename[: -len(".toml")]] = tomllib.load(handle)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            logger.error("%s %s: data: the file does not parse: %s", LOG_PREFIX, path, error)
    return data


def add_data(generators):
    settings = generators[0].settings
    context = generators[0].context
    folder = os.path.join(settings["PATH"], get_settings(settings)["path"])
    context["data"] = data = load_data(folder)
    for gen in generators:
        for item in getattr(gen, "articles", []) + getattr(gen, "pages", []):
            name = item.metadata.get("figures")
            if name and name not in data:
                logger.error(
                    "%s %s: figures: there is no data file %s/%s.toml",
                    LOG_PREFIX,
                    item.relative_source_path,
                    get_settings(settings)["path"],
                    name,
                )
    data_ready.send(generators)


def register():
    signals.all_generators_finalized.connect(add_data)
