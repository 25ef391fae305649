# The commands the README names. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# The package with its [test] extras (make test, lint, fmt, bench: Playwright, mypy, pytest, ...), and
# the package alone, what running it needs (make run, neo4j): a first `make run` installs no test tools.
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
NEO4J_HOME ?= .neo4j/test

.PHONY: run test venv lint fmt neo4j neo4j-stop bench bench-peer bench-scale clean web security-long

# $(call install,SPEC): the venv (made when missing) with SPEC installed, editable
define install
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '$(1)'
endef

$(RUN_STAMP): pyproject.toml
	$(call install,.)
	touch $(RUN_STAMP)

# the test extras include everything running needs, so the run stamp is current too
$(STAMP): pyproject.toml
	$(call install,.[test])
	touch $(STAMP) $(RUN_STAMP)

venv: $(STAMP)

# The demo goes only into an empty store (--if-empty): a restart never reverts the user's edits.
# The store is the per-user default (alliance info names it) unless ALLIANCE_DATA_DIR says otherwise.
# A development API key (role admin) is made once per checkout and printed; nothing else has a default.
run: $(RUN_STAMP)
	$(BIN)/alliance demo --profile urumqi-etdz --if-empty
	@mkdir -p data; test -s data/dev-api-key || $(BIN)/python -c "import secrets; print('dev-' + secrets.token_urlsafe(16))" > data/dev-api-key
	@echo "development API key (admin): $$(cat data/dev-api-key)  ->  Authorization: Bearer $$(cat data/dev-api-key)"
	ALLIANCE_API_KEYS="$$(cat data/dev-api-key):admin" ALLIANCE_ENVIRONMENT=development \
	  $(BIN)/alliance serve --host 127.0.0.1 --port $${PORT:-8000}

# Starts a local Neo4j (fetched from Maven Central on first use), runs lint and the whole
# suite against both stores, and stops Neo4j again unless it was already running.
test: $(STAMP)
	@bash tools/ensure-java.sh
	@bash tools/ensure-chromium.sh
	$(BIN)/ruff check service loaders tests bench
	$(BIN)/mypy service loaders
	@bash tools/with-neo4j.sh $(NEO4J_HOME) $(BIN)/python $(BIN)/pytest -q -p no:cacheprovider --durations=15

# The adversarial suite (tests/security) in its long mode: every path of the schema to depth 4 (7,346) with
# every key, every hostile value on every argument, 10 MB documents, on both stores (tens of minutes).
security-long: $(STAMP)
	@bash tools/ensure-java.sh
	@bash tools/with-neo4j.sh $(NEO4J_HOME) $(BIN)/python env SECURITY_LONG=1 $(BIN)/pytest -q -p no:cacheprovider -s tests/security

lint: $(STAMP)
	$(BIN)/ruff check service loaders tests bench
	$(BIN)/mypy service loaders

fmt: $(STAMP)
	$(BIN)/ruff check --fix service loaders tests bench
	$(BIN)/ruff format service loaders tests bench

neo4j: $(RUN_STAMP)
	@bash tools/ensure-java.sh
	$(BIN)/python -m service.neo4j_local start --home .neo4j/dev

neo4j-stop: $(RUN_STAMP)
	$(BIN)/python -m service.neo4j_local stop --home .neo4j/dev

bench: $(STAMP)
	@bash tools/ensure-java.sh
	$(BIN)/python -m bench.run

# The service against the Neo4j GraphQL Library (bench/peer, Node 20) on the local Neo4j of `make test`,
# urumqi-etdz ×SCALE (loaded when the store is empty; RELOAD=1 empties it first): appends a table to
# bench/RESULTS.md. Needs wrk (apt-get install wrk); installs bench/peer's npm packages on first use.
SCALE ?= 1
ROUNDS ?= 4
bench-peer: $(STAMP)
	@bash tools/ensure-java.sh
	test -d bench/peer/node_modules || (cd bench/peer && npm install --no-audit --no-fund)
	@bash tools/with-neo4j.sh $(NEO4J_HOME) $(BIN)/python \
	  $(BIN)/python -m bench.bench_peer --scale $(SCALE) --rounds $(ROUNDS) $(if $(RELOAD),--reload)

# Every canonical question on Neo4j at guangdong ×1, ×10 and the province (×30 of its four seeds: 3.2M nodes),
# each loaded by the offline importer into a local Neo4j of its own under .neo4j/scale-xN (kept: a second run
# skips the loads): uncached p50/p99, PROFILE db hits, req/s with 16 clients. Prints the table for RESULTS.
# Peak memory ≈ ALLIANCE_NEO4J_HEAP (2g) + ALLIANCE_NEO4J_PAGECACHE (2 GiB here) + 1 GiB; needs wrk.
SCALES ?= 1,10,30
PER_QUESTION ?= 5
bench-scale: $(STAMP)
	@bash tools/ensure-java.sh
	$(BIN)/python -m bench.bench_scale --scales $(SCALES) --per-question $(PER_QUESTION)

# Rebuilds the explorer and dashboard (web/ -> service/web/static, committed) with vite; needs Node 20+.
# `npm install`, not `npm ci`: the lockfile this registry yields leaves out rollup's native packages for
# other platforms, which npm ci counts as out of sync; install keeps the locked versions all the same.
web:
	cd web && npm install --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) .neo4j data test-artifacts
