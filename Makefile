# helpsite — the writer's interface. `make help` lists the targets.
# Every target bootstraps .venv from pyproject.toml on first use (and again when it changes).

PYTHON   ?= python3
VENV     ?= .venv
BIN      := $(VENV)/bin
HELPSITE := $(BIN)/helpsite
SOURCE   ?= source
BUILD    ?= build
LOCALES  ?=
PYTEST_ARGS ?=

# `make html LOCALES="nl-NL de-DE"` builds a subset of the configured locales.
LOCALE_ARGS := $(if $(strip $(LOCALES)),--locales "$(LOCALES)")

.DEFAULT_GOAL := help
.PHONY: help html validate test lint clean venv linkcheck gettext update-po stats check-po compile

# The variables a writer can set (`make html LOCALES="nl-NL"`), as `make help` lists them:
# one `##` line each. tests/test_first_hour.py checks that every `?=` variable is here.
##  LOCALES         locales to work on, e.g. "nl-NL de-DE" (default: every locale of conf.py)
##  SOURCE          folder of the articles (default: source)
##  SOURCE_LOCALE   language of SOURCE when it is another tree, e.g. nl-NL (docs/building.md)
##  BUILD           output folder (default: build; the sites go to BUILD/html/)
##  BUILD_ARGS      more options for `helpsite build`, e.g. "--strict -D html_title=Help"
##  JOBS            locales built at once (default: one per CPU)
##  PORT            port of `make serve` (default: 8000)
##  LINKCHECK_ARGS  more options for `helpsite linkcheck`, e.g. "--no-external"
##  PYTEST_ARGS     more options for pytest, e.g. "-k status -x"
##  BENCH_ARGS      options of the build benchmark, e.g. "--quick"
##  BENCH_SHARDS_ARGS  options of `make bench-shards`, e.g. "--articles 100"
##  BENCH_RELOAD_ARGS  options of `make bench-reload`, e.g. "--locale th-TH --rounds 3"
##  BENCH_CORPUS    folder of locale folders for `make bench-validate`
##  BENCH_VALIDATE_ARGS  options of `make bench-validate`, e.g. "--runs 1 --fail-on-goal"
##  IMPORT_SXS      folder of sxs files for `make bench-import`
##  IMPORT_LOCALE   their locale (default: nl-NL)
##  IMPORT_LIMIT    import only the first N articles (default: 0, all)
##  BENCH_HANDOFF_ARGS  options of `make bench-handoff`, e.g. "--locales nl-NL --markdown"
##  BENCH_SEARCH_ARGS  options of `make bench-search`, e.g. "--quick" or "--json build/search.json"
##  CHROMIUM        the browser the browser tests drive (default: /usr/bin/chromium)
##  XLIFF_SCHEMAS   the OASIS XLIFF 2.0 schema the handoff tests validate against (Debian's php-symfony-translation)
##  FUZZ_EXAMPLES   hostile builds `make fuzz` tries (default: 2000)
##  PYTHON          the Python that creates .venv (default: python3, 3.11 or newer)
##  VENV            the virtual environment's folder (default: .venv)
help: ## List the targets and the variables
	@echo "helpsite — make targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-16s %s\n", $$1, $$2}'
	@echo
	@echo "Variables (make TARGET NAME=value):"
	@grep -E '^##  [A-Z_]+ ' $(MAKEFILE_LIST) | sed 's/^##//'

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "Could not create $(VENV): install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

venv: $(BIN)/.installed ## Create or refresh the virtual environment

# helpsite's own modules compiled ahead: where PYTHONDONTWRITEBYTECODE is set (containers
# often do) Python would otherwise compile them in every locale process (~0.2 s each).
PACKAGE_SOURCES := $(shell find tools/helpsite -name '*.py' 2>/dev/null)
$(BIN)/.bytecode: $(BIN)/.installed $(PACKAGE_SOURCES)
	@$(BIN)/python -m compileall -q tools/helpsite >/dev/null
	@touch $@

# Another source tree as a site in its own language (docs/building.md):
#   make html SOURCE=../shared/corpus/alchemy/nl-NL SOURCE_LOCALE=nl-NL BUILD=build/corpus-nl
SOURCE_LOCALE ?=
BUILD_ARGS ?=
# Locales built at once: JOBS=1 builds them one after another (default: one per CPU).
JOBS ?=
# One recipe line: make echoes a continued line with its backslashes.
HTML_ARGS = $(strip --conf-dir . --source $(SOURCE) --out $(BUILD) $(LOCALE_ARGS) \
	$(if $(strip $(SOURCE_LOCALE)),--source-locale $(SOURCE_LOCALE)) \
	$(if $(strip $(JOBS)),--parallel $(JOBS)) $(BUILD_ARGS))
html: $(BIN)/.bytecode ## Build the help site of every configured locale into build/html/ (JOBS=N at once)
	$(HELPSITE) build $(HTML_ARGS)

.PHONY: serve
PORT ?= 8000
# Live preview (docs/building.md): build, serve, rebuild what a save changes and reload
# the browser. WATCH=0 serves $(BUILD)/html as it is (unset: on).
SERVE_ARGS = $(if $(filter 0 no off false,$(WATCH)),--dir $(BUILD)/html,--watch --conf-dir . \
	--source $(SOURCE) --out $(BUILD) $(LOCALE_ARGS) $(if $(strip $(JOBS)),--parallel $(JOBS)))
serve: $(BIN)/.bytecode ## Live preview at http://127.0.0.1:8000/, rebuilt and reloaded on save (WATCH=0: as built; PORT=8001)
	$(HELPSITE) serve --port $(PORT) $(SERVE_ARGS)

validate: $(BIN)/.installed ## Check every article in source/ (front matter, links, steps, HTML)
	$(HELPSITE) validate $(SOURCE)

# Reference pages generated from the schema and the code registry (docs/validating.md).
.PHONY: docs bench-validate
docs: $(BIN)/.installed ## Regenerate docs/metadata-reference.md and docs/finding-codes.md
	$(HELPSITE) docs --docs docs

# The benchmarks live in bench/ (not part of the installed package), run from the
# repository root; the real corpus is found in ../shared or $HELPSITE_SHARED (bench/data.py),
# their goals are in bench/goals.py.
# Validation benchmark over the real corpus: BENCH_CORPUS=folder of locale folders.
BENCH_CORPUS ?=
BENCH_VALIDATE_ARGS ?=
bench-validate: $(BIN)/.installed ## Time validating each corpus locale (median of 3 runs; goal < 10 s of CPU)
	$(BIN)/python -m bench.validate $(BENCH_CORPUS) $(BENCH_VALIDATE_ARGS)

# Build benchmark (docs/building.md): helpsite against plain sphinx-build, sample site and
# the real corpus (imported once into build/bench/corpus). BENCH_ARGS=--quick for a look.
BENCH_ARGS ?=
.PHONY: bench
bench: $(BIN)/.bytecode ## Time helpsite's build against plain Sphinx (cold, incremental, memory)
	$(BIN)/python -m bench.build $(BENCH_ARGS)

# Shard benchmark (docs/building.md, "Building in CI"): cold builds of a corpus project as
# 1 job and split into 2 and 4 shards (the CI matrix of .github/workflows/site.yml), merged.
BENCH_SHARDS_ARGS ?=
.PHONY: bench-shards
bench-shards: $(BIN)/.bytecode ## Time the build as 1 job and as 2 and 4 shards merged (CI matrix)
	$(BIN)/python -m bench.shards $(BENCH_SHARDS_ARGS)

# Live preview benchmark (docs/building.md, "Live preview"): catalog saves of the real
# nl-NL articles through helpsite serve's rebuilder, the index deferred and inline.
BENCH_RELOAD_ARGS ?=
.PHONY: bench-reload
bench-reload: $(BIN)/.bytecode ## Time the live preview from a save to the reload and to the search index
	$(BIN)/python -m bench.reload $(BENCH_RELOAD_ARGS)

# `make linkcheck LINKCHECK_ARGS="--no-external"` passes options through (see docs/linkcheck.md).
LINKCHECK_ARGS ?=
linkcheck: $(BIN)/.installed ## Check internal and external links of the built sites of all locales
	$(HELPSITE) linkcheck $(BUILD)/html $(if $(strip $(LOCALES)),--locales "$(LOCALES)") $(LINKCHECK_ARGS)

# Translation catalogs (docs/translating.md). LOCALES="nl-NL de-DE" limits update-po/stats/compile.
gettext: $(BIN)/.installed ## Extract one POT per article (incl. front matter) into build/gettext/
	$(BIN)/sphinx-build -q -b gettext -c . -D gettext_compact=0 $(SOURCE) $(BUILD)/gettext

update-po: $(BIN)/.installed ## Merge build/gettext/*.pot into locales/<tag>/LC_MESSAGES/*.po (nothing lost)
	$(HELPSITE) update-po --pot-dir $(BUILD)/gettext --locales-dir locales --source $(SOURCE) $(LOCALE_ARGS)

stats: $(BIN)/.installed ## Translation statistics per locale and page (+ build/translation-status.html)
	$(HELPSITE) stats --locales-dir locales --source $(SOURCE) --pot-dir $(BUILD)/gettext $(LOCALE_ARGS) --html $(BUILD)/translation-status.html

check-po: $(BIN)/.installed ## Translation QA on locales/ (links, code, HTML, unsafe content)
	$(HELPSITE) check-po locales

compile: $(BIN)/.installed ## Compile changed PO files to .mo (content hash, not mtime)
	$(HELPSITE) compile --locales-dir locales $(LOCALE_ARGS)

# Import fidelity benchmark (docs/importing.md): IMPORT_SXS=folder IMPORT_LOCALE=tag IMPORT_LIMIT=N.
# IMPORT_SXS defaults to the locale's folder of the shared sxs corpus.
IMPORT_SXS ?=
IMPORT_LOCALE ?= nl-NL
IMPORT_LIMIT ?= 0
.PHONY: bench-import
bench-import: $(BIN)/.installed ## Import sxs files, build the site, compare block by block (>= 99%)
	$(BIN)/python -m bench.fidelity $(IMPORT_SXS) --locale $(IMPORT_LOCALE) --limit $(IMPORT_LIMIT)

# Translation memory benchmark (docs/handoff.md): per sxs locale, the memory of 90 % of the
# articles fills the other 10 % (fixed seed); one locale at a time.
.PHONY: bench-handoff
BENCH_HANDOFF_ARGS ?=
bench-handoff: $(BIN)/.installed ## Measure the translation memory on the real locales (leverage, precision, time)
	$(BIN)/python -m bench.handoff $(BENCH_HANDOFF_ARGS)

# Search benchmark (docs/search.md): known-item queries from the ten imported sxs locales,
# Sphinx's search against Pagefind on the same pages, in Debian's chromium.
.PHONY: bench-search
BENCH_SEARCH_ARGS ?=
bench-search: $(BIN)/.bytecode ## Compare Sphinx's search and Pagefind in chromium (recall@5, MRR, bytes per query)
	$(BIN)/python -m bench.search $(BENCH_SEARCH_ARGS)

lint: $(BIN)/.installed ## ruff over the package, tests and benchmarks
	$(BIN)/ruff check tools tests bench conf.py

# Browser tests drive Debian's chromium (never a downloaded browser); install it when missing,
# waiting up to 10 minutes for another apt-get/dpkg (an unattended upgrade) to let go of
# the lock instead of failing the first `make test`. A Japanese font comes with it: without
# one, Japanese pages render as empty boxes in the screenshots.
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium fonts-ipafont-gothic; \
	else echo "Browser tests need Debian's chromium: sudo apt-get install chromium \
		fonts-ipafont-gothic"; exit 1; fi

# The OASIS XLIFF schemas the handoff tests validate against: Debian's Symfony translation
# component is the one package of our registries that ships them (no PHP is run).
XLIFF_SCHEMAS ?= /usr/share/php/Symfony/Component/Translation/Resources/schemas/xliff-core-2.0.xsd
$(XLIFF_SCHEMAS):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
			php-symfony-translation; \
	else echo "The XLIFF schema tests need: sudo apt-get install php-symfony-translation"; \
		exit 1; fi

test: $(BIN)/.installed $(CHROMIUM) $(XLIFF_SCHEMAS) ## Run the whole test suite (and ruff)
	$(BIN)/ruff check tools tests bench conf.py
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Property-based attack on the build (docs/security.md): `make test` runs a bounded number of
# examples; this runs many more with fresh randomness (FUZZ_EXAMPLES builds of 3 articles).
FUZZ_EXAMPLES ?= 2000
.PHONY: fuzz
fuzz: $(BIN)/.installed ## Hostile articles and catalogs against the trust boundary (FUZZ_EXAMPLES=2000)
	HELPSITE_FUZZ_RANDOM=1 HELPSITE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) HELPSITE_FUZZ_CLI_EXAMPLES=20 \
		$(BIN)/python -m pytest tests/test_trust_property.py -q -p no:cacheprovider \
		--hypothesis-show-statistics $(PYTEST_ARGS)

# The inner loop: unit-level tests only — no browser, no corpus-wide pass, no test marked
# slow (site builds; conftest.py marks the tests of shared builds). CI still runs `make
# test`; this one does not replace it. `time make test-fast`: 1 min 48 s (796 tests) on
# the two cores, shared with other work.
FAST_TESTS := not slow and not browser and not corpus
.PHONY: test-fast
test-fast: $(BIN)/.installed ## Unit-level tests only (under 2 min): no browser, corpus or slow builds
	$(BIN)/ruff check tools tests bench conf.py
	$(BIN)/python -m pytest -m "$(FAST_TESTS)" $(PYTEST_ARGS)

# Both ends of the declared version ranges (docs/compatibility.md): for each
# constraints/<name>.txt a venv in build/compat/<name>/ (made again only when the
# constraints or pyproject.toml changed: its .installed stamp), and in each the tests
# marked `compat` (fast path = plain Sphinx, byte-identical builds, search index, the
# compat layer's checks). A table at the end; the exit status is 1 when any end failed.
COMPAT_DIR := build/compat
COMPAT_NAMES := $(basename $(notdir $(wildcard constraints/*.txt)))
COMPAT_PACKAGES := sphinx myst-parser docutils markdown-it-py furo
# Only the modules with compat tests are collected: quicker, and a module that needs more
# than the lowest versions give (an import) cannot stop the run.
COMPAT_TESTS := $(shell grep -l 'pytest.mark.compat' tests/test_*.py)
COMPAT_VERSIONS := from importlib.metadata import version; \
	print(" ".join(n + " " + version(n) for n in "$(COMPAT_PACKAGES)".split()))
$(COMPAT_DIR)/%/.installed: constraints/%.txt pyproject.toml
	@test -x $(COMPAT_DIR)/$*/bin/python || $(PYTHON) -m venv $(COMPAT_DIR)/$*
	$(COMPAT_DIR)/$*/bin/python -m pip install --quiet --upgrade pip
	$(COMPAT_DIR)/$*/bin/python -m pip install --quiet -c $< -e '.[test]'
	@touch $@

.PHONY: test-compat
test-compat: $(COMPAT_NAMES:%=$(COMPAT_DIR)/%/.installed) ## Equivalence tests at the lowest and highest supported Sphinx, MyST, docutils, Furo
	@failed=0; table=""; for name in $(COMPAT_NAMES); do \
		python=$(COMPAT_DIR)/$$name/bin/python; echo "== constraints/$$name.txt"; \
		if $$python -m pytest -m compat -q -p no:cacheprovider \
			$(COMPAT_TESTS) $(PYTEST_ARGS); \
		then result=passed; else result=FAILED; failed=1; fi; \
		table="$$table$$(printf '%-24s %-7s %s' constraints/$$name.txt $$result \
			"$$($$python -c '$(COMPAT_VERSIONS)')")\n"; \
	done; printf '\n%-24s %-7s %s\n%b' constraints result versions "$$table"; exit $$failed

.PHONY: test-browser
test-browser: $(BIN)/.installed $(CHROMIUM) ## Browser tests only: help IDs, search, RTL, axe (docs/reader-features.md)
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

clean: ## Remove build output (keeps .venv)
	rm -rf $(BUILD)
