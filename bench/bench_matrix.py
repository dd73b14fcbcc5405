"""The coordinator's survey matrix: import of a 2,000-row workbook, and the grid page.

98 indicators x 20 institutions (one lead and 19 contributors each) = 1,960 rows, imported
through the API into an empty matrix: once as a dry run (read and check every row), once
for real (every assignment and answer row written). Each import runs in a transaction that
is rolled back, so every repetition starts from the same empty matrix.
"""

from typing import Any

from .harness import bare_view_time, time_calls
from .scenarios import matrix_scenario


def run() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.test import Client, override_settings

    from assessments.models import Assignment
    from ministries.models import User

    coordinator, _ = User.objects.get_or_create(
        username="bench-coordinator", defaults={"role": User.Role.NATIONAL_COORDINATOR}
    )
    scenario = matrix_scenario(
        coordinator=coordinator,
        year=2099,
        title_en="Benchmark matrix",
        title_id="Matriks tolok ukur",
    )
    assessment, content, rows, url = (
        scenario.assessment,
        scenario.whole,
        scenario.rows,
        scenario.url,
    )
    client = Client()
    client.force_login(coordinator)

    def post(dry_run: bool) -> None:
        upload = SimpleUploadedFile("matrix.xlsx", content)
        with transaction.atomic():
            response = client.post(url, {"file": upload, "dry_run": str(dry_run).lower()})
            assert response.status_code == 200, response.content[:500]
            if not dry_run:
                assert Assignment.objects.filter(assessment=assessment).count() == rows
            transaction.set_rollback(True)

    grid_url = f"/assessments/{assessment.pk}/matrix/"
    with override_settings(ROOT_URLCONF="bench.urls"):
        bare = bare_view_time(client)
        validate = time_calls(lambda: post(True), repeat=3, warmup=1)
        apply = time_calls(lambda: post(False), repeat=3, warmup=1)
        queries: list[str] = []

        def count(execute: Any, sql: str, *args: Any) -> Any:
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            post(False)
        # The grid page, with the imported matrix in place: 98 rows x 20 selects.
        upload = SimpleUploadedFile("matrix.xlsx", content)
        assert client.post(url, {"file": upload}).status_code == 200
        grid = time_calls(lambda: client.get(grid_url), repeat=5, warmup=1)
        html_bytes = len(client.get(grid_url).content)
    return {
        "name": f"coordinator matrix workbook import, {rows} rows; grid page",
        "rows": rows,
        "bare_view_s": round(bare, 5),
        "validate_s": round(validate["median_s"], 3),
        "validate_ratio": round(validate["median_s"] / bare, 1),
        "import_s": round(apply["median_s"], 3),
        "ratio": round(apply["median_s"] / bare, 1),
        "import_queries": len(queries),
        "grid_page_s": round(grid["median_s"], 4),
        "grid_ratio": round(grid["median_s"] / bare, 1),
        "grid_kib": round(html_bytes / 1024),
    }
