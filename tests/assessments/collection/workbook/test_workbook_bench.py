"""The import benchmark runs and reports its numbers (a smoke test, not a measurement)."""

import pytest

from assessments.models import Assessment
from bench import bench_import

pytestmark = pytest.mark.django_db


def test_import_benchmark_runs_and_leaves_nothing_behind():
    before = Assessment.objects.count()
    result = bench_import.run(repeat=1)
    assert result["rows"] == 98
    assert result["import_s"] > 0 and result["bare_view_s"] > 0
    assert result["ratio"] == pytest.approx(result["import_s"] / result["bare_view_s"], rel=0.1)
    assert Assessment.objects.count() == before
