# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_DEBUG ?= 1

.PHONY: run test install setup browser lint bench loadtest clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Translations are compiled from the committed .po files; the database is migrated
# (which also loads the 15 chapters and the 3-day plan).
setup: install
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py migrate --no-input -v0

run: setup
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Debian's Chromium drives the browser tests; Playwright cannot download its own here.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v0

test: install browser lint
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media
