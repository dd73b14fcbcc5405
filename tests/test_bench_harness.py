"""The benchmark harness's interleaved timing (the benchmarks themselves run with `make bench`)."""

import time

from bench.harness import interleaved


def test_interleaved_takes_the_calls_in_turn_and_reports_each_median():
    order: list[str] = []

    def fast():
        order.append("fast")

    def slow():
        order.append("slow")
        time.sleep(0.002)

    times = interleaved({"fast": fast, "slow": slow}, rounds=5, warmup=1)
    # Warm-up first, then one call of each per round, alternating.
    assert order == ["fast", "slow"] + ["fast", "slow"] * 5
    assert set(times) == {"fast", "slow"}
    assert times["slow"] >= 0.002 > times["fast"]
