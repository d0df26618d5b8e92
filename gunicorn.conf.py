"""gunicorn for production: 2×cores+1 processes of 2 threads (gthread).

Measured with `make bench` (bench/README.md): on cached pages gthread 2×2 and sync ×2 tie
in throughput; uncached pages are CPU-bound either way (the GIL), and a second thread overlaps
one request's SQL and Redis waits with another's rendering. Set
GUNICORN_THREADS=1 for plain sync workers. Each thread holds one persistent database connection
(CONN_MAX_AGE), so a replica opens workers × threads connections.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so slow leaks in any dependency cannot grow without bound. A
# worker answers a few thousand cached pages or beacons a second, so the bound is large, and
# the app is loaded once in the master (preload_app): a recycled worker is a fork, not a
# second Django start-up that would take a core for a second or two on every recycle. Nothing
# opens a database, cache or broker connection at import time, so the forks share none.
max_requests = 200_000
max_requests_jitter = 20_000
preload_app = True
# Access logs cost throughput; the proxy in front usually keeps them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), so two
# servers on one host (tests, benchmarks, two nodes in one container) would take it from each
# other; nothing here drives gunicorn through it.
control_socket_disable = True
