# Mentorat LP — the two commands of the README, and the quality gate.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEV := DEBUG=1
ADDRESS ?= 127.0.0.1:8000

.PHONY: install run test lint format demo worker beat clean

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

# The OpenID Connect provider of the ProConnect tests (tests/test_proconnect.py), when npm is here;
# only `make test` needs it.
OIDC_FOURNISSEUR := tests/oidc_fournisseur
$(OIDC_FOURNISSEUR)/node_modules: $(OIDC_FOURNISSEUR)/package.json $(OIDC_FOURNISSEUR)/package-lock.json
	if command -v npm >/dev/null 2>&1; then npm ci --prefix $(OIDC_FOURNISSEUR) --no-audit --no-fund && touch $@; \
	else echo "npm absent : les tests ProConnect seront ignorés (apt-get install nodejs npm)."; fi

install: $(VENV)/.installed

## Sets everything up on SQLite with in-process tasks, loads the demo data and serves the app.
## Links in emails and calendars follow ADDRESS unless SITE_URL is set; the periodic jobs
## (alerts, indicators) run beside the server, in-process (manage.py taches_periodiques).
run: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py charger_demo
	@echo "Mentorat LP : http://$(ADDRESS)/"
	mkdir -p var; export SITE_URL="$${SITE_URL:-http://$(ADDRESS)}"; \
	$(DEV) $(PY) manage.py taches_periodiques > var/taches_periodiques.log 2>&1 & \
	trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver $(ADDRESS)

## Sets everything up the same way and runs the whole test suite.
test: install $(OIDC_FOURNISSEUR)/node_modules
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates socle etablissements binomes seances bilans rgpd --lint
	$(VENV)/bin/djlint templates socle etablissements binomes seances bilans rgpd --check
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates socle etablissements binomes seances bilans rgpd --reformat --quiet || true

demo: install
	$(DEV) $(PY) manage.py charger_demo

## Production-like processes (REDIS_URL and DATABASE_URL set in the environment).
worker: install
	$(VENV)/bin/celery -A mentorat worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A mentorat beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3 $(OIDC_FOURNISSEUR)/node_modules
