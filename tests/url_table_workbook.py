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


# --- the mutating walk (tests/url_walk.py): (url name, method) -> Mutation -----------------

from .url_walk import Mutation, Upload  # noqa: E402

API_ANONYMOUS = 401
# Only focal points import, for their own institution: the others who see the assessment
# are members without the right (403); the provincial coordinator does not see it (404).
IMPORTERS = statuses(default=403, anonymous=LOGIN, provincial_coordinator=404)
KEMNAKER_WORKBOOK = Upload("kemnaker_workbook", "kemnaker.xlsx")

MUTATIONS: dict[tuple[str, str], Mutation] = {
    ("workbook_import", "POST"): Mutation(
        "/assessments/{national_assessment}/workbook/import/",
        # Kemnaker's workbook, unchanged: checked and kept for its preview (302 there). A
        # readable workbook is kept even when refused: BP2MI's focal point uploading
        # Kemnaker's is sent to the preview too, which lists the errors.
        {**IMPORTERS, "focal_a": 302, "focal_b": 302},
        {"file": KEMNAKER_WORKBOOK},
    ),
    ("workbook_import_apply", "POST"): Mutation(
        # focal_a's own upload (tests/url_walk.py): nobody else's exists for them.
        "/assessments/{national_assessment}/workbook/import/{workbook_upload}/apply/",
        {**IMPORTERS, "focal_a": 302, "focal_b": 404},
    ),
    ("api-assessment-matrix-import", "POST"): Mutation(
        "/api/v1/assessments/{national_assessment}/matrix/import/",
        {**IMPORTERS, "anonymous": API_ANONYMOUS, "focal_a": 200, "focal_b": 400},
        {"file": KEMNAKER_WORKBOOK, "dry_run": "true"},
        json=False,
    ),
}
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "workbook_export": (),
    "workbook_import": ("POST",),  # GET the form, POST the upload
    "workbook_import_preview": (),
    "workbook_import_apply": ("POST",),
}
