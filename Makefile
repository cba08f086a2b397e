# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_DEBUG ?= 1

.PHONY: run test install setup system-deps lint bench loadtest clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Translations are compiled from the committed .po files.
setup: install system-deps
	$(PY) manage.py compilemessages --ignore=.venv -v0

# `migrate` also loads the 15 chapters and the 3-day plan.
run: setup
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Debian packages: gettext compiles the translations; Chromium (with CJK fonts) drives
# the browser tests, since Playwright cannot download a browser of its own here.
system-deps:
	@command -v msgfmt >/dev/null && test -x /usr/bin/chromium && fc-list | grep -qi "noto.*cjk" || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext chromium fonts-noto-cjk)

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v0

test: setup lint
	$(VENV)/bin/pytest

# 200 cohorts / 12,000 questions served by gunicorn on SQLite and on PostgreSQL
# (127.0.0.1:5432, its own database mspt3_bench), loaded with wrk; writes
# docs/benchmarks.md. BENCH_ARGS passes options, e.g. BENCH_ARGS=--sqlite-only.
bench: setup
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(PY) scripts/bench.py $(BENCH_ARGS)

# Gunicorn + PostgreSQL on 127.0.0.1, concurrent writers, editors and pollers;
# fails on any lost or duplicated write, silent overwrite or 5xx. Override the
# database with LOADTEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name>.
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mspt3_load
loadtest: install
	$(PY) scripts/loadtest.py --database-url $(LOADTEST_DATABASE_URL)
	$(PY) scripts/loadtest.py --scenario render --database-url $(LOADTEST_DATABASE_URL)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media
