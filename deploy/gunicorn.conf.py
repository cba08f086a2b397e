"""Gunicorn settings for the container image (and any deployment that wants them).

Everything a deployment tunes comes from the environment: WEB_CONCURRENCY worker
processes (gunicorn's own variable), GUNICORN_THREADS threads each, PORT and
LISTEN_ADDRESS. On SIGTERM gunicorn stops accepting, lets every worker finish the
requests it holds (up to graceful_timeout) and exits 0.
"""

import os

bind = f"{os.environ.get('LISTEN_ADDRESS', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
# Kubernetes waits terminationGracePeriodSeconds (30) after preStop; finish before it kills.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = 5
# The heartbeat files and nothing else: the root filesystem may be read-only.
worker_tmp_dir = "/dev/shm"
control_socket_disable = True
# Request lines come from the site itself (DJANGO_LOG_FORMAT=json), with the request id.
accesslog = None
errorlog = "-"
# The app and the Korean analyser (~300 MB) are loaded once in the master and shared by
# the forked workers' pages (GUNICORN_PRELOAD=0: each worker loads its own on first use).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"


def when_ready(server):
    """In the master, after the app is loaded and before any worker is forked."""
    if preload_app:
        from search.glossary import warm_up

        warm_up()
