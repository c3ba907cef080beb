"""The portal's core: what every plugin of this site shares. Not a plugin itself.

- `model`: the content kinds (folders, URL sections, templates, fields, sort
  order), the languages, the partner and domain keys, the lists per language.
- `settings`: a plugin's setting merged over its defaults; is a plugin listed.
- `cache`: one store for what a build keeps for the next one.
- `problems`: problems for authors as records (path, field, message, level).
- `pipeline`: the steps that turn a rendered body into the published one.
- `sidework`: jobs that need the site model but write no page, done beside
  the pages by the processes that write them.
- `linker`: hard links from the previous build's folder into a safe build's
  new one, made by a process of its own beside the build.
- `compat`: the only module that touches Pelican's or Markdown's internals.

Plugins import from here and never from each other.
"""
