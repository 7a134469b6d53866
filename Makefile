# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test install bytecode lint typecheck contracts pytest postgres-binaries document-tools chromium clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

## Byte-compile the project, as pip does an installed package: a worker or a command then
## starts without compiling our modules first (about 0.2 s where no bytecode is ever written,
## as with PYTHONDONTWRITEBYTECODE=1). Files already compiled are only checked.
bytecode: install
	@$(BIN)/python -m compileall -q -j0 api application domain infrastructure projections

## Start the service on the embedded SQLite database with the demo campaign.
run: install bytecode
	RECTIFY_ENV=$${RECTIFY_ENV:-dev} $(BIN)/rectify db init
	@if [ "$${RECTIFY_ENV:-dev}" = dev ]; then $(BIN)/rectify demo; fi
	RECTIFY_ENV=$${RECTIFY_ENV:-dev} $(BIN)/rectify serve

## Lint, type-check, check the layer contract and run every test, PostgreSQL included.
test: install postgres-binaries lint typecheck contracts pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

pytest: install bytecode postgres-binaries document-tools chromium wrk
	$(BIN)/pytest -q

## The tests start a throwaway PostgreSQL cluster from the server binaries (initdb, pg_ctl).
postgres-binaries:
	@if [ -n "$$RECTIFY_TEST_DATABASE_URL" ]; then exit 0; fi; \
	if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing the PostgreSQL server package with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else \
		echo "PostgreSQL server binaries (initdb, pg_ctl) are missing: install Debian's 'postgresql' package, or set RECTIFY_TEST_DATABASE_URL" >&2; exit 1; \
	fi

## Notices and reports embed a CJK TrueType font in their PDFs; the tests read PDFs back with
## poppler (pdftotext) and open every DOCX and XLSX in LibreOffice.
DOCUMENT_PACKAGES := fonts-wqy-zenhei fonts-arphic-uming poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui
document-tools:
	@if ls /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc /usr/share/fonts/truetype/arphic/uming.ttc >/dev/null 2>&1 \
		&& command -v pdftotext >/dev/null && command -v soffice >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing CJK fonts, poppler-utils and LibreOffice with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DOCUMENT_PACKAGES) >/dev/null; \
	else \
		echo "CJK fonts, pdftotext or LibreOffice are missing: install Debian's $(DOCUMENT_PACKAGES)" >&2; exit 1; \
	fi

## The web console's end-to-end tests (tests/e2e) drive Debian's Chromium headless through
## Playwright (never `playwright install`: nothing is downloaded but the Debian package).
chromium:
	@if [ -n "$$RECTIFY_E2E_CHROMIUM" ] && [ -x "$$RECTIFY_E2E_CHROMIUM" ]; then exit 0; fi; \
	if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing for the web console's browser tests: install Debian's 'chromium' package (or set RECTIFY_E2E_CHROMIUM to a Chromium binary)" >&2; exit 1; \
	fi

## Benchmarks (issue 6) against PostgreSQL: RECTIFY_BENCH_DATABASE_URL (a server where the role
## may create databases), else a throwaway cluster. Prints every figure beside its target and
## writes bench/results/latest.json; docs/performance.md keeps the latest table.
.PHONY: bench bench-quick wrk bench-server
bench: install bytecode bench-server wrk
	$(BIN)/python -m bench --plan full

## The same at 10k events with short windows: under 3 minutes.
bench-quick: install bytecode bench-server wrk
	$(BIN)/python -m bench --plan quick

bench-server:
	@if [ -z "$$RECTIFY_BENCH_DATABASE_URL" ]; then $(MAKE) --no-print-directory postgres-binaries; fi

## The service benchmark's HTTP load generator (a compiled program, driven by a Lua script).
wrk:
	@if command -v wrk >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing wrk (the HTTP load generator) with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
		echo "wrk (the HTTP load generator) is missing: install Debian's 'wrk' package" >&2; exit 1; \
	fi

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
