"""What every benchmark needs: its own database, a production-like server, a load generator,
latency statistics and a results file."""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


# --- Database and Django --------------------------------------------------------------------


def bench_database_url(url: str | None = None) -> str:
    """DATABASE_URL with the database renamed `<name>_bench`."""
    parts = urlsplit(
        url or os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/masthead")
    )
    name = parts.path.lstrip("/") or "masthead"
    if not name.endswith("_bench"):
        name = f"{name}_bench"
    return urlunsplit(parts._replace(path=f"/{name}"))


def _create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    """Point Django at the benchmark database, migrate it, and set Django up in this process."""
    if os.environ.get("MASTHEAD_BENCH_READY"):
        return
    url = bench_database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    _create_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    os.environ["MASTHEAD_BENCH_READY"] = "1"


def ensure_articles(count: int) -> int:
    """Make sure at least `count` published articles exist; returns how many there are."""
    from django.core.management import call_command

    from news.bulk import seed_articles
    from news.models import ArticlePage, HomePage

    if not HomePage.objects.exists():
        call_command("seed_demo", articles=0, verbosity=0)
    have = ArticlePage.objects.live().count()
    if have < count:
        print(f"[bench] seeding {count - have} articles…", flush=True)
        seed_articles(count=count - have, seed=have + 1)
    return ArticlePage.objects.live().count()


def store_continue_reading(article) -> int:
    """Give the benchmarked article the "Continue reading" list a reader sees, through the
    product's own code (the worker's, run here): bulk seeding indexes nothing, so the article's
    first candidates are indexed, then its list is computed again. Returns the list's length."""
    from news import related

    for neighbour in related.refresh_article(article_id=article.pk):
        related.refresh_article(article_id=neighbour)
    related.refresh_article(article_id=article.pk)
    return article.related_links.count()


def plain_storages():
    """In-process rendering without collected static files (gunicorn's workers have them)."""
    from django.test.utils import override_settings

    return override_settings(
        STORAGES={
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        }
    )


# --- Server ---------------------------------------------------------------------------------


class ServerURL(str):
    """The server's base URL, carrying the gunicorn master's pid (for memory figures)."""

    pid: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not come up")


@contextmanager
def gunicorn(
    *, workers: int = 2, threads: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    """A production-like server on loopback (DEBUG off, collected static files). Yields its URL."""
    port = free_port()
    server_env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        **(env or {}),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=server_env,
        check=True,
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = (RESULTS / "gunicorn.log").open("a")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**server_env, "GUNICORN_ACCESS_LOG": ""},
        stdout=log,
        stderr=log,
    )
    url = ServerURL(f"http://127.0.0.1:{port}")
    url.pid = process.pid
    try:
        wait_until_up(f"{url}/livez/")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def celery(*args: str, log_name: str) -> subprocess.Popen:
    """A Celery worker or beat (`args` after `-A config`), logging to bench/results/`log_name`."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = (RESULTS / log_name).open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *args, "--loglevel", "INFO"],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def worker_pids(server_pid: int) -> list[int]:
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- Load -----------------------------------------------------------------------------------


@dataclass
class LoadResult:
    url: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    non_2xx: int

    def ratio_to(self, baseline: "LoadResult") -> float:
        return (
            self.requests_per_second / baseline.requests_per_second
            if baseline.requests_per_second
            else 0.0
        )


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * _UNITS_MS[unit]


def load(
    url: str,
    *,
    seconds: int = 10,
    connections: int = 16,
    threads: int = 2,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str = "",
) -> LoadResult:
    """Drive `url` with wrk (Debian's package), or a Python load generator where wrk is missing."""
    if shutil.which("wrk"):
        return _wrk(
            url,
            seconds=seconds,
            connections=connections,
            threads=threads,
            method=method,
            headers=headers or {},
            body=body,
        )
    return _python_load(
        url,
        seconds=seconds,
        connections=connections,
        method=method,
        headers=headers or {},
        body=body,
    )


def load_alternating(
    targets: dict[str, dict], *, rounds: int, seconds: int, connections: int = 16
) -> dict[str, LoadResult]:
    """Drive each target (keyword arguments for `load`) in turn, `rounds` times over.

    On a shared machine the load around a run drifts by a factor of two within a minute; two
    endpoints measured one after the other compare the drift, not the endpoints. Alternating
    short rounds exposes both to the same drift. Throughput is all requests over all seconds;
    p50 is the median of the rounds' p50s and p99 the worst round's.
    """
    runs: dict[str, list[LoadResult]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, kwargs in targets.items():
            runs[name].append(load(seconds=seconds, connections=connections, **kwargs))
    return {
        name: LoadResult(
            url=results[0].url,
            requests_per_second=sum(r.requests for r in results) / (seconds * rounds),
            p50_ms=statistics.median(r.p50_ms for r in results),
            p99_ms=max(r.p99_ms for r in results),
            requests=sum(r.requests for r in results),
            errors=sum(r.errors for r in results),
            non_2xx=sum(r.non_2xx for r in results),
        )
        for name, results in runs.items()
    }


def _wrk(url, *, seconds, connections, threads, method, headers, body) -> LoadResult:
    script = ROOT / "bench" / "results" / f"wrk-{os.getpid()}.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    lua_headers = "".join(f'wrk.headers["{k}"] = {json.dumps(v)}\n' for k, v in headers.items())
    script.write_text(f'wrk.method = "{method}"\nwrk.body = {json.dumps(body)}\n{lua_headers}')
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "30s",  # wrk's 2 s default counts slow uncached pages as errors, not latencies
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    script.unlink(missing_ok=True)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    return LoadResult(
        url=url,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        p99_ms=_ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        requests=requests,
        errors=errors,
        non_2xx=non_2xx,
    )


def _python_load(url, *, seconds, connections, method, headers, body) -> LoadResult:
    import http.client

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    failures = [0, 0]
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        local, errors, bad = [], 0, 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body or None, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    bad += 1
            except OSError:
                errors += 1
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            local.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(local)
            failures[0] += errors
            failures[1] += bad

    workers = [threading.Thread(target=client) for _ in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stats = latency_stats(latencies)
    return LoadResult(
        url,
        len(latencies) / seconds,
        stats["p50_ms"],
        stats["p99_ms"],
        len(latencies),
        failures[0],
        failures[1],
    )


def latency_stats(samples_ms: list[float]) -> dict[str, float]:
    if not samples_ms:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "mean_ms": 0.0}
    ordered = sorted(samples_ms)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "mean_ms": statistics.fmean(ordered),
    }


def time_calls(
    call: Callable[[], object],
    *,
    repeat: int,
    warmup: int = 3,
    before: Callable[[], object] | None = None,
) -> dict[str, float]:
    """Latency of `call` in this process, in milliseconds; `before` runs untimed ahead of
    each call."""
    for _ in range(warmup):
        if before:
            before()
        call()
    samples = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return latency_stats(samples)


# --- Output ---------------------------------------------------------------------------------


def print_table(title: str, rows: list[dict[str, object]]) -> None:
    print(f"\n== {title}")
    if not rows:
        print("(no rows)")
        return
    columns = list(rows[0])
    cells = [[_fmt(row.get(col, "")) for col in columns] for row in rows]
    widths = [max(len(col), *(len(r[i]) for r in cells)) for i, col in enumerate(columns)]
    print("  ".join(col.ljust(w) for col, w in zip(columns, widths, strict=True)))
    for row in cells:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def write_results(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        "benchmark": name,
        "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        **payload,
    }
    path.write_text(
        json.dumps(
            payload,
            indent=2,
            default=lambda o: asdict(o) if hasattr(o, "__dataclass_fields__") else str(o),
        )
    )
    print(f"[bench] results written to {path.relative_to(ROOT)}")
    return path
