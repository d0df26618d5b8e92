"""`make test` in a second terminal beside `make run`: the suite runs on servers of its own and
leaves the running platform's database, broker queue, page cache and buffered views alone."""

import subprocess
import sys
from urllib.parse import urlsplit

import psycopg
import pytest
import redis

from config.settings import redis_url_with_db
from tests.foundation.newcomer import ROOT, newcomer_machine, services_environment

# A test that empties both of its Redis databases before and after it runs.
FLUSHING_TEST = "tests/search/test_autocomplete.py::test_rate_limited_per_client_address"

pytestmark = pytest.mark.timeout(900)


def test_a_test_run_leaves_a_running_platforms_data_queue_and_cache_alone():
    with newcomer_machine() as env:
        running = services_environment(env)  # the embedded servers `make run` uses
        broker = redis.Redis.from_url(running["REDIS_URL"])
        page_cache = redis.Redis.from_url(redis_url_with_db(running["REDIS_URL"], 1))
        broker.rpush("default", "a task the running worker has not taken yet")
        broker.hset("views:buffer", "7", 5)
        page_cache.set("masthead:1:page:/news/", "a cached front")
        database_url = running["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute("CREATE TABLE sentinel (note text)")
            connection.execute("INSERT INTO sentinel VALUES ('written by make run')")

        suite = subprocess.run(
            [
                sys.executable,
                "scripts/services.py",
                "--isolated",
                "exec",
                "--",
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "--create-db",
                "-p",
                "no:randomly",
                FLUSHING_TEST,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=800,
        )

        assert suite.returncode == 0, suite.stdout[-3000:] + suite.stderr[-3000:]
        assert "1 passed" in suite.stdout
        assert f"Redis ready ({urlsplit(running['REDIS_URL']).netloc})" not in suite.stderr
        assert broker.lrange("default", 0, -1) == [b"a task the running worker has not taken yet"]
        assert broker.hgetall("views:buffer") == {b"7": b"5"}
        assert page_cache.get("masthead:1:page:/news/") == b"a cached front"
        with psycopg.connect(database_url) as connection:
            assert connection.execute("SELECT note FROM sentinel").fetchall() == [
                ("written by make run",)
            ]
        broker.close()
        page_cache.close()
