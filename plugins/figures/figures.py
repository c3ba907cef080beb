"""Data files for figures and charts: `content/data/<name>.toml`.

Each file is read once per build and offered to templates as `data[<name>]`;
an item refers to one with `Figures: <name>`. A file that does not parse, or
an item that names a file that does not exist, is an error naming the file.
"""

import logging
import os
import tomllib

from pelican import signals
from portal.settings import plugin_settings
from portal import model, problems

logger = logging.getLogger(__name__)
LOG_PREFIX = "[figures]"


DEFAULTS = {"path": "data"}


get_settings = plugin_settings("FIGURES", DEFAULTS, "figures")


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
            problems.report("figures", path, "data", f"the file does not parse: {error}")
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
                problems.report("figures", item.relative_source_path, "figures",
                                f"there is no data file {get_settings(settings)['path']}/{name}.toml")
    model.data_ready.send(generators)


def register():
    signals.all_generators_finalized.connect(add_data)
