"""/readyz under real faults, on a real gunicorn: the database refusing connections, and
Redis not listening. Ready means both answer; alive (/healthz) means the database does."""

import json
from urllib.parse import urlparse

import pytest

from tests.deploy.instances import (
    Instance,
    Visitor,
    admin_connection,
    create_database,
    drop_database,
    free_port,
    redis_url,
    site_env,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def database():
    url = create_database("ready")
    yield url
    drop_database(url)


def test_an_instance_whose_redis_is_down_is_alive_but_not_ready(database, tmp_path):
    instance = Instance("no-redis", site_env(database, f"redis://127.0.0.1:{free_port()}/0"), tmp_path)
    try:
        instance.wait_ready(probe="/healthz")
        ready = Visitor(instance).get("/readyz")
        assert ready.status == 503
        body = json.loads(ready.body)
        assert body["database"] == "ok" and body["cache"].startswith("default: ") and "refused" in body["cache"]
    finally:
        instance.stop()


def test_an_instance_whose_database_refuses_connections_is_neither_ready_nor_alive(database, tmp_path):
    name = urlparse(database).path.lstrip("/")
    instance = Instance("no-db", site_env(database, redis_url()), tmp_path)
    try:
        instance.wait_ready()
        with admin_connection(database) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        ready = Visitor(instance).get("/readyz")
        assert ready.status == 503 and json.loads(ready.body)["cache"] == "ok"
        assert json.loads(ready.body)["database"] != "ok"
        assert Visitor(instance).get("/healthz").status == 503
        with admin_connection(database) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert Visitor(instance).get("/readyz").status == 200  # back in rotation once it returns
    finally:
        instance.stop()
