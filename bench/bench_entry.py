"""The focal point's entry page for an institution answering all 98 national indicators."""

from typing import Any

from .harness import interleaved, peak_memory

TARGET_RATIO = 35.0


def run() -> dict[str, Any]:
    from django.test import Client, override_settings

    from assessments.collection import services as collection_services
    from assessments.models import Assessment
    from assessments.setup import services as setup_services
    from ministries.models import Institution, User

    assessment = Assessment.objects.get(scope=Assessment.Scope.NATIONAL, year=2023)
    institution = Institution.objects.get(acronym="KEMENKEU")
    user, _ = User.objects.get_or_create(
        username="bench-focal", defaults={"role": User.Role.FOCAL_POINT, "institution": institution}
    )
    coordinator = User.objects.get(username="coordinator")
    # Every indicator for this institution (as contributor), each with evidence and history.
    cells = {(i.pk, institution.pk): "contributor" for i in assessment.framework.indicators.all()}
    setup_services.matrix_apply(assessment=assessment, actor=coordinator, cells=cells)
    for response in assessment.responses.filter(institution=institution):
        item = collection_services.evidence_create(
            assessment=assessment,
            institution=institution,
            actor=user,
            kind="citation",
            instrument_type="law",
            number="18",
            year=2017,
            title=f"Source for {response.pk}",
        )
        response = collection_services.response_add_evidence(
            response=response, actor=user, version=response.version, evidence=item
        )
        collection_services.response_update(
            response=response,
            actor=user,
            version=response.version,
            answer="partial",
            justification="Benchmark justification text " * 5,
        )
    client = Client()
    client.force_login(user)
    url = f"/assessments/{assessment.pk}/entry/"
    with override_settings(ROOT_URLCONF="bench.urls"):
        times = interleaved(
            {"bare": lambda: client.get("/__bench__/bare/"), "page": lambda: client.get(url)}
        )
        memory = peak_memory(lambda: client.get(url))
    bare, page = times["bare"], times["page"]
    ratio = page / bare
    return {
        "name": "entry page, 98 indicators with evidence and history",
        "bare_view_s": round(bare, 5),
        "page_s": round(page, 4),
        "ratio": round(ratio, 1),
        "target_ratio": TARGET_RATIO,
        "within_target": ratio <= TARGET_RATIO,
        "peak_mib": round(memory, 1),
    }
