"""Run every benchmark and print one JSON line each; also written to bench/results/. Then the
tables (bench/report.py): the load average around each benchmark, and the load and scale
figures against their targets."""

import importlib
import json
import os
import pkgutil
import sys
import time
from pathlib import Path

from .harness import benchmark_database, setup_django
from .report import report


def main(names: list[str]) -> int:
    setup_django()
    here = Path(__file__).parent
    modules = sorted(
        m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_")
    )
    if names:
        modules = [m for m in modules if m in names or m.removeprefix("bench_") in names]
    results = []
    with benchmark_database():
        for name in modules:
            module = importlib.import_module(f"bench.{name}")
            before = round(os.getloadavg()[0], 2)
            result = {"benchmark": name, **module.run()}
            # The machine is shared: the 1-minute load average around each benchmark.
            result["load_average"] = [before, round(os.getloadavg()[0], 2)]
            results.append(result)
            print(json.dumps(result), flush=True)
    out = here / "results"
    out.mkdir(exist_ok=True)
    (out / f"{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(results, indent=2))
    print(f"\n{report(results)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
