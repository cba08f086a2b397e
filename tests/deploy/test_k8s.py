"""The Kubernetes manifests: the example overlay rendered by kubectl's Kustomize, every
object valid against the Kubernetes schemas (kubernetes-validate), and the invariants a
replica of this site needs. Also `check --deploy` under the manifests' environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
# The newest schemas the package ships, and an older release still common on clusters.
VERSIONS = [kubernetes_validate.latest_version(), "1.29.0"]


@pytest.fixture(scope="module")
def rendered():
    result = subprocess.run(
        ["kubectl", "kustomize", str(K8S / "overlays" / "example")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def _one(objects, kind, name):
    found = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def _secret_template():
    return yaml.safe_load((K8S / "base" / "secret.template.yaml").read_text())


def _pod_specs(objects):
    for o in objects:
        if o["kind"] in {"Deployment", "Job"}:
            yield o, o["spec"]["template"]["spec"]


def test_the_overlay_renders_the_objects_a_deployment_needs(rendered):
    kinds = sorted((o["kind"], o["metadata"]["name"]) for o in rendered)
    assert kinds == [
        ("ConfigMap", "mspt3-config"),
        ("Deployment", "mspt3-redis"),
        ("Deployment", "mspt3-web"),
        ("HorizontalPodAutoscaler", "mspt3-web"),
        ("Ingress", "mspt3"),
        ("Job", "mspt3-migrate"),
        ("Namespace", "mspt3"),
        ("PodDisruptionBudget", "mspt3-web"),
        ("Service", "mspt3-redis"),
        ("Service", "mspt3-web"),
    ]
    assert all(o["metadata"].get("namespace") == "mspt3" for o in rendered if o["kind"] != "Namespace")


@pytest.mark.parametrize("version", VERSIONS)
def test_every_rendered_object_and_the_secret_template_is_valid_against_the_schemas(rendered, version):
    for obj in [*rendered, _secret_template()]:
        kubernetes_validate.validate(obj, version, strict=True)  # raises ValidationError


def test_the_validator_refuses_an_invalid_object(rendered):
    """The validation above can fail: a misspelt field in the web Deployment is caught."""
    broken = yaml.safe_load(yaml.safe_dump(_one(rendered, "Deployment", "mspt3-web")))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {"path": "/readyz"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSIONS[0], strict=True)


def test_the_web_deployment_has_two_replicas_probes_limits_and_graceful_termination(rendered):
    web = _one(rendered, "Deployment", "mspt3-web")
    assert web["spec"]["replicas"] == 2
    pod = web["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    port_names = {p["name"] for p in container["ports"]}
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert {container[p]["httpGet"]["port"] for p in ("readinessProbe", "livenessProbe")} <= port_names
    assert container["image"] == "registry.example.com/course/mspt3:2026.12.1"
    config = _one(rendered, "ConfigMap", "mspt3-config")["data"]
    prestop = int(container["lifecycle"]["preStop"]["exec"]["command"][1])
    assert prestop + int(config["GUNICORN_GRACEFUL_TIMEOUT"]) < pod["terminationGracePeriodSeconds"]


def test_every_pod_runs_as_non_root_with_a_read_only_root_and_limits(rendered):
    for owner, pod in _pod_specs(rendered):
        assert pod["securityContext"]["runAsNonRoot"] is True, owner["metadata"]["name"]
        assert pod["securityContext"]["runAsUser"] != 0
        emptydirs = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
        for container in pod["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True and security["allowPrivilegeEscalation"] is False
            assert security["capabilities"]["drop"] == ["ALL"]
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][kind]), (owner["metadata"]["name"], kind)
            # The only writable places are throw-away volumes of the pod itself.
            assert {m["name"] for m in container.get("volumeMounts", [])} <= emptydirs


def test_the_web_pods_get_a_writable_tmp(rendered):
    web = _one(rendered, "Deployment", "mspt3-web")["spec"]["template"]["spec"]
    assert "/tmp" in {m["mountPath"] for m in web["containers"][0]["volumeMounts"]}


def test_the_hpa_targets_the_web_deployment_and_the_pdb_and_service_select_its_pods(rendered):
    web = _one(rendered, "Deployment", "mspt3-web")
    labels = web["spec"]["template"]["metadata"]["labels"]
    hpa = _one(rendered, "HorizontalPodAutoscaler", "mspt3-web")
    target = hpa["spec"]["scaleTargetRef"]
    assert _one(rendered, target["kind"], target["name"]) is web and target["apiVersion"] == web["apiVersion"]
    assert hpa["apiVersion"] == "autoscaling/v2" and hpa["spec"]["minReplicas"] == web["spec"]["replicas"]
    pdb = _one(rendered, "PodDisruptionBudget", "mspt3-web")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]  # a drain can always proceed
    service = _one(rendered, "Service", "mspt3-web")
    assert service["spec"]["selector"].items() <= labels.items()
    assert web["spec"]["selector"]["matchLabels"].items() <= labels.items()
    # Only the web pods match: the cache and the migration Job are not served or counted.
    for owner, _pod in _pod_specs(rendered):
        if owner is not web:
            assert not service["spec"]["selector"].items() <= owner["spec"]["template"]["metadata"]["labels"].items()
    backend = _one(rendered, "Ingress", "mspt3")["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "mspt3-web" and backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}


def test_the_migration_job_runs_the_web_image_with_the_same_configuration(rendered):
    web = _one(rendered, "Deployment", "mspt3-web")["spec"]["template"]["spec"]["containers"][0]
    (job,) = _one(rendered, "Job", "mspt3-migrate")["spec"]["template"]["spec"]["containers"]
    assert job["image"] == web["image"] and job["envFrom"] == web["envFrom"]
    assert job["command"][-2:] == ["migrate", "--no-input"]


def test_no_real_secret_is_rendered_and_the_template_holds_only_placeholders(rendered):
    assert not [o for o in rendered if o["kind"] == "Secret"]
    template = _secret_template()
    refs = {
        e["secretRef"]["name"]
        for _o, pod in _pod_specs(rendered)
        for c in pod["containers"]
        for e in c.get("envFrom", [])
        if "secretRef" in e
    }
    assert refs == {template["metadata"]["name"]}
    assert all("REPLACE" in value for value in template["stringData"].values())


def _manifest_environment(rendered) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "DATABASE_URL"))}
    env.update(_one(rendered, "ConfigMap", "mspt3-config")["data"])
    env.update(_secret_template()["stringData"])
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)  # what the template asks to put there
    return env


def test_check_deploy_is_clean_with_the_manifests_environment(rendered):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_manifest_environment(rendered),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_the_manifests_turn_a_safeguard_off(rendered):
    """The check above can fail: the same environment with the HTTPS redirect off is refused."""
    env = {**_manifest_environment(rendered), "DJANGO_SECURE_SSL_REDIRECT": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "security.W008" in result.stdout + result.stderr
