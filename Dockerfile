# mspt3 web image: gunicorn serving the Django site, static files compressed at build time.
#
#   docker build -t mspt3 .                    # with network: python:3.11-slim-bookworm and PyPI
#   make image-test                            # offline: a local Debian base and a host-built wheelhouse
#
# Both images are parameters so an offline build can bring its own: PYTHON_IMAGE runs the
# site, BUILD_IMAGE (the same Python, plus gettext if it has it) builds it.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG BUILD_IMAGE=python:3.11-slim-bookworm

FROM ${BUILD_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# msgfmt compiles the translations; the official image lacks it (it stays in this stage).
RUN command -v msgfmt >/dev/null || \
    (apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*)
# Dependencies first: this layer is rebuilt only when requirements.txt changes.
# An offline build puts wheels in wheelhouse/ and passes PIP_NO_INDEX=1. Then pip and
# setuptools leave the venv: nothing is installed at run time.
ARG PIP_NO_INDEX
COPY requirements.txt wheelhous[e] /wheels/
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --find-links /wheels -r /wheels/requirements.txt \
 && /opt/venv/bin/pip uninstall --yes --quiet pip setuptools
COPY . /app
WORKDIR /app
# A throw-away key: settings refuse to load without one when debug is off; nothing keeps it.
RUN export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-not-a-secret \
 && /opt/venv/bin/python manage.py compilemessages --ignore=.venv -v0 \
 && /opt/venv/bin/python manage.py collectstatic --no-input -v0 \
 && /opt/venv/bin/python -m compileall -q /app \
 && rm -rf wheelhouse

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_MEDIA_STORAGE=database \
    PORT=8000 \
    WEB_CONCURRENCY=2
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin mspt3
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=4)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["gunicorn", "--config", "deploy/gunicorn.conf.py", "mspt3.wsgi"]
