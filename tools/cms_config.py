"""The web editor's configuration (Decap CMS), made from the content model.

    python tools/cms_config.py [-s pelicanconf.py] [-c content] [--backend-port 8081] [-o folder]

One folder collection per kind of `portal.model.kinds`, with the languages of
the model side by side (`name.nl.md` next to `name.en.md`). A field that is
the same in every language (the kind's `neutral` fields) is entered once;
the others once per language. Domains, partners, news and tips are chosen
from the keys found in `content/`; dates are picked from a calendar.
Nothing here is written by hand: a new field or kind in the model shows up in
the editor at the next `make cms`.

Writes `config.yml` (JSON, which YAML reads as it is) and `model.js` (what the
metadata format of admin/pelican-format.js needs to know) into the folder.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
from portal import model  # noqa: E402

# Fields the editor shows for every kind, besides the kind's own, in this order.
COMMON = ("title", "slug", "summary", "image", "image_alt", "image_caption", "image_credit",
          "status")
# Labels in both languages of the editor's users; a field not listed is
# shown under its name.
LABELS = {
    "title": "Titel / Title",
    "slug": "Adres (slug) / Address (slug)",
    "summary": "Samenvatting / Summary",
    "status": "Status",
    "date": "Datum / Date",
    "start": "Begin / Start",
    "end": "Einde / End",
    "location": "Plaats / Location",
    "domains": "Domeinen / Focus domains",
    "partners": "Partners",
    "news": "Nieuwsberichten / News items",
    "tips": "Groeitips / Growth tips",
    "figures": "Cijfers / Figures",
    "side": "Kant / Side",
    "order": "Volgorde / Order",
    "body": "Tekst / Text",
    "image": "Afbeelding bovenaan / Lead image",
    "image_alt": "Beschrijving van de afbeelding (alt) / Image description (alt)",
    "image_caption": "Onderschrift / Caption",
    "image_credit": "Maker of bron / Credit",
}
HINTS = {
    "image_alt": "Verplicht bij een afbeelding: wat erop staat, voor wie ze niet ziet. / "
                 "Required with an image: what it shows, for those who cannot see it.",
}
KIND_LABELS = {
    "news": "Nieuws / News",
    "pages": "Pagina's / Pages",
    "partners": "Partners",
    "domains": "Domeinen / Focus domains",
    "editions": "Nieuwsbrieven / Newsletter editions",
    "tips": "Groeitips / Growth tips",
    "events": "Agenda / Events",
}
DATE_FIELDS = ("date", "modified", "start", "end")
TEXT_FIELDS = ("summary",)


def field_config(settings, kind, name):
    """The editor's field for `name` of `kind`."""
    field = {"label": LABELS.get(name, name.replace("_", " ").capitalize()), "name": name,
             "required": name in kind.required,
             "i18n": "duplicate" if name in kind.neutral_fields else True}
    if name in HINTS:
        field["hint"] = HINTS[name]
    if name == "image":
        # `Image: images/x.jpg`, as the images plugin reads it.
        field.update(widget="image", choose_url=False)
    elif name in model.KEY_FIELDS:
        field.update(widget="select", multiple=True,
                     options=model.keys_of(settings, model.KEY_FIELDS[name]))
    elif name in model.FIELD_VALUES:
        field.update(widget="select", options=list(model.FIELD_VALUES[name]))
    elif name in DATE_FIELDS:
        field.update(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD",
                     time_format=False, picker_utc=True)
    elif name == "order":
        field.update(widget="string", pattern=["^[0-9]*$", "Een geheel getal / A whole number"])
    elif name in TEXT_FIELDS:
        field.update(widget="text")
    else:
        field.update(widget="string")
    return field


def field_names(kind):
    """The fields of `kind` in the editor's order: title, the required ones,
    the optional ones, the neutral ones, then slug, summary, the lead image
    and status."""
    names = ["title", *kind.required, *kind.optional, *kind.neutral, *COMMON]
    return list(dict.fromkeys(names))


def config(settings, content="content", backend_port=8081, root=ROOT):
    """The editor's configuration as a dict."""
    codes = model.languages(settings)
    i18n = {"structure": "multiple_files", "locales": codes, "default_locale": codes[0]}
    folder = os.path.relpath(os.path.abspath(content), root).replace(os.sep, "/")
    collections = []
    for name, kind in model.kinds(settings).items():
        fields = [field_config(settings, kind, field) for field in field_names(kind)]
        fields.append({"label": LABELS["body"], "name": "body", "widget": "markdown",
                       "required": False, "i18n": True})
        collections.append({
            "name": name, "label": KIND_LABELS.get(name, name.capitalize()),
            "folder": f"{folder}/{name}", "extension": "md", "format": "pelican",
            "create": True, "slug": "{{slug}}", "identifier_field": "title",
            "summary": "{{title}}" + ("  ·  {{date}}" if "date" in kind.required else ""),
            "sortable_fields": ["title", "date"] if kind.sort == "date" else ["title"],
            "i18n": dict(i18n), "fields": fields,
        })
    return {
        # Saved through decap-server on this machine (make cms); see docs/cms.md
        # for what signing in on the published site would need.
        "backend": {"name": "git-gateway"},
        "local_backend": {"url": f"http://127.0.0.1:{backend_port}/api/v1",
                          "allowed_hosts": ["127.0.0.1", "localhost"]},
        "publish_mode": "simple",
        "media_folder": f"{folder}/images",
        "public_folder": "images",
        "i18n": i18n,
        "collections": collections,
    }


def model_js(settings):
    """What admin/pelican-format.js and admin/portal-cms.js read about the model."""
    data = {
        "listFields": sorted(model.KEY_FIELDS),
        "languages": model.languages(settings),
        "order": {name: field_names(kind) for name, kind in model.kinds(settings).items()},
    }
    return ("// Made by tools/cms_config.py from the content model at each `make cms`.\n"
            f"window.PORTAL_MODEL = {json.dumps(data, indent=1, sort_keys=True)};\n")


def write(settings, folder, content="content", backend_port=8081):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(config(settings, content, backend_port), indent=2, ensure_ascii=False)
    (folder / "config.yml").write_text(
        "# Made by tools/cms_config.py from the content model (plugins/portal/model.py)\n"
        "# at each `make cms`: change the model, not this file.\n" + text + "\n", "utf-8")
    (folder / "model.js").write_text(model_js(settings), "utf-8")
    return folder / "config.yml"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write the web editor's configuration.")
    parser.add_argument("-s", "--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("-c", "--content", default="content")
    parser.add_argument("-o", "--output", default="cache/cms")
    parser.add_argument("--backend-port", type=int, default=8081)
    args = parser.parse_args(argv)
    settings = model.project_settings(args.settings)
    settings = dict(settings, PATH=os.path.abspath(args.content))
    print(write(settings, args.output, args.content, args.backend_port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
