"""The tables `python -m bench` prints after its JSON lines (the benchmarks run with `make bench`)."""

from typing import Any

from bench.report import report


def _scale_result() -> dict[str, Any]:
    page = {"demo_s": 0.051, "scale_s": 0.066, "ratio": 1.14, "raw_ratio": 1.29}
    return {
        "benchmark": "bench_scale",
        "load_average": [3.5, 6.25],
        "provinces": 38,
        "responses": 98896,
        "page_target_ratio": 2.0,
        "pages": {
            "dashboard_largest": {
                **page,
                "ratio": 2.4,
                "queries_demo": 8,
                "queries_scale": 8,
                "within_target": False,
            },
            "review_queue_same": {
                **page,
                "queries_demo": 7,
                "queries_scale": 7,
                "within_target": True,
            },
            "pages_within_target": False,
        },
        "import_demo": {"import_2000_s": 0.9, "import_one_s": 0.2, "import_ratio": 4.5},
        "import_scale": {"import_2000_s": 1.0, "import_one_s": 0.25, "import_ratio": 4.0},
        "import_target_ratio": 5.0,
        "import_within_target": True,
    }


def test_the_report_gives_the_load_average_and_the_scale_figures_against_their_targets() -> None:
    load = {
        "benchmark": "bench_load",
        "load_average_before": 3.67,
        "load_average_after": 5.94,
        "errors_5xx": 0,
        "pages": {
            "api_list": {
                "rps": 74.1,
                "p50_ms": 183.3,
                "p95_ms": 399.3,
                "p99_ms": 611.0,
                "bare_rps": 453.9,
                "ratio": 0.163,
                "target_ratio": 0.15,
                "within_target": True,
            }
        },
    }
    text = report([load, _scale_result(), {"benchmark": "bench_entry"}])
    lines = text.splitlines()
    assert lines[0].startswith("Load average (1 min)")
    assert ["bench_load", "3.67", "5.94"] in [line.split() for line in lines]
    assert ["bench_scale", "3.5", "6.25"] in [line.split() for line in lines]
    assert ["bench_entry", "?", "?"] in [line.split() for line in lines]
    assert [
        "api_list",
        "74.1",
        "183.3",
        "ms",
        "399.3",
        "ms",
        "611.0",
        "ms",
        "453.9",
        "0.163",
        "0.15",
        "yes",
    ] in [line.split() for line in lines]
    assert any(line.split()[:1] == ["dashboard_largest"] and line.endswith("NO") for line in lines)
    assert "8 -> 8" in text and "matrix import (target 5.0x: yes)" in text
    assert ["ratio", "4.5x", "4.0x"] in [line.split() for line in lines]
