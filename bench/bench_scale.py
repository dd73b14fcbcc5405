"""The pages that grow with the data, on the demo and then on 38 provinces' worth of rounds.

First on the demo data (the national 2023 round with its matrix, Central Java 2023 carried
to publication), then after `scale_data --provinces 38` (assessments/demo/scale.py: one
national and 38 provincial 2025 rounds, about 100,000 responses), in the same process:

- the coordinator's dashboard page, the review queue page (facilitator, every state, the
  first page of 50) and the API lists (assessments; responses of one assessment, the first
  page of 100). Each is timed twice on the 38-province data: the same URL as on the demo
  data ("same": the demo's assessment, the rest of the database grown around it) and the
  largest round of the new data ("largest": the national 2025 round, 3,136 responses where
  the demo's national round has 192). Target: within 2x of the demo-data time.
- the coordinator's survey-matrix workbook import (API, applied, rolled back): 98 indicators
  x 20 institutions (1,960 rows) against one institution's (98 rows), into an empty matrix.
  Target: the 2,000-row import within 5x of the one-institution import.

The pages of one phase are timed in turn, round after round, with a bare view among them;
a phase's times are compared to the other's after dividing each by its own phase's bare view
(`*_ratio`), so that a slower stretch of the shared machine does not pass for a cost of the
data. The unnormalised ratios are kept too (`*_raw_ratio`). Query counts are recorded for
each page (tests/test_scale_queries.py pins that they do not grow with the provinces).
"""

import os
import time
from collections.abc import Callable
from typing import Any

from .harness import interleaved
from .scenarios import MatrixScenario, matrix_scenario

PROVINCES = int(os.environ.get("MGI_BENCH_SCALE_PROVINCES", "38"))
PAGE_TARGET = 2.0
IMPORT_TARGET = 5.0
YEAR = 2025


def _query_count(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def _get(client: Any, url: str, **headers: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response

    return call


def _clients() -> dict[str, Any]:
    from django.test import Client

    from ministries.models import User
    from ministries.tokens import token_create

    coordinator = User.objects.get(username="coordinator")
    facilitator = User.objects.get(username="facilitator")
    page_coordinator, page_facilitator = Client(), Client()
    page_coordinator.force_login(coordinator)
    page_facilitator.force_login(facilitator)
    _, token = token_create(user=coordinator)
    return {
        "coordinator": page_coordinator,
        "facilitator": page_facilitator,
        "api": Client(),
        "auth": f"Token {token}",
        "coordinator_user": coordinator,
    }


def _pages(clients: dict[str, Any], ids: dict[str, int]) -> dict[str, Callable[[], Any]]:
    """The pages of one phase: `ids` names the assessments ("same", and "largest")."""
    coordinator, facilitator = clients["coordinator"], clients["facilitator"]
    api, auth = clients["api"], clients["auth"]
    pages = {"bare": _get(coordinator, "/__bench__/bare/")}
    for variant, national in (("same", ids["national"]), ("largest", ids.get("largest"))):
        if national is None:
            continue
        review = ids["review"] if variant == "same" else national
        pages[f"dashboard_{variant}"] = _get(coordinator, f"/assessments/{national}/dashboard/")
        pages[f"review_queue_{variant}"] = _get(
            facilitator, f"/review/?assessment={review}&review_state=all"
        )
        pages[f"api_responses_{variant}"] = _get(
            api, f"/api/v1/assessments/{national}/responses/", Authorization=auth
        )
    pages["api_assessments_same"] = _get(api, "/api/v1/assessments/", Authorization=auth)
    return pages


def _phase(clients: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    from django.test import override_settings

    with override_settings(ROOT_URLCONF="bench.urls"):
        pages = _pages(clients, ids)
        times = interleaved(pages, rounds=15, warmup=2)
        queries = {name: _query_count(fn) for name, fn in pages.items() if name != "bare"}
    return {"times": times, "queries": queries}


def _imports(scenario: MatrixScenario) -> dict[str, Any]:
    """Each workbook imported (applied) into the empty matrix, rolled back each time."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client

    client = Client()
    client.force_login(scenario.coordinator)
    url = scenario.url

    def post(content: bytes) -> Callable[[], None]:
        def call() -> None:
            with transaction.atomic():
                upload = SimpleUploadedFile("matrix.xlsx", content)
                response = client.post(url, {"file": upload})
                assert response.status_code == 200, response.content[:500]
                transaction.set_rollback(True)

        return call

    big, small = post(scenario.whole), post(scenario.one_institution)
    # 11 rounds: with 5, one slow stretch of the shared machine could move the median.
    times = interleaved({"big": big, "small": small}, rounds=11, warmup=1)
    return {
        "import_2000_s": round(times["big"], 3),
        "import_one_s": round(times["small"], 3),
        "import_ratio": round(times["big"] / times["small"], 2),
        "import_queries": _query_count(big),
    }


def _compare(demo: dict[str, Any], scale: dict[str, Any]) -> dict[str, Any]:
    """Each page's scale-data time against its demo-data time (the "same" URL's)."""
    result: dict[str, Any] = {}
    met = True
    bare_demo, bare_scale = demo["times"]["bare"], scale["times"]["bare"]
    for name, seconds in scale["times"].items():
        if name == "bare":
            continue
        base = name.rsplit("_", 1)[0] + "_same"
        before = demo["times"][base]
        ratio = (seconds / bare_scale) / (before / bare_demo)
        result[name] = {
            "demo_s": round(before, 4),
            "scale_s": round(seconds, 4),
            "ratio": round(ratio, 2),
            "raw_ratio": round(seconds / before, 2),
            "queries_demo": demo["queries"][base],
            "queries_scale": scale["queries"][name],
            "within_target": ratio <= PAGE_TARGET,
        }
        met = met and ratio <= PAGE_TARGET
    result["pages_within_target"] = met
    return result


def run() -> dict[str, Any]:
    from django.db.models import Count

    from assessments.demo.scale import scale_generate
    from assessments.models import Assessment

    clients = _clients()
    national = Assessment.objects.get(scope=Assessment.Scope.NATIONAL, year=2023, round=1)
    central_java = Assessment.objects.get(province__code="33", year=2023, round=1)
    ids = {"national": national.pk, "review": central_java.pk}
    scenario = matrix_scenario(
        coordinator=clients["coordinator_user"],
        year=2097,
        title_en="Benchmark scale import",
        title_id="Impor skala tolok ukur",
    )
    demo = _phase(clients, ids)
    imports_demo = _imports(scenario)

    start = time.perf_counter()
    generated = scale_generate(provinces=PROVINCES, year=YEAR)
    generate_s = time.perf_counter() - start
    largest = (
        Assessment.objects.filter(pk__in=[a.pk for a in generated.assessments])
        .annotate(n=Count("responses"))
        .order_by("-n", "pk")
        .values_list("pk", "n")
        .first()
    )
    assert largest is not None
    scale = _phase(clients, {**ids, "largest": largest[0]})
    imports_scale = _imports(scenario)

    pages = _compare(demo, scale)
    import_met = imports_scale["import_ratio"] <= IMPORT_TARGET
    return {
        "name": f"dashboard, review queue, API lists, matrix import: demo vs {PROVINCES} provinces",
        "provinces": PROVINCES,
        "assessments": len(generated.assessments),
        "responses": generated.responses,
        "largest_assessment_responses": largest[1],
        "generate_s": round(generate_s, 1),
        "bare_view_s": {
            "demo": round(demo["times"]["bare"], 5),
            "scale": round(scale["times"]["bare"], 5),
        },
        "pages": pages,
        "page_target_ratio": PAGE_TARGET,
        "import_demo": imports_demo,
        "import_scale": imports_scale,
        "import_target_ratio": IMPORT_TARGET,
        "import_within_target": import_met,
        "within_target": pages["pages_within_target"] and import_met,
    }
