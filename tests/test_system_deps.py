"""`make system-deps` installs every Debian package the suite needs, and only when one is missing:
one list of `package:file` pairs in the Makefile, the file proving the package is there."""

import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# What the suite runs outside Python, and who runs it.
NEEDED = {
    "/usr/bin/msgfmt": "compilemessages (make setup), for the Korean and English pages",
    "/usr/bin/chromium": "tests/chromium.py: every browser test",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc": "Korean text in the browser tests' screenshots",
    "/usr/bin/wrk": "tests/test_bench.py (scripts/bench.py)",
    "/usr/bin/kubectl": "tests/deploy/test_k8s.py renders deploy/k8s/",
    "/usr/bin/redis-server": "tests/deploy/: the shared cache of two instances (.ci/run starts it)",
    "/usr/sbin/dockerd": "make image-test (scripts/image_test.py)",
    "/usr/sbin/debootstrap": "make image-test: the local base image",
}


def make(*args):
    return subprocess.run(["make", "-s", *args], cwd=BASE_DIR, capture_output=True, text=True, timeout=600)


def system_deps():
    shown = make("--eval", "show-system-deps: ; @echo $(SYSTEM_DEPS)", "show-system-deps")
    assert shown.returncode == 0, shown.stderr
    return dict(pair.split(":", 1)[::-1] for pair in shown.stdout.split())


def test_every_binary_the_suite_calls_is_installed_by_system_deps():
    listed = system_deps()
    assert set(NEEDED) <= set(listed), f"missing from SYSTEM_DEPS: {set(NEEDED) - set(listed)}"


def test_each_listed_file_belongs_to_the_package_it_is_listed_with_after_system_deps():
    result = make("system-deps")
    assert result.returncode == 0, result.stderr
    listed = system_deps()
    assert len(listed) >= len(NEEDED)
    for path, package in listed.items():
        owner = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True, check=True).stdout
        assert owner.split(":")[0] == package, (path, owner)
    # Idempotent: with everything there, a second run installs (and announces) nothing.
    again = make("system-deps")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
