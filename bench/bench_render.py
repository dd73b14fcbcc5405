"""Rendering the demo national profile to PDF: the whole task path against WeasyPrint alone.

The profile is built from the demo data with the services a coordinator and facilitator use:
the national 2023 demo assessment (98 indicators, open for data collection after
seed_demo) gets a fictional answer per indicator from its lead institution, with citations
and a consolidated bilingual narrative; it is validated, approved (snapshot no. 1) and its
profile drafted. All of it happens in a transaction rolled back at the end, so the other
benchmarks see the demo data as seed_demo left it.

Measured, in the same run and on the same HTML:
- task: `reports.services.profile_render` on a fresh ProfileRender (content from the
  snapshot, template, WeasyPrint layout and PDF, checksum, file, status rows);
- WeasyPrint alone: `reports.pdf.render_document(html).write_pdf()`.
The ratio task / WeasyPrint is what the portal adds (target: under 20%); on a busy machine
the noise of two 6-second runs is larger than that share, so the HTML build (the portal's
own work before WeasyPrint) is also timed alone and reported as a share of WeasyPrint's
time, and the ratio of the fastest runs is given beside the ratio of medians. Memory: the
Python heap peak of one task (tracemalloc, which does not see Pango's and cairo's C
allocations), the growth of the process's high-water mark (getrusage maxrss, which stays
flat when an earlier step such as seed_demo set a higher mark) and the resident memory
sampled every 5 ms during the task, which sees everything; the 300 MiB target is checked
against that sampled peak of the whole process (Django, the demo data and the render).
The machine may be shared: the 1-minute load average is reported with the figures.
"""

import datetime
import gc
import logging
import os
import resource
import statistics
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_OVERHEAD = 0.20
TARGET_PAGES = 40
TARGET_SECONDS = 8.0
TARGET_MIB = 300.0
REPEAT = 5

NARRATIVES = {
    "yes": (
        "Demonstration: the measure is in place nationally. It is set out in law and its "
        "implementing regulations, a ministry or agency is responsible for it, and it applies "
        "to migrants whatever their status. The institutions consulted pointed to the "
        "legislation cited and to the procedures of the responsible agency.",
        "Demonstrasi: langkah ini sudah berlaku secara nasional. Langkah ini diatur dalam "
        "undang-undang dan peraturan pelaksanaannya, ada kementerian atau lembaga yang "
        "bertanggung jawab, dan berlaku bagi migran apa pun statusnya. Lembaga yang dimintai "
        "keterangan merujuk pada peraturan yang dikutip dan prosedur lembaga yang berwenang.",
    ),
    "partial": (
        "Demonstration: the measure exists in part. It is provided for some groups of "
        "migrants or in some regions only, or it is planned in a national strategy but its "
        "implementing regulation has not been adopted yet.",
        "Demonstrasi: langkah ini baru ada sebagian. Langkah ini hanya tersedia untuk "
        "sebagian kelompok migran atau di sebagian daerah, atau sudah direncanakan dalam "
        "strategi nasional tetapi peraturan pelaksanaannya belum ditetapkan.",
    ),
    "no": (
        "Demonstration: no national measure was found for this indicator; the institutions "
        "consulted identified it as an area with potential for further development.",
        "Demonstrasi: tidak ditemukan langkah nasional untuk indikator ini; lembaga yang "
        "dimintai keterangan menyebutnya sebagai area yang berpotensi dikembangkan lebih lanjut.",
    ),
}

CITATIONS = [
    {
        "instrument_type": "law",
        "number": "18",
        "year": 2017,
        "title": "Protection of Indonesian Migrant Workers",
    },
    {
        "instrument_type": "law",
        "number": "6",
        "year": 2011,
        "title": "Immigration",
    },
    {
        "instrument_type": "government_regulation",
        "number": "59",
        "year": 2021,
        "title": "Implementation of the Protection of Indonesian Migrant Workers",
    },
]


def _answer(code: str) -> str:
    """A fixed, fictional answer per indicator (the same on every run)."""
    weight = sum(int(part) * (i + 3) for i, part in enumerate(code.split("."))) % 7
    return "yes" if weight in (0, 1, 2, 3) else "partial" if weight in (4, 5) else "no"


def build_national_profile() -> Any:
    """The demo national assessment taken to a drafted profile, through the services."""
    from assessments.collection import services as collection_services
    from assessments.consolidation import services as consolidation_services
    from assessments.models import Assessment, Assignment, Response
    from assessments.setup import services as setup_services
    from assessments.validation import services as validation_services
    from ministries.models import Institution, User
    from reports import demo_publication
    from reports import services as report_services

    assessment = Assessment.objects.get(scope=Assessment.Scope.NATIONAL, year=2023, round=1)
    coordinator = User.objects.get(username="coordinator")
    facilitator = User.objects.get(username="facilitator")
    if assessment.status != Assessment.Status.DATA_COLLECTION:
        raise RuntimeError(f"the demo national assessment is {assessment.status}")

    leads = {
        a.indicator_id: a.institution_id
        for a in Assignment.objects.filter(assessment=assessment, role=Assignment.Role.LEAD)
    }
    institutions = Institution.objects.in_bulk(set(leads.values()))
    focal: dict[int, User] = {}
    citations: dict[int, list[Any]] = {}
    for pk, institution in institutions.items():
        focal[pk], _ = User.objects.get_or_create(
            username=f"bench-render-{institution.acronym.lower()}",
            defaults={"role": User.Role.FOCAL_POINT, "institution": institution},
        )
        citations[pk] = [
            collection_services.evidence_create(
                assessment=assessment,
                institution=institution,
                actor=focal[pk],
                kind="citation",
                **c,  # type: ignore[arg-type]
            )
            for c in CITATIONS
        ]
    lead_responses = Response.objects.filter(assessment=assessment).select_related(
        "indicator", "assessment"
    )
    answered: dict[int, Response] = {}
    for response in lead_responses:
        if leads.get(response.indicator_id) != response.institution_id:
            continue
        answer = _answer(response.indicator.code)
        answered[response.indicator_id] = collection_services.response_update(
            response=response,
            actor=focal[response.institution_id],
            version=response.version,
            answer=answer,
            coverage="all" if response.indicator.has_coverage and answer != "no" else "",
            justification=NARRATIVES[answer][1],
            evidence=citations[response.institution_id][:2] if answer != "no" else [],
        )
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.CROSS_CHECK
    )
    for indicator in assessment.framework.indicators.all():
        lead = answered[indicator.pk]
        en, id_ = NARRATIVES[lead.answer]
        consolidation_services.consolidated_save(
            assessment=assessment,
            indicator=indicator,
            actor=facilitator,
            answer=lead.answer,
            coverage=lead.coverage,
            narrative_en=en,
            narrative_id=id_,
            evidence=list(lead.evidence.all()),
            sources=[lead],
        )
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.VALIDATION
    )
    validation_services.validation_session_save(
        assessment=assessment,
        actor=coordinator,
        held_on=datetime.date(2023, 7, 11),
        format="hybrid",
        place="Jakarta",
        participant_count=94,
        institutions=list(institutions.values()),
    )
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.APPROVED
    )
    profile = report_services.profile_create(assessment=assessment, actor=coordinator)
    demo_publication.seed_publication(profile, coordinator)  # the context figures
    return profile


def rss_mib() -> float:
    """Resident memory of this process now, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class RSSSampler:
    """The highest resident memory seen while the block runs, sampled every 5 ms."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mib())
            time.sleep(0.005)

    def __enter__(self) -> "RSSSampler":
        self.peak = rss_mib()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mib())


def timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run() -> dict[str, Any]:
    from django.db import transaction

    from reports import services
    from reports.models import ProfileRender
    from reports.pdf import render_document

    files: list[Any] = []

    def task(profile: Any, language: str) -> ProfileRender:
        # A fresh render row each time: the service returns early for one already done.
        ProfileRender.objects.filter(profile=profile, language=language).delete()
        fresh = ProfileRender.objects.create(
            profile=profile, language=language, requested_by=profile.created_by
        )
        render = services.profile_render(render_id=fresh.pk)
        files.append(render.file)
        return render

    # The eager tasks log every email the workflow sends; keep the benchmark's output readable.
    trace_log = logging.getLogger("celery.app.trace")
    trace_level = trace_log.level
    trace_log.setLevel(logging.WARNING)
    with transaction.atomic():
        try:
            profile = build_national_profile()
            html = services.profile_html(profile, "en")

            # Memory first, on the first (cold) rendering: what one render adds to a worker
            # that has not rendered yet, one-time loads (fonts, templates) included. Without
            # tracemalloc, whose own bookkeeping would inflate the resident size.
            gc.collect()
            maxrss_before = maxrss_mib()
            rss_before = rss_mib()
            with RSSSampler() as sampler:
                render = task(profile, "en")
            maxrss_after = maxrss_mib()
            gc.collect()
            tracemalloc.start()
            task(profile, "en")
            _, heap_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()

            # Warm WeasyPrint alone too, then time both paths in turn on the same HTML.
            render_document(html).write_pdf()
            task_s: list[float] = []
            weasy_s: list[float] = []
            for _ in range(REPEAT):
                task_s.append(timed(lambda: task(profile, "en")))
                weasy_s.append(timed(lambda: render_document(html).write_pdf()))
            # The portal's own share of the task, timed on its own: content from the
            # snapshot and the print template, to an HTML string.
            html_s = [timed(lambda: services.profile_html(profile, "en")) for _ in range(REPEAT)]
            pages_id = task(profile, "id").pages
        finally:
            for f in files:
                f.delete(save=False)
            transaction.set_rollback(True)
            trace_log.setLevel(trace_level)

    task_median = statistics.median(task_s)
    weasy_median = statistics.median(weasy_s)
    ratio = task_median / weasy_median
    pages = render.pages or 0
    per_40 = task_median / pages * TARGET_PAGES if pages else None
    return {
        "name": "national demo profile (98 indicators) to PDF, task vs WeasyPrint alone",
        "load_average_1min": round(os.getloadavg()[0], 2),
        "pages": pages,
        "pages_id": pages_id,
        "html_kib": round(len(html.encode()) / 1024, 1),
        "task_s": round(task_median, 3),
        "weasyprint_s": round(weasy_median, 3),
        "task_runs_s": [round(s, 3) for s in task_s],
        "weasyprint_runs_s": [round(s, 3) for s in weasy_s],
        "ratio": round(ratio, 3),
        "ratio_of_fastest_runs": round(min(task_s) / min(weasy_s), 3),
        "html_build_s": round(statistics.median(html_s), 3),
        "html_build_share_of_weasyprint_pct": round(
            statistics.median(html_s) / weasy_median * 100, 1
        ),
        "overhead_pct": round((ratio - 1) * 100, 1),
        "target_overhead_pct": TARGET_OVERHEAD * 100,
        "within_overhead_target": ratio - 1 <= TARGET_OVERHEAD,
        "seconds_per_page": round(task_median / pages, 3) if pages else None,
        "projected_40_pages_s": round(per_40, 2) if per_40 else None,
        "within_time_target": per_40 is not None and per_40 <= TARGET_SECONDS,
        "python_heap_peak_mib": round(heap_peak / (1024 * 1024), 1),
        "maxrss_delta_mib": round(maxrss_after - maxrss_before, 1),
        "maxrss_mib": round(maxrss_after, 1),
        "rss_before_mib": round(rss_before, 1),
        "rss_peak_mib": round(sampler.peak, 1),
        "rss_growth_mib": round(sampler.peak - rss_before, 1),
        "within_memory_target": sampler.peak <= TARGET_MIB,
        "targets": {
            "overhead_pct": TARGET_OVERHEAD * 100,
            "pages": TARGET_PAGES,
            "seconds": TARGET_SECONDS,
            "mib": TARGET_MIB,
        },
    }
