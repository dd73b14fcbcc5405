"""The human-readable tables `python -m bench` prints after the JSON lines.

One table of the machine's load (the 1-minute load average before and after each benchmark:
the machine is shared, and a figure means little without it), then the tables of the
benchmarks that have targets against other figures: `bench_load` (throughput as a share of a
bare view alongside) and `bench_scale` (demo data against 38 provinces).
"""

import os
from typing import Any


def _table(header: list[str], rows: list[list[Any]]) -> str:
    cells = [header, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _met(value: Any) -> str:
    return "—" if value is None else ("yes" if value else "NO")


def load_table(results: list[dict[str, Any]]) -> str:
    own = ["load_average_before", "load_average_after"]  # bench_load records them itself
    rows = [
        [r["benchmark"], *r.get("load_average", [r.get(key, "?") for key in own])] for r in results
    ]
    return (
        f"Load average (1 min) on {os.cpu_count()} CPUs, before and after each benchmark\n"
        + _table(["benchmark", "before", "after"], rows)
    )


def bench_load_table(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"bench_load: skipped ({result['skipped']})"
    rows = [
        [
            name,
            page["rps"],
            f"{page['p50_ms']} ms",
            f"{page['p95_ms']} ms",
            f"{page['p99_ms']} ms",
            page.get("bare_rps", ""),
            page.get("ratio", ""),
            page.get("target_ratio", "—"),
            _met(page.get("within_target")),
        ]
        for name, page in result["pages"].items()
    ]
    header = ["page", "req/s", "p50", "p95", "p99", "bare req/s", "ratio", "target", "met"]
    return (
        "bench_load: throughput under load, as a share of a bare view alongside\n"
        + _table(header, rows)
        + f"\n5xx: {result.get('errors_5xx')}"
    )


def bench_scale_table(result: dict[str, Any]) -> str:
    rows = [
        [
            name,
            f"{page['demo_s'] * 1000:.0f} ms",
            f"{page['scale_s'] * 1000:.0f} ms",
            page["ratio"],
            page["raw_ratio"],
            f"{page['queries_demo']} -> {page['queries_scale']}",
            _met(page["within_target"]),
        ]
        for name, page in result["pages"].items()
        if isinstance(page, dict)
    ]
    header = ["page", "demo data", "scale data", "ratio", "raw ratio", "queries", "within"]
    target = result["page_target_ratio"]
    demo, scale = result["import_demo"], result["import_scale"]
    imports = [
        ["1,960 rows", f"{demo['import_2000_s']} s", f"{scale['import_2000_s']} s"],
        ["one institution", f"{demo['import_one_s']} s", f"{scale['import_one_s']} s"],
        ["ratio", f"{demo['import_ratio']}x", f"{scale['import_ratio']}x"],
    ]
    return (
        f"bench_scale: demo data against {result['provinces']} provinces "
        f"({result['responses']} responses); pages within {target}x\n"
        + _table(header, rows)
        + f"\nmatrix import (target {result['import_target_ratio']}x: "
        + f"{_met(result['import_within_target'])})\n"
        + _table(["import", "demo data", "scale data"], imports)
    )


TABLES = {"bench_load": bench_load_table, "bench_scale": bench_scale_table}


def report(results: list[dict[str, Any]]) -> str:
    parts = [load_table(results)]
    parts += [TABLES[r["benchmark"]](r) for r in results if r["benchmark"] in TABLES]
    return "\n\n".join(parts)
