# Two commands do everything on a fresh machine:
#   make demo   set up, then run the journeys against the demo company and print the report's path
#   make test   set up, then lint, type-check and run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Test workers for all but the real calls: the suite mostly waits (journeys at a time scale,
# browsers, servers), and at two workers it kept one core of two busy. At four, the machine was
# busy enough to make a chat journey at time scale 0.03 answer late (a test failed) and the run
# was no faster than at three.
WORKERS ?= 3

.PHONY: setup browser mailservers voice realshop test lint typecheck pytest demo sandbox clean

setup: $(STAMP) browser mailservers voice realshop

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# A Chromium for Playwright: its own download where it can be had, else the system's, with
# the system's headless shell beside it (headless runs take it: about a quarter less CPU, measured).
browser: $(STAMP)
	@$(BIN)/python -m journeys.runner.browser >/dev/null 2>&1 || scripts/install-browser $(BIN)/python
	@if $(BIN)/python -m journeys.runner.browser | grep -q '^system'; then \
	  scripts/install-system-packages "headless runs are lighter with Chromium's headless shell" chromium-headless-shell; fi

# The demo company's mail servers (Dovecot) from the system's packages; one line if it cannot.
mailservers:
	@scripts/install-system-packages

# The phone: speech synthesis (flite), audio tools (sox), and SIP software nobody here wrote
# for the interoperability tests (Kamailio, baresip), from the system's packages.
voice:
	@scripts/install-system-packages "the phone channel needs flite, sox, Kamailio and baresip" flite sox kamailio baresip

# A real open-source shop nobody here wrote (EverShop, from the npm registry) with the
# PostgreSQL it runs on; built once per machine (~/.cache/mystery-shopper), linked from .cache/evershop.
realshop:
	@realshops/evershop/install

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The tests in two runs. First the real calls (marked `calls`), two at a time on a machine
# doing nothing else: a call hears what the CPU is there to hear, and with the rest beside it at
# three workers the recogniser misheard an agent. Then the rest, at WORKERS. The second run
# goes on when the first fails, so that every failure shows.
pytest: setup
	@status=0; \
	$(BIN)/python -m pytest -n 2 --maxschedchunk 1 -m calls tests || status=$$?; \
	$(BIN)/python -m pytest -n $(WORKERS) --maxschedchunk 2 -m "not calls" tests || status=$$?; \
	exit $$status

test: setup lint typecheck pytest

demo: setup
	scripts/demo $(BIN)

# Serve the demo company for a person to browse: make sandbox PROFILE=purgatory
PROFILE ?= typical
sandbox: $(STAMP)
	$(BIN)/mystery-shopper sandbox --profile $(PROFILE) --port 8000

clean:
	rm -rf $(VENV) .cache results test-results .mypy_cache .ruff_cache *.egg-info
