"""A focal point's Excel import: one institution's workbook with all 98 national indicators.

In a national assessment where one institution leads every indicator, a workbook that
changes every answer and justification is imported through the API: once as a dry run
(the preview: read, check every row against the portal) and once for real (validated
again, then every answer written by `responses_update_bulk`: version claims, values,
evidence links and history rows in a fixed number of statements, in one transaction). Everything the benchmark creates is rolled back at its end.
"""

import gc
import io
import statistics
import time
from typing import Any

from .harness import bare_view_time, time_calls
from .scenarios import national_round

INSTITUTION = "KEMNAKER"


def _scenario() -> tuple[Any, Any, Any]:
    """An open national assessment in which INSTITUTION leads every indicator."""
    from assessments.models import Assessment
    from assessments.setup import services as setup_services
    from ministries.models import Institution, User

    institution = Institution.objects.get(acronym=INSTITUTION)
    coordinator, _ = User.objects.get_or_create(
        username="bench-import-coordinator", defaults={"role": User.Role.NATIONAL_COORDINATOR}
    )
    focal, _ = User.objects.get_or_create(
        username="bench-import-focal",
        defaults={"role": User.Role.FOCAL_POINT, "institution": institution},
    )
    assessment = national_round(
        actor=coordinator, year=2098, title_en="Benchmark import", title_id="Impor tolok ukur"
    )
    setup_services.matrix_apply(
        assessment=assessment,
        actor=coordinator,
        cells={(i.pk, institution.pk): "lead" for i in assessment.framework.indicators.all()},
    )
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.DATA_COLLECTION
    )
    return assessment, institution, focal


def filled_workbook(assessment: Any, institution: Any, answer: str) -> tuple[bytes, int]:
    """The current export with every answer set to `answer` and a new justification."""
    from openpyxl import load_workbook

    from assessments.collection import workbook

    data = workbook.workbook_data(assessment, institution)
    wb = load_workbook(io.BytesIO(workbook.export_workbook(data)))
    ws = wb[workbook.SHEET_RESPONSES]
    header = [c.value for c in ws[1]]
    answer_col = header.index("answer") + 1
    justification_col = header.index("justification") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=answer_col).value = answer
        ws.cell(row=row, column=justification_col).value = f"Benchmark: {answer}, row {row}."
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), ws.max_row - 1


def run(repeat: int = 5) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from ministries.tokens import token_create

    with override_settings(ROOT_URLCONF="bench.urls"), transaction.atomic():
        assessment, institution, focal = _scenario()
        _, token = token_create(user=focal)
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        url = f"/api/v1/assessments/{assessment.pk}/matrix/import/"

        def post(content: bytes, *, dry_run: bool) -> None:
            upload = SimpleUploadedFile("bench.xlsx", content)
            response = client.post(url, {"file": upload, "dry_run": str(dry_run).lower()})
            if response.status_code != 200:
                raise RuntimeError(f"import failed: {response.content[:500]!r}")

        # Ten bare requests per import timed (50 in a real run; each sample collects garbage).
        bare = bare_view_time(client, repeat=10 * repeat)
        content, rows = filled_workbook(assessment, institution, "Yes")
        preview = time_calls(lambda: post(content, dry_run=True), repeat=repeat)["median_s"]
        samples = []
        queries = 0
        for i in range(repeat):
            # Each import needs a fresh export: the previous one moved every version on.
            content, rows = filled_workbook(assessment, institution, ("No", "Partially")[i % 2])
            gc.collect()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                post(content, dry_run=False)
                samples.append(time.perf_counter() - start)
            queries = len(ctx.captured_queries)
        applied = statistics.median(samples)
        transaction.set_rollback(True)
    return {
        "name": f"Excel import of one institution's workbook, {rows} indicators",
        "rows": rows,
        "bare_view_s": round(bare, 5),
        "preview_s": round(preview, 4),
        "import_s": round(applied, 4),
        "preview_ratio": round(preview / bare, 1),
        "ratio": round(applied / bare, 1),
        "import_queries": queries,
    }
