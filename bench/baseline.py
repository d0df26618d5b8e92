"""The ceiling every other figure is compared with: a minimal Django view (/livez/) under
gunicorn with the production settings, on loopback, measured with the same load generator."""

from bench import harness


def main() -> None:
    harness.setup_django()
    with harness.gunicorn(workers=2) as url:
        result = harness.load(f"{url}/livez/", seconds=8, connections=16)
    harness.print_table(
        "Minimal Django view (gunicorn sync ×2, 16 connections)",
        [
            {
                "url": "/livez/",
                "req/s": result.requests_per_second,
                "p50 ms": result.p50_ms,
                "p99 ms": result.p99_ms,
                "errors": result.errors,
                "non-2xx": result.non_2xx,
            }
        ],
    )
    harness.write_results("baseline", {"minimal_view": result})


if __name__ == "__main__":
    main()
