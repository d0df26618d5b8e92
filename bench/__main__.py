"""`make bench` runs every benchmark module in bench/ (or those named: `make bench ARGS="beacon search"`)."""

import importlib
import pkgutil
import sys
from pathlib import Path

SKIP = {"harness", "__main__"}


def main(argv: list[str]) -> int:
    available = sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name not in SKIP
    )
    chosen = argv or available
    unknown = set(chosen) - set(available)
    if unknown:
        print(
            f"Unknown benchmark(s): {', '.join(sorted(unknown))}. Available: {', '.join(available)}"
        )
        return 2
    for name in chosen:
        print(f"\n######## bench.{name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
