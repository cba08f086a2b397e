# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_DEBUG ?= 1

.PHONY: run test install setup system-deps lint bench loadtest image image-test clean

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

# Debian packages the site and its tests need (SYSTEM_DEPS, right below the recipe so the
# target reads as one block), each as package:file-it-installs; a package is
# installed only when its file is missing, so this is cheap to run every time. gettext compiles
# the translations; Chromium (with CJK fonts) drives the browser tests, since Playwright cannot
# download a browser of its own here; wrk loads the server in `make bench` and tests/test_bench.py;
# docker.io and debootstrap build and run the image offline (make image-test); redis-server is the
# shared cache of the two-instance tests; kubectl renders deploy/k8s/.
system-deps:
	@missing=""; for dep in $(SYSTEM_DEPS); do test -e "$${dep#*:}" || missing="$$missing $${dep%%:*}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
SYSTEM_DEPS := \
  gettext:/usr/bin/msgfmt \
  chromium:/usr/bin/chromium \
  fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
  wrk:/usr/bin/wrk \
  docker.io:/usr/sbin/dockerd \
  debootstrap:/usr/sbin/debootstrap \
  redis-server:/usr/bin/redis-server \
  kubectl:/usr/bin/kubectl

# What CI and .pre-commit-config.yaml check: ruff, migrations, mypy on the pure modules (mypy.ini).
lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/mypy

# The whole suite, ending with the coverage of the project's code (.coveragerc) and its TOTAL.
test: setup lint
	$(VENV)/bin/pytest --cov --cov-report=term

# 200 cohorts / 12,000 questions served by gunicorn on SQLite and on PostgreSQL
# (127.0.0.1:5432, its own database mspt3_bench), loaded with wrk; writes
# docs/benchmarks.md. BENCH_ARGS passes options, e.g. BENCH_ARGS=--sqlite-only. Then Recall@3 of
# "asked before" on search/evaluation/pairs.toml, per part of the analysis (its own section), and
# chapters: seed coverage by source, index cost per saved question, the FAQ grouping's calibration;
# the Korean analyser: start-up, PSS per gunicorn worker with and without --preload, 1 MB import with/without.
bench: setup
	$(PY) scripts/bench.py $(BENCH_ARGS)
	$(PY) scripts/search_eval.py
	$(PY) scripts/chapter_bench.py
	$(PY) scripts/analyser_cost.py

# Gunicorn + PostgreSQL on 127.0.0.1, concurrent writers, editors and pollers;
# fails on any lost or duplicated write, silent overwrite or 5xx. Override the
# database with LOADTEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name>.
# LOADTEST_ARGS=--two-instances: two gunicorns sharing PostgreSQL and Redis
# (LOADTEST_REDIS_URL) behind a round-robin proxy, one of them killed mid-run.
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mspt3_load
LOADTEST_REDIS_URL ?= redis://127.0.0.1:6379/14
loadtest: install
	$(PY) scripts/loadtest.py --database-url $(LOADTEST_DATABASE_URL) --redis-url $(LOADTEST_REDIS_URL) $(LOADTEST_ARGS)
	$(PY) scripts/loadtest.py --scenario render --database-url $(LOADTEST_DATABASE_URL)
	$(PY) scripts/loadtest.py --scenario class --database-url $(LOADTEST_DATABASE_URL)

# The container image. `make image` needs a registry and PyPI (the Dockerfile's defaults);
# `make image-test` needs neither: it starts its own dockerd, builds from a local Debian
# base and a host wheelhouse (cached in build/image-cache/), and tests the image against
# PostgreSQL (IMAGE_TEST_DATABASE_URL, recreated) and Redis (IMAGE_TEST_REDIS_URL, emptied).
IMAGE ?= mspt3:latest
image:
	docker build -t $(IMAGE) .

IMAGE_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mspt3_image
IMAGE_TEST_REDIS_URL ?= redis://127.0.0.1:6379/14
image-test: install system-deps
	$(PY) scripts/image_test.py --database-url $(IMAGE_TEST_DATABASE_URL) --redis-url $(IMAGE_TEST_REDIS_URL)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media wheelhouse build
