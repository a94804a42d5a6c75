# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps test lint demo bench clean

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

test: system-deps setup lint
	$(PY) -m pytest -q

demo: system-deps setup
	$(PY) scripts/demo.py

bench: system-deps setup
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) .demo .pytest_cache .ruff_cache
