"""Permission-walk rows for the Excel round trip: url name -> (path template, status per persona).

Path placeholders name fixtures of tests/conftest.py ({national_assessment}); {kemnaker}
and {bp2mi} are acronyms. The preview and apply rows use an upload id that does not exist:
an upload is only ever visible to the user who made it (tested with a real upload in
tests/assessments/test_workbook_import.py).
"""

ALL = [
    "anonymous",
    "coordinator",
    "provincial_coordinator",
    "facilitator",
    "focal_a",
    "focal_b",
    "administrator",
]
LOGIN = 302  # anonymous visitors are sent to the login page
NO_UPLOAD = 999999


def statuses(**by_persona: int) -> dict[str, int]:
    default = by_persona.pop("default")
    return {p: by_persona.get(p, default) for p in ALL}


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "workbook_export": (
        "/assessments/{national_assessment}/workbook.xlsx?institution={kemnaker}",
        # The provincial coordinator cannot see the national assessment; BP2MI's focal
        # point never sees Kemnaker's workbook.
        statuses(default=200, anonymous=LOGIN, provincial_coordinator=404, focal_b=404),
    ),
    "workbook_import": (
        # Each focal point imports for their own institution; others who see the
        # assessment are members without the right (403).
        "/assessments/{national_assessment}/workbook/import/",
        statuses(
            default=403, anonymous=LOGIN, provincial_coordinator=404, focal_a=200, focal_b=200
        ),
    ),
    "workbook_import_preview": (
        f"/assessments/{{national_assessment}}/workbook/import/{NO_UPLOAD}/",
        statuses(
            default=403, anonymous=LOGIN, provincial_coordinator=404, focal_a=404, focal_b=404
        ),
    ),
    "workbook_import_apply": (
        f"/assessments/{{national_assessment}}/workbook/import/{NO_UPLOAD}/apply/",
        statuses(default=405, anonymous=LOGIN),  # POST only
    ),
    "api-assessment-matrix-export": (
        "/api/v1/assessments/{national_assessment}/matrix.xlsx?institution={kemnaker}",
        statuses(default=200, anonymous=401, provincial_coordinator=404, focal_b=404),
    ),
    "api-assessment-matrix-import": (
        "/api/v1/assessments/{national_assessment}/matrix/import/",
        statuses(default=405, anonymous=401),  # POST only
    ),
}
