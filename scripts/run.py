"""`make run`: the whole platform on one machine — web, Celery worker and beat, demo content.

Uses DATABASE_URL / REDIS_URL when set; otherwise starts the embedded PostgreSQL and Redis
(scripts/services.py). Ctrl-C stops every process it started, embedded servers included.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import services  # noqa: E402

ROOT = services.ROOT
PYTHON = sys.executable
SERVERS = services.EmbeddedServers.for_run()


def admin_password() -> str:
    password_file = SERVERS.data / "admin_password"
    if not password_file.exists():
        SERVERS.data.mkdir(parents=True, exist_ok=True)
        password_file.write_text(secrets.token_urlsafe(12))
        password_file.chmod(0o600)
    return password_file.read_text().strip()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    port = os.environ.get("PORT", "8000")
    service_env, started = SERVERS.start()
    password = admin_password()
    env = {
        **os.environ,
        **service_env,
        "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1"),
        # The printed password signs straight in; ADMIN_REQUIRE_2FA=1 asks for an authenticator app.
        "ADMIN_REQUIRE_2FA": os.environ.get("ADMIN_REQUIRE_2FA", "0"),
        "MASTHEAD_ADMIN_PASSWORD": password,
        # What the site's canonical links, feeds and sitemaps name: where this serves it.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}"),
        "PYTHONUNBUFFERED": "1",
    }
    processes: list[subprocess.Popen] = []

    def shutdown(*_args) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
        for stop in reversed(started):
            stop()

    # Ctrl-C stops everything even when this was started with SIGINT ignored (a shell's
    # background job): without this, the children would stop and this process would not.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo")
        manage(env, "set_site_origin", "-v", "0")
        staff_logins = subprocess.run(
            [PYTHON, "manage.py", "create_demo_staff"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        manage(env, "seed_planning", "-v", "0")
        celery = [PYTHON, "-m", "celery", "-A", "config"]
        commands = {
            "web": [
                PYTHON,
                "manage.py",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
                "--skip-checks",
            ],
            "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
            "beat": [*celery, "beat", "--loglevel", "INFO"],
        }
        for name, command in commands.items():
            print(f"[run] starting {name}: {' '.join(command[1:])}", flush=True)
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env))
        time.sleep(2)
        two_factor = (
            "on"
            if env["ADMIN_REQUIRE_2FA"].strip().lower() in {"1", "true", "yes", "on"}
            else "off (ADMIN_REQUIRE_2FA=1 turns it on)"
        )
        print(
            "\n"
            "  Masthead is running.\n"
            f"  Site:   {env['PUBLIC_BASE_URL']}/\n"
            f"  Admin:  {env['PUBLIC_BASE_URL']}/admin/\n"
            "  Login:  admin\n"
            f"  Password: {password}\n"
            f"  Two-factor sign-in: {two_factor}\n"
            "  Newsroom logins (role, username, password):\n"
            + "".join(f"    {line}\n" for line in staff_logins.splitlines())
            + "  Ctrl-C stops everything.\n",
            flush=True,
        )
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        # Ctrl-C reaches every process of the group at once: a child may be gone before this
        # process has run its own KeyboardInterrupt on a busy machine. Give it that moment.
        time.sleep(2)
        failed = [name for name, p in zip(commands, processes, strict=True) if p.poll() is not None]
        print(f"[run] {', '.join(failed)} stopped; shutting down.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n[run] stopping…", flush=True)
        return 0
    finally:
        shutdown()


if __name__ == "__main__":
    sys.exit(main())
