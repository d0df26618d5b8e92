import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 30 + "-production-like-secret-key-for-check-deploy",
    "PUBLIC_BASE_URL": "https://news.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/masthead",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_check_deploy_with_production_like_variables_prints_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_public_pages_carry_a_strict_nonce_policy_and_the_admin_a_relaxed_one(client, site_tree):
    public = client.get("/")
    policy = public.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert public.headers["X-Frame-Options"] == "DENY"
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    assert public.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert public.headers["Cross-Origin-Opener-Policy"] == "same-origin"

    admin_login = client.get("/admin/login/")
    assert "'unsafe-inline'" in admin_login.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_health_endpoints_answer_without_revealing_details(client, settings):
    settings.HEALTHCHECK_TOKEN = "probe-token"
    assert client.get("/livez/").json() == {"status": "ok"}
    public = client.get("/healthz/")
    assert public.status_code == 200
    assert public.json() == {"status": "ok"}
    detailed = client.get("/healthz/", headers={"X-Health-Token": "probe-token"})
    assert detailed.json()["checks"] == {"database": True, "broker": True, "cache": True}


@pytest.mark.django_db
def test_health_reports_unavailable_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
