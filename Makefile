# Two commands set everything up: `make site` and `make test` (see README.md).
VENV   := .venv
PYTHON := $(VENV)/bin/python
SITE   ?= site
ARGS   ?=
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve links lint clean

# The virtualenv is rebuilt whenever the pins change.
$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

site: $(VENV)/.installed
	$(VENV)/bin/mkdocs build --strict

serve: $(VENV)/.installed
	$(VENV)/bin/mkdocs serve

test: lint
	$(PYTHON) -m pytest

# Check every link of a built site (see README: `make links SITE=DIR ARGS='...'`).
links: $(VENV)/.installed
	PYTHONPATH=hooks $(PYTHON) -m compliance.links --site $(SITE) $(ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check hooks tests
	$(VENV)/bin/ruff format --check hooks tests
	$(VENV)/bin/zizmor --offline .github/workflows/

clean:
	rm -rf $(SITE) .site.* site.linkmap.json .pytest_cache
