"""No Docker engine runs here, so docker-compose.yml is checked by reading it."""

import importlib
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_declares_the_whole_platform():
    assert set(COMPOSE["services"]) >= {"postgres", "redis", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web"):
        assert "healthcheck" in COMPOSE["services"][name], f"{name} has no health check"
    assert set(COMPOSE["volumes"]) >= {"postgres-data", "redis-data", "media"}


def test_app_services_wait_for_healthy_dependencies_and_share_one_image():
    images = set()
    for name in ("web", "worker", "worker-bulk", "beat"):
        service = COMPOSE["services"][name]
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        images.add(service.get("image") or str(service["build"]))
    assert len(images) == 1


def test_every_service_command_points_to_something_in_the_project():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile
    for name in ("web", "worker", "worker-bulk", "beat", "migrate"):
        command = COMPOSE["services"][name]["command"]
        command = " ".join(command) if isinstance(command, list) else command
        for module in re.findall(r"(config\.[a-z_]+)(?::|\b)", command):
            importlib.import_module(module)
        for path in re.findall(r"(?:^|\s)(?:-c\s+)?([\w./-]+\.py)\b", command):
            assert (ROOT / path).exists(), f"{name}: {path} does not exist"
        if "celery" in command:
            assert "-A config" in command
        if "gunicorn" in command:
            assert "config.wsgi:application" in command
            assert (ROOT / "gunicorn.conf.py").exists()


def test_compose_sets_every_required_variable_for_production():
    env = COMPOSE["x-app-environment"]
    for variable in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
        assert variable in env


def test_workers_split_latency_critical_from_bulk_queues():
    from config.celery import app

    def queues_of(service: str) -> set[str]:
        command = COMPOSE["services"][service]["command"]
        return set(command[command.index("--queues") + 1].split(","))

    declared = {queue.name for queue in app.conf.task_queues}
    assert declared == {"realtime", "default", "bulk"}
    assert queues_of("worker") == {"realtime", "default"}
    assert queues_of("worker-bulk") == {"bulk"}


def test_web_and_workers_scale_out_behind_a_proxy():
    services = COMPOSE["services"]
    assert services["web"]["deploy"]["replicas"] >= 2
    assert services["worker"]["deploy"]["replicas"] >= 2
    nginx = (ROOT / services["proxy"]["volumes"][0].split(":")[0]).read_text()
    assert "proxy_pass http://masthead_web" in nginx
