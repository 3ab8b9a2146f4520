# Digibank: `make run` for the demo, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint serve demo install migrate messages check-messages bench load backup restore clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The W3C Nu Html Checker for the crawler test (tests/test_crawl.py): the jar
# ships inside the npm package; its download script is not needed (--ignore-scripts).
VNU_VERSION := 26.9.27
VNU_STAMP := $(VENV)/node/.vnu-$(VNU_VERSION)

$(VNU_STAMP):
	npm install --silent --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
		--prefix $(VENV)/node vnu-jar@$(VNU_VERSION)
	touch $(VNU_STAMP)

install: $(STAMP) $(VNU_STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

## run: the app with demo data on SQLite at http://127.0.0.1:8000 (web, worker and beat)
run: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/honcho start -f Procfile.dev

## demo: reset the demo data (deletes the SQLite database first)
demo: install
	rm -f db.sqlite3
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

## test: the whole suite (browser tests need /usr/bin/chromium)
test: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0 2>/dev/null || true
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

## serve: the production processes without Docker, using DATABASE_URL and REDIS_URL
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py sync_roles
	$(BIN)/honcho start -f Procfile

## messages: extract strings into the Dutch catalogues and compile them
messages: install
	$(BIN)/python manage.py makemessages -l nl --no-location --no-obsolete --ignore=.venv --ignore=static --ignore=staticfiles --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

## check-messages: fail when a Dutch string is missing or fuzzy
check-messages: install
	$(BIN)/python scripts/check_translations.py

bench: install
	$(BIN)/python bench/run.py

## load: the busy-morning mix (bench/load/) against a running server on this machine
LOAD_HOST ?= http://127.0.0.1:8000
LOAD_USERS ?= 20
LOAD_TIME ?= 5m
load: install
	$(BIN)/python -m pip install --quiet -e ".[load]"
	mkdir -p var/load
	$(BIN)/locust -f bench/load/locustfile.py --headless --host $(LOAD_HOST) \
		--users $(LOAD_USERS) --spawn-rate $(LOAD_USERS) --run-time $(LOAD_TIME) \
		--csv var/load/load --only-summary

BACKUP_DIR ?= var/backups
NEEDS_POSTGRES = case "$$DATABASE_URL" in postgres*) ;; *) echo "needs DATABASE_URL=postgres://..."; exit 1;; esac

## backup: dump the PostgreSQL database of DATABASE_URL into var/backups/ (pg_dump custom format)
backup:
	@$(NEEDS_POSTGRES)
	mkdir -p $(BACKUP_DIR)
	pg_dump --format=custom --no-owner --file=$(BACKUP_DIR)/digibank-$$(date -u +%Y%m%dT%H%M%SZ).dump "$$DATABASE_URL"
	@ls -1t $(BACKUP_DIR)/*.dump | head -1

## restore: restore BACKUP=file into DATABASE_URL, erase again everyone in var/erasure-log.jsonl, end all sessions
restore: install
	@$(NEEDS_POSTGRES)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/digibank-....dump"; exit 1; }
	pg_restore --clean --if-exists --no-owner --dbname="$$DATABASE_URL" "$(BACKUP)"
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py replay_erasures
	$(BIN)/python manage.py end_sessions
	$(BIN)/python manage.py build_rollup

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3
