# Brainport Eindhoven · Limburg · Kempen portal.
# `make help` lists the targets. The first run creates .venv from requirements.txt.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
HOST ?= 127.0.0.1
INPUTDIR ?= content
OUTPUTDIR ?= output
CONFFILE ?= pelicanconf.py
PUBLISHCONF ?= publishconf.py
# Remember whether SITEURL came from the caller before the local default applies.
PUBLISH_SITEURL := $(SITEURL)
SITEURL ?= http://localhost:$(PORT)

PY := $(VENV)/bin/python
PELICAN := $(VENV)/bin/pelican
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this list of targets
	@echo "Usage: make <target> [PORT=8000] [SITEURL=...]"
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@test -x "$(PY)" || $(PYTHON) -m venv "$(VENV)"
	"$(PY)" -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch "$(STAMP)"

.PHONY: venv
venv: $(STAMP) ## Create .venv with the pinned dependencies (done by every target)

.PHONY: html
html: $(STAMP) ## Build the site into output/ for local preview (stops on any content error)
	SITEURL="$(SITEURL)" "$(PY)" tools/build.py -c "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)"

.PHONY: serve
serve: $(STAMP) ## Preview at http://localhost:$(PORT)/: rebuilds on every save, reloads the browser
	@SITEURL="$(SITEURL)" exec "$(PY)" tools/serve.py -c "$(INPUTDIR)" -o "$(OUTPUTDIR)" \
		-s "$(CONFFILE)" --host "$(HOST)" --port "$(PORT)"

# The port of decap-server for make cms (0: a free one).
CMS_PORT ?= 0

.PHONY: cms
cms: $(STAMP) node-tools ## Web editor at http://localhost:$(PORT)/admin/ with the preview (both languages side by side)
	@SITEURL="$(SITEURL)" exec "$(PY)" tools/cms.py -c "$(INPUTDIR)" -o "$(OUTPUTDIR)" \
		-s "$(CONFFILE)" --host "$(HOST)" --port "$(PORT)" --backend-port "$(CMS_PORT)"

.PHONY: devserver
devserver: serve ## The same as make serve

.PHONY: publish
publish: $(STAMP) ## Build for the public site: SITEURL=https://example.github.io/portal make publish
	@if [ -z "$(PUBLISH_SITEURL)" ]; then \
		echo "make publish: set SITEURL to the public address, e.g. SITEURL=https://example.github.io/portal make publish" >&2; \
		exit 2; fi
	SITEURL="$(PUBLISH_SITEURL)" "$(PY)" tools/build.py --strict -c "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(PUBLISHCONF)"

.PHONY: clean
clean: ## Remove output/ and caches
	rm -rf "$(OUTPUTDIR)" __pycache__ .pytest_cache cache

# npm writes this file on every install: older than package-lock.json means stale.
NODE_STAMP := node_modules/.package-lock.json

.PHONY: node-tools
node-tools: ## Install the npm test tools from package-lock.json when missing or stale
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm is not installed: the accessibility and HTML validation tests will be skipped" >&2; \
	elif [ ! -f "$(NODE_STAMP)" ] || [ package-lock.json -nt "$(NODE_STAMP)" ]; then \
		echo "npm ci: node_modules is missing or older than package-lock.json"; \
		npm ci --no-audit --no-fund --loglevel=error; \
	fi

.PHONY: test
test: $(STAMP) node-tools ## Run the whole test suite
	"$(PY)" -m pytest

.PHONY: expected
expected: $(STAMP) ## Record the real site's files as the expected output (tests/expected/site.sha256)
	UPDATE_EXPECTED=1 "$(PY)" -m pytest -q tests/test_expected_output.py

.PHONY: translations
translations: $(STAMP) ## Extract interface strings and update the nl/en catalogs
	"$(VENV)/bin/pybabel" extract --no-location --sort-output -k gettext_in:2 -F theme/babel.cfg \
		-o theme/messages.pot theme
	@for lang in nl en; do \
		test -f theme/translations/$$lang/LC_MESSAGES/messages.po || \
		"$(VENV)/bin/pybabel" init -l $$lang -i theme/messages.pot -d theme/translations; \
	done
	"$(VENV)/bin/pybabel" update --no-fuzzy-matching --ignore-obsolete \
		-i theme/messages.pot -d theme/translations

# --- Content authors ----------------------------------------------------------
TITLE ?=
TITLE_EN ?=
SLUG_EN ?=
DATE ?=
KIND ?= news

.PHONY: newpost
newpost: $(STAMP) ## New Dutch + English item: make newpost TITLE="Titel" [TITLE_EN="Title"] [SLUG_EN=slug] [DATE=2026-03-18] [KIND=news]
	"$(PY)" tools/newpost.py --kind "$(KIND)" --content "$(INPUTDIR)" --title-en "$(TITLE_EN)" \
		--slug-en "$(SLUG_EN)" --date "$(DATE)" "$(TITLE)"

.PHONY: i18n-status
i18n-status: $(STAMP) ## List items without a counterpart, and translations behind their Dutch source (STRICT=1: exit 1 then)
	"$(PY)" tools/i18n_status.py --content "$(INPUTDIR)" $(if $(STRICT),--strict)

.PHONY: i18n-in-step
i18n-in-step: $(STAMP) ## Record that a translation is in step with its source: make i18n-in-step FILE=content/news/x.en.md
	@if [ -z "$(FILE)" ]; then echo 'make i18n-in-step: name the translation, e.g. FILE=content/news/x.en.md' >&2; exit 2; fi
	"$(PY)" tools/i18n_status.py --in-step $(FILE)


# --- Theme review -------------------------------------------------------------

.PHONY: screenshots
screenshots: $(STAMP) ## Build and screenshot the key pages at 1280 and 390 px into screenshots/
	"$(PY)" scripts/screenshots.py screenshots

.PHONY: audit
audit: $(STAMP) ## Build and print page sizes and Lighthouse scores of the key pages
	@test -x node_modules/.bin/lighthouse || npm ci --no-audit --no-fund
	"$(PY)" scripts/audit.py


# --- Feeds and editions -------------------------------------------------------

.PHONY: feeds-report
feeds-report: $(STAMP) ## List every feed and e-mail export in output/ with items, sizes and validity
	"$(PY)" plugins/feeds/report.py "$(OUTPUTDIR)"


# --- Publishing ---------------------------------------------------------------
# `make github` publishes to a branch, for repositories whose Pages source is
# "Deploy from a branch"; the workflow in .github/ needs none of this.
GITHUB_REMOTE ?= origin
GITHUB_BRANCH ?= gh-pages

.PHONY: github
github: publish ## Build and push output/ to the gh-pages branch: SITEURL=https://org.github.io/repo make github
	"$(VENV)/bin/ghp-import" --no-jekyll --force --push \
		--remote "$(GITHUB_REMOTE)" --branch "$(GITHUB_BRANCH)" \
		--message "Publish the site" "$(OUTPUTDIR)"


# --- Search and speed ---------------------------------------------------------
.PHONY: bench
bench: $(STAMP) ## Time cold and warm builds against plain Pelican (BENCH_N="500 2000" BENCH_RUNS=5)
	"$(PY)" tools/bench.py $(BENCH_N)
