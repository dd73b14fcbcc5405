"""The import scenarios the benchmarks share: a fresh national round, the coordinator's
survey-matrix workbook, and the round with its participants that such a workbook fills.

`bench_matrix` (the 1,960-row import and the grid page) and `bench_scale` (the same import
against one institution's, on the demo data and on 38 provinces) import the same workbook
into the same kind of round; `bench_import` (a focal point's answers workbook) starts from
the same fresh national round.
"""

import io
from dataclasses import dataclass
from typing import Any

FRAMEWORK = "mgi-national-2023"
MATRIX_INSTITUTIONS = 20  # 98 indicators x 20 institutions = 1,960 rows


def national_round(*, actor: Any, year: int, title_en: str, title_id: str) -> Any:
    """A new national round of the 2023 framework in `year` (the next free round number),
    in preparation and with an empty matrix."""
    from assessments.models import Assessment
    from assessments.setup import services as setup_services
    from indicators.models import FrameworkVersion

    framework = FrameworkVersion.objects.get(code=FRAMEWORK)
    rounds = Assessment.objects.filter(scope=Assessment.Scope.NATIONAL, year=year)
    return setup_services.assessment_create(
        actor=actor,
        framework=framework,
        year=year,
        round=1 + max((a.round for a in rounds), default=0),
        title_en=title_en,
        title_id=title_id,
    )


def matrix_workbook(codes: list[str], acronyms: list[str]) -> bytes:
    """The coordinator's workbook: every indicator x every institution, the lead rotating."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Assignments"
    ws.append(["code", "question", "institution", "role"])
    for n, code in enumerate(codes):
        lead = acronyms[n % len(acronyms)]
        for acronym in acronyms:
            role = "lead" if acronym == lead else "contributor"
            ws.append([code, f"Question {code}", acronym, role])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass
class MatrixScenario:
    """An empty national round with MATRIX_INSTITUTIONS participants, and two workbooks."""

    assessment: Any
    coordinator: Any
    rows: int  # of the whole workbook
    whole: bytes  # every indicator x every participant
    one_institution: bytes  # every indicator x the first participant

    @property
    def url(self) -> str:
        return f"/api/v1/assessments/{self.assessment.pk}/survey-matrix/import/"


def matrix_scenario(*, coordinator: Any, year: int, title_en: str, title_id: str) -> MatrixScenario:
    """A national round with the first MATRIX_INSTITUTIONS national institutions (by acronym)
    as participants and an empty matrix; the workbooks that would fill it."""
    from assessments.setup import services as setup_services
    from ministries.models import Institution

    assessment = national_round(actor=coordinator, year=year, title_en=title_en, title_id=title_id)
    chosen = list(Institution.objects.filter(level="national").order_by("acronym"))
    chosen = chosen[:MATRIX_INSTITUTIONS]
    setup_services.assessment_set_participants(
        assessment=assessment, actor=coordinator, institutions=chosen
    )
    codes = list(assessment.framework.indicators.order_by("order").values_list("code", flat=True))
    acronyms = [i.acronym for i in chosen]
    return MatrixScenario(
        assessment=assessment,
        coordinator=coordinator,
        rows=len(codes) * len(acronyms),
        whole=matrix_workbook(codes, acronyms),
        one_institution=matrix_workbook(codes, acronyms[:1]),
    )
