"""The deployment files (infra/), checked by reading them: no container engine or cluster
runs here. Kubernetes manifests, compose file, Dockerfile, .dockerignore, gunicorn settings."""

from __future__ import annotations

import re
import runpy
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from config.health import LIVENESS_PATH, READINESS_PATH

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
K8S = INFRA / "k8s"

SECRET_NAME = re.compile(r"KEY|SECRET|PASSWORD|TOKEN|DSN", re.IGNORECASE)
# scheme://user:password@host, unless the password is a ${VARIABLE} reference.
CREDENTIALS_IN_URL = re.compile(r"://[^/\s:@]+:(?!\$\{)[^@\s]+@")
WORKLOAD_KINDS = {"Deployment", "Job", "CronJob", "StatefulSet", "DaemonSet"}


# ---------------------------------------------------------------------------- helpers
def kustomization() -> dict[str, Any]:
    return yaml.safe_load((K8S / "kustomization.yaml").read_text())


def manifests() -> list[dict[str, Any]]:
    documents = []
    for name in kustomization()["resources"]:
        for document in yaml.safe_load_all((K8S / name).read_text()):
            if document:
                documents.append(document)
    return documents


def by_kind(kind: str) -> list[dict[str, Any]]:
    return [document for document in manifests() if document["kind"] == kind]


def one(kind: str, name: str) -> dict[str, Any]:
    found = [d for d in by_kind(kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return workload["spec"]["template"]["spec"]


def pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    return workload["spec"]["template"]["metadata"]["labels"]


def workloads() -> list[dict[str, Any]]:
    return [document for document in manifests() if document["kind"] in WORKLOAD_KINDS]


def containers() -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(workload/container, container, pod spec) for every container and init container."""
    for workload in workloads():
        spec = pod_spec(workload)
        for container in spec.get("initContainers", []) + spec["containers"]:
            yield f"{workload['metadata']['name']}/{container['name']}", container, spec


def web_container() -> dict[str, Any]:
    spec = pod_spec(one("Deployment", "callao-web"))
    (container,) = spec["containers"]
    return container


def config_map(name: str) -> dict[str, str]:
    return one("ConfigMap", name)["data"]


def platform_domain() -> str:
    return config_map("callao-config")["PLATFORM_DOMAIN"]


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


# ---------------------------------------------------------------------------- kubernetes
def test_the_kustomization_lists_every_manifest_and_no_secret() -> None:
    listed = set(kustomization()["resources"])
    on_disk = {path.name for path in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk
    assert by_kind("Deployment")
    # Secrets are created in the cluster, never written here.
    assert not by_kind("Secret")


def test_every_container_has_a_pinned_image() -> None:
    images = {image["name"]: image for image in kustomization()["images"]}
    for where, container, _spec in containers():
        image = container.get("image")
        assert image, f"{where} has no image"
        assert image in images, f"{where}: {image} is not set in kustomization.yaml images"
        tag = str(images[image].get("newTag", ""))
        assert tag, f"{where}: {image} has no tag"
        assert tag != "latest", f"{where}: {image} has no fixed tag"


def test_every_container_has_resource_requests_and_limits() -> None:
    for where, container, _spec in containers():
        resources = container.get("resources", {})
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(resources.get(kind, {})), f"{where}: {kind}"


def test_every_container_runs_without_privileges() -> None:
    for where, container, spec in containers():
        pod = spec.get("securityContext", {})
        own = container.get("securityContext", {})
        assert own.get("runAsNonRoot", pod.get("runAsNonRoot")) is True, where
        assert pod.get("runAsUser", 0) != 0, where
        assert own.get("allowPrivilegeEscalation") is False, where
        assert own.get("readOnlyRootFilesystem") is True, where
        assert own.get("capabilities", {}).get("drop") == ["ALL"], where
        assert not own.get("privileged", False), where
        assert pod.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
        assert spec.get("automountServiceAccountToken") is False, where


def test_the_web_deployment_is_probed_on_the_health_endpoints() -> None:
    container = web_container()
    port_names = {port["name"] for port in container["ports"]}
    expected = {"livenessProbe": LIVENESS_PATH, "readinessProbe": READINESS_PATH}
    for probe, path in expected.items():
        http = container[probe]["httpGet"]
        assert http["path"] == path
        assert http["port"] in port_names
    assert container["startupProbe"]["httpGet"]["path"] == LIVENESS_PATH


def test_no_secret_is_written_in_plain_text() -> None:
    for where, container, _spec in containers():
        for variable in container.get("env", []):
            name, value = variable["name"], variable.get("value")
            if SECRET_NAME.search(name):
                assert value is None, f"{where}: {name} has a literal value"
                assert "secretKeyRef" in variable.get("valueFrom", {}), f"{where}: {name}"
            if value is not None:
                assert not CREDENTIALS_IN_URL.search(str(value)), f"{where}: {name}"
        for source in container.get("envFrom", []):
            assert "configMapRef" in source or "secretRef" in source, where
    for config in by_kind("ConfigMap"):
        for key, value in config["data"].items():
            assert not SECRET_NAME.search(key), f"ConfigMap {config['metadata']['name']}: {key}"
            assert not CREDENTIALS_IN_URL.search(str(value)), key


def test_the_application_reads_its_secrets_from_the_secret() -> None:
    for name in ("callao-web", "callao-worker"):
        sources = pod_spec(one("Deployment", name))["containers"][0]["envFrom"]
        assert {"secretRef": {"name": "callao-secrets"}} in sources
        assert {"configMapRef": {"name": "callao-config"}} in sources
    migrate = pod_spec(one("Job", "callao-migrate"))["containers"][0]
    assert {"secretRef": {"name": "callao-secrets"}} in migrate["envFrom"]


def test_the_ingress_serves_the_platform_and_every_district_over_tls() -> None:
    domain = platform_domain()
    (ingress,) = by_kind("Ingress")
    hosts = {domain, f"*.{domain}"}
    assert {rule["host"] for rule in ingress["spec"]["rules"]} == hosts
    (tls,) = ingress["spec"]["tls"]
    assert set(tls["hosts"]) == hosts
    assert tls["secretName"]
    annotations = ingress["metadata"]["annotations"]
    assert any(key.startswith("cert-manager.io/") for key in annotations)
    service_names = {service["metadata"]["name"] for service in by_kind("Service")}
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            assert path["backend"]["service"]["name"] in service_names


def test_the_service_autoscaler_and_disruption_budget_target_the_web_pods() -> None:
    web = one("Deployment", "callao-web")
    labels = pod_labels(web)
    assert matches(web["spec"]["selector"]["matchLabels"], labels)
    # The autoscaler owns the replica count: a fixed one would fight it on every apply.
    assert "replicas" not in web["spec"]
    service = one("Service", "callao-web")
    assert matches(service["spec"]["selector"], labels)
    port_names = {port["name"] for port in web_container()["ports"]}
    assert all(port["targetPort"] in port_names for port in service["spec"]["ports"])
    (hpa,) = by_kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "callao-web",
    }
    assert 2 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    (pdb,) = by_kind("PodDisruptionBudget")
    assert matches(pdb["spec"]["selector"]["matchLabels"], labels)
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]


def test_every_deployment_selects_its_own_pods() -> None:
    for deployment in by_kind("Deployment"):
        assert matches(deployment["spec"]["selector"]["matchLabels"], pod_labels(deployment))


def test_the_worker_runs_the_configured_task_command() -> None:
    worker = pod_spec(one("Deployment", "callao-worker"))["containers"][0]
    assert "manage.py $WORKER_COMMAND" in " ".join(worker["command"])
    assert config_map("callao-config")["WORKER_COMMAND"].strip()


def test_the_release_job_migrates_every_schema() -> None:
    job = one("Job", "callao-migrate")
    (container,) = pod_spec(job)["containers"]
    assert container["command"][:3] == ["python", "manage.py", "migrate_all"]
    assert pod_spec(job)["restartPolicy"] == "Never"
    assert job["spec"]["backoffLimit"] == 0


def test_the_backup_dumps_the_whole_database_one_run_at_a_time() -> None:
    cron = one("CronJob", "callao-backup")
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    spec = pod_spec(cron)
    scripts = " ".join(" ".join(c["command"]) for c in spec["initContainers"] + spec["containers"])
    assert "pg_dump" in scripts
    assert "--format=custom" in scripts
    claims = {
        volume["persistentVolumeClaim"]["claimName"]
        for volume in spec["volumes"]
        if "persistentVolumeClaim" in volume
    }
    assert claims <= {claim["metadata"]["name"] for claim in by_kind("PersistentVolumeClaim")}
    assert claims


def test_several_web_pods_share_one_cache() -> None:
    cache_url = config_map("callao-config")["CACHE_URL"]
    assert cache_url.startswith("redis://")
    host = cache_url.split("://", 1)[1].split(":", 1)[0]
    assert host in {service["metadata"]["name"] for service in by_kind("Service")}


KUBECTL = shutil.which("kubectl")


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_kustomize_renders_the_manifests() -> None:
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [str(KUBECTL), "kustomize", str(K8S)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    rendered = list(yaml.safe_load_all(result.stdout))
    assert all(
        doc["metadata"].get("namespace") == "callao"
        for doc in rendered
        if doc["kind"] != "Namespace"
    )
    images = {
        container["image"]
        for doc in rendered
        if doc["kind"] in WORKLOAD_KINDS
        for container in pod_spec(doc)["containers"] + pod_spec(doc).get("initContainers", [])
    }
    assert all(":" in image and not image.endswith(":latest") for image in images)


# ---------------------------------------------------------------------------- compose
def compose() -> dict[str, Any]:
    return yaml.safe_load((INFRA / "compose.yaml").read_text())


def test_the_compose_file_runs_web_worker_database_and_migrations() -> None:
    services = compose()["services"]
    assert {"web", "worker", "db", "migrate"} <= set(services)
    assert services["db"]["image"].startswith("postgres:16")
    assert any(volume.startswith("pgdata:") for volume in services["db"]["volumes"])
    assert "pgdata" in compose()["volumes"]
    assert services["migrate"]["command"][:3] == ["python", "manage.py", "migrate_all"]
    assert services["migrate"]["restart"] == "no"
    assert services["web"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    assert "WORKER_COMMAND" in " ".join(services["worker"]["command"])
    for name in ("web", "worker", "migrate"):
        assert services[name]["env_file"] == "../.env"


def test_the_compose_web_service_has_a_healthcheck() -> None:
    web = compose()["services"]["web"]
    test = " ".join(web["healthcheck"]["test"])
    assert READINESS_PATH in test
    # The worker and the migration serve no HTTP: the image's HEALTHCHECK is turned off.
    for name in ("worker", "migrate"):
        assert compose()["services"][name]["healthcheck"] == {"disable": True}


def test_the_compose_file_holds_no_secret_value() -> None:
    for name, service in compose()["services"].items():
        environment = service.get("environment", {})
        assert isinstance(environment, dict), name
        for key, value in environment.items():
            text = str(value)
            assert not CREDENTIALS_IN_URL.search(text), f"{name}: {key}"
            if SECRET_NAME.search(key):
                assert text.startswith("${"), f"{name}: {key} has a literal value"


# ---------------------------------------------------------------------------- image
def dockerfile() -> str:
    return (INFRA / "Dockerfile").read_text()


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", dockerfile())
    result = []
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


def test_the_image_is_built_in_stages_from_the_locked_dependencies() -> None:
    stages = [args for keyword, args in instructions() if keyword == "FROM"]
    assert len(stages) >= 2
    assert " AS builder" in stages[0]
    copies = [args for keyword, args in instructions() if keyword == "COPY"]
    assert any(args.startswith("--from=builder") for args in copies)
    runs = " ".join(args for keyword, args in instructions() if keyword == "RUN")
    assert "-c constraints.txt" in runs


def test_the_image_runs_as_a_non_root_user() -> None:
    final = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(final) if keyword == "FROM")
    users = [args for keyword, args in final[last_from:] if keyword == "USER"]
    assert users
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    # Numeric, so Kubernetes can verify runAsNonRoot; the manifests use the same id.
    assert user.isdigit()
    web_user = pod_spec(one("Deployment", "callao-web"))["securityContext"]["runAsUser"]
    assert int(user) == web_user


def test_the_image_collects_static_files_and_serves_with_gunicorn() -> None:
    runs = " ".join(args for keyword, args in instructions() if keyword == "RUN")
    assert "collectstatic --noinput" in runs
    # Production settings at build time, with a throwaway key (the real one is not there).
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in dockerfile()
    assert "SECRET_KEY=" in runs
    (command,) = [args for keyword, args in instructions() if keyword == "CMD"]
    assert "gunicorn" in command
    assert "infra/gunicorn.conf.py" in command
    healthchecks = [args for keyword, args in instructions() if keyword == "HEALTHCHECK"]
    assert len(healthchecks) == 1
    assert LIVENESS_PATH in healthchecks[0]


def test_the_build_context_leaves_out_secrets_and_local_state() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".env", ".venv", ".data", ".git"} <= ignored
    # What the image needs must not be ignored.
    for needed in ("infra/gunicorn.conf.py", "infra/print_requirements.py", "locale", "frontend"):
        assert needed not in ignored


def test_the_gunicorn_settings_suit_a_read_only_container() -> None:
    settings = runpy.run_path(str(INFRA / "gunicorn.conf.py"))
    assert settings["wsgi_app"] == "config.wsgi:application"
    assert settings["bind"] == "0.0.0.0:8000"
    assert settings["workers"] >= 2
    assert settings["timeout"] > 0
    assert settings["graceful_timeout"] < web_grace_period()
    assert settings["worker_tmp_dir"] == "/dev/shm"  # noqa: S108 - a tmpfs
    assert settings["control_socket_disable"] is True
    assert settings["max_requests"] > 0
    # No query strings in the access log (search boxes carry names).
    assert "%(U)s" in settings["access_log_format"]
    assert "%(r)s" not in settings["access_log_format"]
    assert "%(q)s" not in settings["access_log_format"]


def web_grace_period() -> int:
    return int(pod_spec(one("Deployment", "callao-web"))["terminationGracePeriodSeconds"])
