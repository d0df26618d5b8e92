"""C.5: security headers on public pages, the admin and in production settings."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Collection

import pytest

from news.factories import ArticlePageFactory

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="news.example.com")
plain = client.get("/livez/")
secure = client.get("/livez/", secure=True)
health = client.get("/healthz/")
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "hsts": secure.get("Strict-Transport-Security"),
    "health_redirected": health.status_code in (301, 302),
    "session_cookie_secure": django.conf.settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": django.conf.settings.CSRF_COOKIE_SECURE,
}))
"""


def test_production_settings_redirect_to_https_and_send_hsts_with_preload():
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "SECRET_KEY"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x" * 30 + "-production-like-secret-key-for-the-probe",
        "ALLOWED_HOSTS": "news.example.com",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["plain_status"] == 301
    assert probe["plain_location"] == "https://news.example.com/livez/"
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    # The load balancer's probe speaks plain HTTP inside the network.
    assert probe["health_redirected"] is False
    assert probe["session_cookie_secure"] is True
    assert probe["csrf_cookie_secure"] is True


def nonce_of(policy: str) -> str:
    return re.search(r"'nonce-([^']+)'", policy).group(1)


@pytest.mark.django_db
def test_every_public_page_carries_the_strict_policy_with_a_fresh_nonce(client, site_tree):
    article = ArticlePageFactory(parent=site_tree["news"], title="Council meets")
    public_paths = ["/", "/news/", article.url, "/search/?q=council", "/no-such-page/"]
    nonces = set()
    for path in public_paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        policy = response["Content-Security-Policy"]
        nonce = nonce_of(policy)
        nonces.add(nonce)
        assert "script-src 'self' 'nonce-" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert "frame-ancestors 'none'" in policy, path
        assert "object-src 'none'" in policy, path
        assert "base-uri 'self'" in policy, path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
        html = response.content.decode()
        # Every script the page loads carries this response's nonce, and there is no other.
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert any("js/site.js" in tag for tag in scripts), path
        for tag in scripts:
            if 'type="application/ld+json"' in tag or "application/json" in tag:
                continue
            assert f'nonce="{nonce}"' in tag, (path, tag)
    assert len(nonces) == len(public_paths)  # never reused between responses


@pytest.mark.django_db
def test_the_admin_gets_its_relaxed_policy_and_still_refuses_foreign_framing(
    admin_client, wagtail_root
):
    for path in ["/admin/login/", "/admin/", "/admin/pages/"]:
        response = admin_client.get(path)
        assert response.status_code in (200, 302), path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self' 'unsafe-inline' 'unsafe-eval'" in policy, path
        # Previews frame the admin's own pages; nobody else may.
        assert "frame-ancestors 'self'" in policy, path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path


@pytest.mark.django_db
def test_documents_are_served_through_the_view_and_not_from_media(client, settings):
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    document = get_document_model().objects.create(
        title="Council budget",
        file=ContentFile(b"line one\nline two\n", name="budget.txt"),
        collection=collection,
    )
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert document.url == f"/documents/{document.pk}/budget.txt"
    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"line one\nline two\n"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"

    raw = client.get(f"/media/{document.file.name}")
    assert raw.status_code == 404
