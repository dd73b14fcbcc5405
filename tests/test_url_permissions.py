"""Every URL of the portal, for every persona, with the status each must get.

`test_every_url_is_in_the_table` fails when a URL is added without a row here, so no
page escapes the permission walk.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

ALL = [
    "anonymous",
    "coordinator",
    "provincial_coordinator",
    "facilitator",
    "focal_a",
    "focal_b",
    "administrator",
]
LOGGED_IN = [p for p in ALL if p != "anonymous"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


def staff_only() -> dict[str, int]:
    return {**dict.fromkeys(ALL, 302), "administrator": 200}


# url name -> (GET path, expected status per persona)
TABLE: dict[str, tuple[str, dict[str, int]]] = {
    "home": ("/", everyone(200)),
    "login": ("/accounts/login/", {**dict.fromkeys(LOGGED_IN, 302), "anonymous": 200}),
    "logout": ("/accounts/logout/", everyone(405)),  # POST only
    "password_reset": ("/accounts/password-reset/", everyone(200)),
    "password_reset_done": ("/accounts/password-reset/sent/", everyone(200)),
    "password_reset_confirm": ("/accounts/reset/MQ/bad-token/", everyone(200)),
    "password_reset_complete": ("/accounts/reset/done/", everyone(200)),
    "language_switch": ("/language/", everyone(405)),  # POST only
    "set_language": ("/i18n/setlang/", everyone(302)),
    "framework_list": ("/framework/", everyone(200)),
    "framework_detail": ("/framework/mgi-national-2023/", everyone(200)),
    "gcm_objective_detail": ("/framework/mgi-national-2023/gcm/1/", everyone(200)),
    "indicator_detail": ("/framework/mgi-national-2023/2.3.2/", everyone(200)),
    "api-schema": ("/api/schema/", everyone(200)),
    "api-docs": ("/api/docs/", everyone(200)),
    "api-token": ("/api/v1/auth/token/", everyone(405)),  # POST only
    "api-root": ("/api/v1/", everyone(200)),
    "framework-list": ("/api/v1/frameworks/", everyone(200)),
    "framework-detail": ("/api/v1/frameworks/mgi-local-2023/", everyone(200)),
    "indicator-list": ("/api/v1/indicators/?framework=mgi-local-2023", everyone(200)),
    "indicator-detail": ("/api/v1/indicators/{indicator_pk}/", everyone(200)),
    "gcm-objective-list": ("/api/v1/gcm-objectives/", everyone(200)),
    "gcm-objective-detail": ("/api/v1/gcm-objectives/23/", everyone(200)),
    "sdg-subcategory-list": ("/api/v1/sdg-subcategories/", everyone(200)),
    "sdg-subcategory-detail": ("/api/v1/sdg-subcategories/1a/", everyone(200)),
    "institution-list": ("/api/v1/institutions/", everyone(200)),
    "institution-detail": ("/api/v1/institutions/KEMNAKER/", everyone(200)),
    "province-list": ("/api/v1/provinces/", everyone(200)),
    "province-detail": ("/api/v1/provinces/33/", everyone(200)),
    "admin:index": ("/admin/", staff_only()),
    "admin:indicators_frameworkversion_import_workbook": (
        "/admin/indicators/frameworkversion/import-workbook/",
        staff_only(),
    ),
}


# Rows of the assessment pages live beside their features and are merged here.
from .url_table_assessments import ROWS as ASSESSMENT_ROWS  # noqa: E402
from .url_table_consolidation import ROWS as CONSOLIDATION_ROWS  # noqa: E402
from .url_table_dashboard import ROWS as DASHBOARD_ROWS  # noqa: E402
from .url_table_reports_public import ROWS as REPORTS_PUBLIC_ROWS  # noqa: E402
from .url_table_reports_staff import ROWS as REPORTS_STAFF_ROWS  # noqa: E402
from .url_table_review import ROWS as REVIEW_ROWS  # noqa: E402
from .url_table_setup import ROWS as SETUP_ROWS  # noqa: E402
from .url_table_validation import ROWS as VALIDATION_ROWS  # noqa: E402
from .url_table_workbook import ROWS as WORKBOOK_ROWS  # noqa: E402

TABLE.update(ASSESSMENT_ROWS)
TABLE.update(SETUP_ROWS)
TABLE.update(REVIEW_ROWS)
TABLE.update(CONSOLIDATION_ROWS)
TABLE.update(VALIDATION_ROWS)
TABLE.update(DASHBOARD_ROWS)
TABLE.update(REPORTS_STAFF_ROWS)
TABLE.update(REPORTS_PUBLIC_ROWS)
TABLE.update(WORKBOOK_ROWS)


def url_names(patterns, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            if p.namespace == "admin":
                continue  # Django's own admin: covered by the staff-only rows above
            names |= url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name and "format" not in str(p.pattern):
            names.add(prefix + p.name)  # DRF's ".json" suffix twins are skipped
    return names


def test_every_url_is_in_the_table():
    names = url_names(get_resolver().url_patterns)
    missing = names - set(TABLE)
    assert not missing, f"add these URLs to the permission table: {sorted(missing)}"


def fill(path: str, request) -> str:
    """Format a path, creating only the fixtures its placeholders name."""
    import string

    from indicators.models import Indicator

    names = {f for _, f, _, _ in string.Formatter().parse(path) if f}
    values: dict[str, object] = {"kemnaker": "KEMNAKER", "bp2mi": "BP2MI"}
    if "indicator_pk" in names:
        values["indicator_pk"] = (
            Indicator.objects.filter(framework__code="mgi-local-2023").first().pk
        )
    for name in names - set(values):
        fixture = request.getfixturevalue(name)
        values[name] = getattr(fixture, "pk", fixture)
    return path.format(**values)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_url_status_for_every_persona(name, request):
    """One URL, every persona: the fixtures behind the URL are built once and every
    persona asks for the same objects (GET requests change nothing)."""
    from django.test import Client

    from .conftest import PERSONAS

    path, expected = TABLE[name]
    path = fill(path, request)
    got = {}
    for who in PERSONAS:
        client = Client()
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        got[who] = client.get(path).status_code
    wrong = {who: (got[who], expected[who]) for who in PERSONAS if got[who] != expected[who]}
    assert not wrong, f"GET {path}: persona: (got, expected) {wrong}"
