#!/usr/bin/env python
"""Build the container image and test it for real, offline, on loopback only.

    .venv/bin/python scripts/image_test.py        # what `make image-test` runs

  1. starts its own dockerd (``--bridge=none --iptables=false``; its data in
     build/image-cache/ so a rerun reuses the layers), stopped by PID at the end;
  2. no registry can be reached, so the Dockerfile's two base images are made
     here with debootstrap (Debian bookworm minbase + Debian's python3; the build
     one also has gettext) and ``docker import``; the root filesystems are cached
     as tarballs in build/image-cache/;
  3. builds the wheelhouse on the host (``pip wheel``) and the image with
     ``--network host`` and ``PIP_NO_INDEX=1``;
  4. runs migrations and the demo import from the image against this machine's
     PostgreSQL (a fresh database of its own) and Redis, then the site itself
     (read-only root filesystem, as in the Kubernetes manifests), and checks
     /healthz, /readyz, the HEALTHCHECK, a cohort page, the API, a compressed
     static file, JSON request logs with the request id, the non-root user, no
     build tools in the image, and SIGTERM during requests: every request sent
     before the signal gets its complete answer and the server exits 0.

Prints the timings and sizes as JSON; exits non-zero on any failed check.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("MSPT3_IMAGE_CACHE", ROOT / "build" / "image-cache"))
DOCKER = shutil.which("docker", path="/usr/bin") or "docker"
RUNTIME_BASE = "mspt3-local/python:3.11-bookworm"
BUILD_BASE = "mspt3-local/python-build:3.11-bookworm"
IMAGE = "mspt3:image-test"
DEBIAN_MIRROR = os.environ.get("MSPT3_DEBIAN_MIRROR", "http://deb.debian.org/debian")
USER_ID = "10001"


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


def run(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise Failed(
            f"{' '.join(map(str, args))} exited {result.returncode}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- dockerd -------------------------------------------------------------------


class Dockerd:
    """A private dockerd: its own socket and exec root in a temp folder, its data in the cache."""

    def __init__(self):
        self.run_dir = Path(tempfile.mkdtemp(prefix="mspt3-dockerd-"))
        self.socket = self.run_dir / "docker.sock"
        self.env = {**os.environ, "DOCKER_HOST": f"unix://{self.socket}", "DOCKER_BUILDKIT": "0"}
        (CACHE / "docker").mkdir(parents=True, exist_ok=True)
        self.log = open(self.run_dir / "dockerd.log", "w")  # noqa: SIM115 — closed in stop()
        self.process = subprocess.Popen(
            [
                "dockerd",
                "--bridge=none",
                "--iptables=false",
                "--ip6tables=false",
                "--data-root",
                str(CACHE / "docker"),
                "--exec-root",
                str(self.run_dir / "exec"),
                "--pidfile",
                str(self.run_dir / "dockerd.pid"),
                "-H",
                f"unix://{self.socket}",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while subprocess.run([DOCKER, "info"], env=self.env, capture_output=True).returncode != 0:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise Failed("dockerd did not start:\n" + (self.run_dir / "dockerd.log").read_text()[-3000:])
            time.sleep(0.5)

    def docker(self, *args, **kwargs) -> subprocess.CompletedProcess:
        return run(DOCKER, *args, env=self.env, **kwargs)

    def stop(self) -> list[str]:
        """SIGTERM to dockerd (it stops its containerd and containers), SIGKILL after 30 s;
        returns the PIDs of any of its processes still running."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        # dockerd leaves its default network namespace bind-mounted in the exec root.
        for mount in sorted(self.run_dir.glob("exec/netns/*")):
            subprocess.run(["umount", str(mount)], capture_output=True)
        # Its containerd and shims name the exec root on their command lines: none may be left.
        leftovers = subprocess.run(["pgrep", "-f", str(self.run_dir)], capture_output=True, text=True).stdout.split()
        shutil.rmtree(self.run_dir)
        return leftovers


# --- base images and wheelhouse ------------------------------------------------


def _tar_rootfs(rootfs: Path, tarball: Path) -> None:
    # Trimmed like the official slim images: no package lists, downloaded .debs or docs.
    for leftover in ("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man"):
        for item in (rootfs / leftover).glob("*"):
            if item.is_file() or item.is_symlink():
                item.unlink()
            elif item.name != "partial":
                shutil.rmtree(item)
    partial = tarball.with_suffix(".partial")
    run("tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(partial), ".")
    partial.rename(tarball)


def make_base_tarballs() -> dict[str, Path]:
    """The two root filesystems, made with debootstrap once and kept in the cache."""
    tarballs = {RUNTIME_BASE: CACHE / "bookworm-python.tar", BUILD_BASE: CACHE / "bookworm-python-build.tar"}
    if all(path.exists() for path in tarballs.values()):
        return tarballs
    CACHE.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="mspt3-debootstrap-", dir=CACHE))
    try:
        rootfs = workdir / "rootfs"
        run(
            "debootstrap", "--variant=minbase", "--include=python3,python3-venv", "bookworm", str(rootfs), DEBIAN_MIRROR
        )
        _tar_rootfs(rootfs, tarballs[RUNTIME_BASE])
        shutil.copy("/etc/resolv.conf", rootfs / "etc/resolv.conf")
        run("chroot", str(rootfs), "apt-get", "update", "-qq")
        run(
            "chroot",
            str(rootfs),
            "apt-get",
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "gettext",
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive"},
        )
        (rootfs / "etc/resolv.conf").unlink()
        _tar_rootfs(rootfs, tarballs[BUILD_BASE])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return tarballs


def import_bases(dockerd: Dockerd) -> None:
    for tag, tarball in make_base_tarballs().items():
        if subprocess.run([DOCKER, "image", "inspect", tag], env=dockerd.env, capture_output=True).returncode == 0:
            continue
        dockerd.docker(
            "import",
            "--change",
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "--change",
            'CMD ["python3"]',
            str(tarball),
            tag,
        )


def build_wheelhouse() -> None:
    """Wheels for requirements.txt, made by the host's pip (the build cannot reach the index).

    A requirement with an environment marker is wheeled even when the marker excludes
    the host's Python: the image's Python (Debian's) may be another patch release."""
    wheelhouse = ROOT / "wheelhouse"
    wheelhouse.mkdir(exist_ok=True)
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--quiet", "-w", str(wheelhouse)]
    run(*pip_wheel, "-r", str(ROOT / "requirements.txt"))
    requirements = (ROOT / "requirements.txt").read_text().splitlines()
    conditional = [line.split(";")[0].strip() for line in requirements if ";" in line and not line.startswith("#")]
    if conditional:
        run(*pip_wheel, "--no-deps", *conditional)


def build_image(dockerd: Dockerd) -> None:
    dockerd.docker(
        "build",
        "--network",
        "host",
        "-t",
        IMAGE,
        "--build-arg",
        f"PYTHON_IMAGE={RUNTIME_BASE}",
        "--build-arg",
        f"BUILD_IMAGE={BUILD_BASE}",
        "--build-arg",
        "PIP_NO_INDEX=1",
        str(ROOT),
    )


# --- the running image ---------------------------------------------------------


def http_get(port, path, headers=None, timeout=20):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def site_env(database_url, redis_url, port) -> list[str]:
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback; behind a TLS-terminating proxy the redirect stays on.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_FORMAT": "json",
        "PORT": str(port),
        "LISTEN_ADDRESS": "127.0.0.1",
        "MSPT3_API_ANON_RATE": "off",
    }
    return [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]


def wait_healthy(dockerd, container, port, deadline=90) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        health = dockerd.docker("inspect", "-f", "{{.State.Status}} {{.State.Health.Status}}", container).stdout.split()
        check(health[0] == "running", f"the container stopped: {dockerd.docker('logs', container).stderr[-2000:]}")
        if health[1] == "healthy":
            return
        time.sleep(0.5)
    raise Failed(f"the HEALTHCHECK never passed (last: {health})")


def check_pages(port) -> dict:
    status, _headers, body = http_get(port, "/healthz")
    check(status == 200 and json.loads(body)["database"] == "ok", f"/healthz: {status} {body[:200]}")
    status, _headers, body = http_get(port, "/readyz")
    check(status == 200 and json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok"}, f"/readyz: {body}")

    status, headers, body = http_get(port, "/cohorts/demo/", {"X-Request-ID": "image-test-cohort-page"})
    page = body.decode()
    check(status == 200 and "MSP T3" in page, f"/cohorts/demo/: {status}")
    check(headers.get("x-request-id") == "image-test-cohort-page", "the request id is not sent back")

    status, _headers, body = http_get(port, "/api/cohorts/", {"Accept": "application/json"})
    check(status == 200 and "demo" in [c["slug"] for c in json.loads(body)["results"]], f"/api/cohorts/: {status}")
    status, _headers, body = http_get(
        port, "/api/questions/?cohort=demo&page_size=1000", {"Accept": "application/json"}
    )
    questions = json.loads(body)["count"] if status == 200 else 0
    check(questions > 0, f"/api/questions/: {status}, no demo questions")

    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
    check(stylesheet is not None, "the cohort page links no stylesheet")
    check(
        re.search(r"\.[0-9a-f]{12}\.css$", stylesheet.group(1)), f"not a hashed (manifest) name: {stylesheet.group(1)}"
    )
    status, headers, body = http_get(port, stylesheet.group(1), {"Accept-Encoding": "gzip"})
    check(
        status == 200 and headers.get("content-encoding") == "gzip",
        f"static file {stylesheet.group(1)}: {status} {headers}",
    )
    check("immutable" in headers.get("cache-control", ""), "hashed static files are not served as immutable")
    return {"demo questions via the API": questions, "static file": stylesheet.group(1)}


def check_logs(dockerd, container) -> None:
    lines = [line for line in dockerd.docker("logs", container).stdout.splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    mine = [r for r in records if r.get("request_id") == "image-test-cohort-page"]
    check(len(mine) == 1, f"no JSON request log line with the given request id among {len(records)} lines")
    check(mine[0]["method"] == "GET" and mine[0]["path"] == "/cohorts/demo/" and mine[0]["status"] == 200, str(mine))
    check(isinstance(mine[0]["duration_ms"], float | int), str(mine))


def check_user_and_contents(dockerd, container) -> dict:
    status = dockerd.docker("exec", container, "python", "-c", "print(open('/proc/1/status').read())").stdout
    uid = re.search(r"^Uid:\s+(\d+)", status, re.M).group(1)
    check(uid == USER_ID, f"gunicorn (PID 1) runs as uid {uid}")
    tools = dockerd.docker(
        "exec",
        container,
        "sh",
        "-c",
        "for t in gcc cc make msgfmt pip; do command -v $t; done; ls -d /app/tests /app/wheelhouse /app/.git; true",
    ).stdout.split()
    # No compiler, gettext, pip, tests, wheels or history (apt-get stays: every Debian base has it).
    check(tools == [], f"found in the final image: {tools}")
    writable = dockerd.docker("exec", container, "sh", "-c", "touch /app/x 2>&1 || echo refused").stdout
    check("refused" in writable, "the code is writable by the site's user")
    return {"uid of PID 1": int(uid)}


def sigterm_during_requests(dockerd, container, port, clients=4) -> dict:
    """Clients loop over pages while SIGTERM arrives. A request sent before the signal must
    get its whole 200; after it, a refused connection is a server that has stopped, not a failure."""
    killed_at = [None]
    results, lock, stop = [], threading.Lock(), threading.Event()
    paths = ["/cohorts/demo/", "/api/questions/?cohort=demo&page_size=1000", "/cohorts/demo/notes.md"]

    def client(index):
        n = 0
        while not stop.is_set():
            sent = time.monotonic()
            try:
                status, _h, body = http_get(port, paths[(index + n) % len(paths)], {"Accept": "text/html"}, timeout=30)
                outcome = "ok" if status == 200 and body else f"status {status}"
            except ConnectionRefusedError:
                outcome = "refused"
            except OSError as exc:
                outcome = f"error {exc.__class__.__name__}"
            with lock:
                results.append((sent, time.monotonic(), outcome))
            if outcome == "refused":
                return
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    killed_at[0] = time.monotonic()
    dockerd.docker("kill", "--signal", "TERM", container)
    dockerd.docker("wait", container)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    exit_code = dockerd.docker("inspect", "-f", "{{.State.ExitCode}}", container).stdout.strip()
    before = [r for r in results if r[0] < killed_at[0]]
    in_flight = [r for r in before if r[1] > killed_at[0]]
    failed = [r for r in before if r[2] != "ok"]
    after = [r for r in results if r[0] >= killed_at[0]]
    report = {
        "requests sent before SIGTERM": len(before),
        "in flight at SIGTERM (answered after it)": len(in_flight),
        "failed among those sent before SIGTERM": len(failed),
        "sent after SIGTERM: answered / refused / other": [
            sum(r[2] == "ok" for r in after),
            sum(r[2] == "refused" for r in after),
            sum(r[2] not in {"ok", "refused"} for r in after),
        ],
        "exit code": int(exit_code),
    }
    check(not failed, f"requests sent before SIGTERM failed: {failed[:5]}")
    check(in_flight, "no request was in flight when SIGTERM arrived: the test proved nothing")
    check(exit_code == "0", f"gunicorn exited {exit_code} after SIGTERM (not a graceful stop)")
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mspt3_image")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args(argv)
    check(urlparse(args.database_url).hostname in {"127.0.0.1", "localhost"}, "the database must be on this machine")

    report, started = {}, time.monotonic()
    dockerd = Dockerd()
    container = f"mspt3-image-test-{secrets.token_hex(4)}"
    try:
        report["dockerd start (s)"] = round(time.monotonic() - started, 1)
        mark = time.monotonic()
        import_bases(dockerd)
        report["base images (s)"] = round(time.monotonic() - mark, 1)
        mark = time.monotonic()
        build_wheelhouse()
        report["wheelhouse (s)"] = round(time.monotonic() - mark, 1)
        mark = time.monotonic()
        build_image(dockerd)
        report["docker build (s)"] = round(time.monotonic() - mark, 1)
        size = int(dockerd.docker("image", "inspect", "-f", "{{.Size}}", IMAGE).stdout)
        report["image size (MB)"] = round(size / 1e6, 1)
        report["base image size (MB)"] = round(
            int(dockerd.docker("image", "inspect", "-f", "{{.Size}}", RUNTIME_BASE).stdout) / 1e6, 1
        )
        check(
            dockerd.docker("image", "inspect", "-f", "{{.Config.User}}", IMAGE).stdout.strip()
            == f"{USER_ID}:{USER_ID}",
            "the image does not name a non-root user",
        )

        recreate_database(args.database_url)
        subprocess.run(["redis-cli", "-u", args.redis_url, "FLUSHDB"], capture_output=True, check=True)
        port = free_port()
        env = site_env(args.database_url, args.redis_url, port)
        once = ["run", "--rm", "--network", "host", "--read-only", *env, "--entrypoint", "python", IMAGE, "manage.py"]
        dockerd.docker(*once, "migrate", "--no-input", "-v0")
        demo = dockerd.docker(*once, "load_demo").stdout
        check("/cohorts/demo/" in demo, f"load_demo: {demo}")

        dockerd.docker(
            "run",
            "-d",
            "--name",
            container,
            "--network",
            "host",
            "--read-only",
            "--tmpfs",
            "/tmp",
            "--health-interval",
            "1s",
            "--health-start-period",
            "30s",
            *env,
            IMAGE,
        )
        mark = time.monotonic()
        wait_healthy(dockerd, container, port)
        report["container healthy after (s)"] = round(time.monotonic() - mark, 1)
        report.update(check_pages(port))
        check_logs(dockerd, container)
        report.update(check_user_and_contents(dockerd, container))
        report.update(sigterm_during_requests(dockerd, container, port))
    except Failed as failure:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        print(f"image test FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        subprocess.run([DOCKER, "rm", "-f", container], env=dockerd.env, capture_output=True)
        leftovers = dockerd.stop()
        drop_database(args.database_url)
    if leftovers:
        print(f"image test FAILED: processes of the test's dockerd still run: {leftovers}", file=sys.stderr)
        return 1
    report["total (s)"] = round(time.monotonic() - started, 1)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
