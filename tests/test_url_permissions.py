"""Every URL of the portal, for every persona, with the status each must get.

`test_every_url_is_in_the_table` fails when a URL is added without a row here, so no
page escapes the permission walk. The GET walk asks every URL; the mutating walk (below
the GET walk) sends every POST, PUT, PATCH and DELETE route, each (url, method, persona)
its own rolled-back test, and `test_every_mutating_url_is_in_the_table` fails when a URL
accepts a mutating method without a row for it (see tests/url_walk.py).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from .url_walk import (
    MUTATING,
    PERSONAS,
    WORLD_NAMES,
    Mutation,
    cases,
    check,
    class_view_methods,
    decorator_methods,
    url_views,
    world_fixture,
)

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
    "language_link": ("/language/id/?next=/framework/", everyone(302)),  # only the cookie
    "set_language": ("/i18n/setlang/", everyone(302)),
    "framework_list": ("/framework/", everyone(200)),
    "framework_detail": ("/framework/mgi-national-2023/", everyone(200)),
    "gcm_objective_detail": ("/framework/mgi-national-2023/gcm/1/", everyone(200)),
    "indicator_detail": ("/framework/mgi-national-2023/2.3.2/", everyone(200)),
    "api-schema": ("/api/schema/", everyone(200)),
    "api-docs": ("/api/docs/", everyone(200)),
    "api-token": ("/api/v1/auth/token/", everyone(405)),  # POST only
    # Sign-in security (tests/ministries/test_two_step.py, test_sessions_and_tokens.py).
    "password_change": ("/accounts/password/", {**dict.fromkeys(LOGGED_IN, 200), "anonymous": 302}),
    "two_step_setup": ("/accounts/two-step/", {**dict.fromkeys(LOGGED_IN, 200), "anonymous": 302}),
    "two_step_verify": ("/accounts/two-step/verify/", everyone(302)),  # no code step due: on
    "two_step_recovery_codes": ("/accounts/two-step/recovery-codes/", everyone(405)),
    "two_step_disable": ("/accounts/two-step/off/", everyone(405)),
    "logout_everywhere": ("/accounts/logout-everywhere/", everyone(405)),
    "api_token_revoke": ("/accounts/tokens/abc/revoke/", everyone(405)),
    "session_keepalive": ("/accounts/session/keepalive/", everyone(405)),
    "api-token-list": ("/api/v1/auth/tokens/", {**dict.fromkeys(LOGGED_IN, 200), "anonymous": 401}),
    "api-token-detail": (
        "/api/v1/auth/tokens/abc/",
        {**dict.fromkeys(LOGGED_IN, 405), "anonymous": 401},  # DELETE only
    ),
    # Token sign-out takes the token only: a session is no way to it.
    "api-logout": ("/api/v1/auth/logout/", everyone(401)),
    "api-logout-all": ("/api/v1/auth/logout-all/", everyone(401)),
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


# Rows of the assessment pages live beside their features and are merged here (their
# mutating rows and function views below).
from . import (  # noqa: E402
    url_table_actionplan,
    url_table_assessments,
    url_table_audit,
    url_table_citations,
    url_table_consolidation,
    url_table_dashboard,
    url_table_files,
    url_table_reports_public,
    url_table_reports_staff,
    url_table_review,
    url_table_round_archive,
    url_table_setup,
    url_table_validation,
    url_table_workbook,
)

TABLES = (
    url_table_assessments,
    url_table_setup,
    url_table_review,
    url_table_consolidation,
    url_table_validation,
    url_table_dashboard,
    url_table_reports_staff,
    url_table_reports_public,
    url_table_round_archive,
    url_table_workbook,
    url_table_files,
    url_table_audit,
    url_table_citations,
    url_table_actionplan,
)
for _table in TABLES:
    TABLE.update(_table.ROWS)


# --- the mutating walk: (url name, method) -> Mutation (tests/url_walk.py) -----------------

LOGIN_FORM = {"username": "t-focal-kemnaker", "password": "pw"}  # tests/factories.py's password

MUTATIONS: dict[tuple[str, str], Mutation] = {
    # Signing in works for anonymous visitors; signed-in users are sent on (302) first.
    ("login", "POST"): Mutation("/accounts/login/", everyone(302), LOGIN_FORM, to_login=False),
    # Django's form views take PUT as POST, but read no PUT body: an empty, invalid form.
    ("login", "PUT"): Mutation(
        "/accounts/login/", {**dict.fromkeys(LOGGED_IN, 302), "anonymous": 200}, LOGIN_FORM
    ),
    ("logout", "POST"): Mutation("/accounts/logout/", everyone(302), to_login=False),
    ("password_reset", "POST"): Mutation(
        "/accounts/password-reset/",
        everyone(302),  # to "sent", whether or not the address is known
        {"email": "nobody@example.org"},
        to_login=False,
    ),
    ("password_reset", "PUT"): Mutation(
        "/accounts/password-reset/", everyone(200), {"email": "nobody@example.org"}
    ),
    # A bad token is refused before the form: the "invalid link" page for every method.
    ("password_reset_confirm", "POST"): Mutation(
        "/accounts/reset/MQ/bad-token/",
        everyone(200),
        {"new_password1": "x-Walk-2031", "new_password2": "x-Walk-2031"},
    ),
    ("password_reset_confirm", "PUT"): Mutation("/accounts/reset/MQ/bad-token/", everyone(200)),
    ("language_switch", "POST"): Mutation(
        "/language/", everyone(302), {"language": "id", "next": "/"}, to_login=False
    ),
    ("set_language", "POST"): Mutation(
        "/i18n/setlang/", everyone(302), {"language": "id", "next": "/"}, to_login=False
    ),
    # The token view ignores sessions: everyone exchanges focal_a's password for a token.
    ("api-token", "POST"): Mutation("/api/v1/auth/token/", everyone(200), LOGIN_FORM),
    ("password_change", "POST"): Mutation(
        "/accounts/password/",
        everyone(302),
        {
            "old_password": "pw",
            "new_password1": "x-Walk-2031-long",
            "new_password2": "x-Walk-2031-long",
        },
    ),
    ("password_change", "PUT"): Mutation(
        "/accounts/password/", {**dict.fromkeys(LOGGED_IN, 200), "anonymous": 302}
    ),
    # An empty code: the form again.
    ("two_step_setup", "POST"): Mutation(
        "/accounts/two-step/", {**dict.fromkeys(LOGGED_IN, 200), "anonymous": 302}
    ),
    ("two_step_verify", "POST"): Mutation("/accounts/two-step/verify/", everyone(302)),
    # No authenticator: to its setup.
    ("two_step_recovery_codes", "POST"): Mutation(
        "/accounts/two-step/recovery-codes/", everyone(302)
    ),
    ("two_step_disable", "POST"): Mutation("/accounts/two-step/off/", everyone(302)),
    ("logout_everywhere", "POST"): Mutation("/accounts/logout-everywhere/", everyone(302)),
    ("api_token_revoke", "POST"): Mutation("/accounts/tokens/abc/revoke/", everyone(302)),
    ("session_keepalive", "POST"): Mutation(
        "/accounts/session/keepalive/", {**dict.fromkeys(LOGGED_IN, 204), "anonymous": 302}
    ),
    ("api-token-detail", "DELETE"): Mutation(
        "/api/v1/auth/tokens/abc/", {**dict.fromkeys(LOGGED_IN, 404), "anonymous": 401}
    ),
    ("api-logout", "POST"): Mutation("/api/v1/auth/logout/", everyone(401)),
    ("api-logout-all", "POST"): Mutation("/api/v1/auth/logout-all/", everyone(401)),
    # Others are sent to the admin's login page; the administrator gets the form's errors.
    ("admin:indicators_frameworkversion_import_workbook", "POST"): Mutation(
        "/admin/indicators/frameworkversion/import-workbook/", staff_only()
    ),
}
# Function views do not say which methods they accept: each declares its mutating methods
# here (empty for read-only pages). Where a require_http_methods decorator (require_POST,
# require_GET, require_safe) names them, the completeness test checks the two agree.
FUNCTION_VIEWS: dict[str, tuple[str, ...]] = {
    "home": (),
    "two_step_setup": ("POST",),
    "two_step_verify": ("POST",),
    "two_step_recovery_codes": ("POST",),
    "two_step_disable": ("POST",),
    "logout_everywhere": ("POST",),
    "api_token_revoke": ("POST",),
    "session_keepalive": ("POST",),
    "language_switch": ("POST",),
    "language_link": (),  # require_safe: a GET sets the cookie, and nothing else
    "set_language": ("POST",),  # Django's: POST sets the language, GET redirects
    "framework_list": (),
    "framework_detail": (),
    "gcm_objective_detail": (),
    "indicator_detail": (),
}
for _table in TABLES:
    MUTATIONS.update(_table.MUTATIONS)
    FUNCTION_VIEWS.update(_table.FUNCTION_VIEWS)


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


# --- the mutating walk ---------------------------------------------------------------------


def test_every_mutating_url_is_in_the_table():
    """Every method a URL accepts besides GET has a row, and every row a method it accepts.

    Class-based views say what they accept (DRF `actions`, `http_method_names` with a
    handler); function views are declared in FUNCTION_VIEWS, checked against their
    require_http_methods decorator where they have one.
    """
    views = url_views(get_resolver().url_patterns)
    problems = []
    for name, callback in sorted(views.items()):
        methods = class_view_methods(callback)
        if methods is None:
            if name not in FUNCTION_VIEWS:
                problems.append(f"{name}: declare its mutating methods in FUNCTION_VIEWS")
                continue
            methods = set(FUNCTION_VIEWS[name])
            decorated = decorator_methods(callback)
            if decorated is not None and decorated & set(MUTATING) != methods:
                problems.append(
                    f"{name}: FUNCTION_VIEWS says {sorted(methods)}, its decorator "
                    f"{sorted(decorated)}"
                )
        elif name in FUNCTION_VIEWS:
            problems.append(f"{name}: a class-based view; remove it from FUNCTION_VIEWS")
        problems += [f"{name}: no {m} row" for m in sorted(methods) if (name, m) not in MUTATIONS]
        problems += [
            f"{name}: a {m} row, but the URL does not accept {m}"
            for n, m in MUTATIONS
            if n == name and m not in methods
        ]
    problems += [
        f"{n}: in FUNCTION_VIEWS, but no such URL" for n in FUNCTION_VIEWS if n not in views
    ]
    for (name, method), mutation in MUTATIONS.items():
        path = re.sub(r"\{[^{}]*\}", "1", mutation.path.split("?")[0])
        if resolve(path).view_name != name:
            problems.append(f"{name} {method}: {mutation.path} is {resolve(path).view_name}")
        if set(mutation.expected) != set(PERSONAS) or not set(mutation.bugs) <= set(PERSONAS):
            problems.append(f"{name} {method}: give a status for each of {PERSONAS}")
        world = mutation.world_name()
        if world not in WALKED or not mutation.names() <= WORLD_NAMES[world]:
            problems.append(f"{name} {method}: no walked world has {sorted(mutation.names())}")
    assert not problems, "fix the mutating rows:\n" + "\n".join(problems)


@pytest.fixture(scope="class")
def world(request, django_db_setup, django_db_blocker):
    yield from world_fixture(request, django_db_blocker)


def walk(name: str, method: str, who: str, world) -> None:
    check(name, method, who, MUTATIONS[(name, method)], world)


class TestMutationsBase:
    """Accounts, language, the API token, the admin import and a new assessment."""

    world_name = "base"

    @pytest.mark.parametrize(("name", "method", "who"), cases(MUTATIONS, world_name))
    def test_status(self, name, method, who, world):
        walk(name, method, who, world)


class TestMutationsCollection:
    """The national assessment in data collection: answers, evidence, setup, workbooks."""

    world_name = "collection"

    @pytest.mark.parametrize(("name", "method", "who"), cases(MUTATIONS, world_name))
    def test_status(self, name, method, who, world):
        walk(name, method, who, world)


class TestMutationsCrossCheck:
    """The assessment in cross-check: review of submitted answers and consolidation."""

    world_name = "cross_check"

    @pytest.mark.parametrize(("name", "method", "who"), cases(MUTATIONS, world_name))
    def test_status(self, name, method, who, world):
        walk(name, method, who, world)


class TestMutationsValidation:
    """The assessment in validation: sessions and decisions."""

    world_name = "validation"

    @pytest.mark.parametrize(("name", "method", "who"), cases(MUTATIONS, world_name))
    def test_status(self, name, method, who, world):
        walk(name, method, who, world)


class TestMutationsProfiles:
    """The approved assessment's profile: versions, findings, renders, approval, publication."""

    world_name = "profiles"

    @pytest.mark.parametrize(("name", "method", "who"), cases(MUTATIONS, world_name))
    def test_status(self, name, method, who, world):
        walk(name, method, who, world)


class TestMutationsActionPlan:
    """The published assessment's action plan: items, updates, publication."""

    world_name = "action_plan"

    @pytest.mark.parametrize(("name", "method", "who"), cases(MUTATIONS, world_name))
    def test_status(self, name, method, who, world):
        walk(name, method, who, world)


# Every world has its class above, so every row runs.
WALKED = {
    cls.world_name
    for cls in (
        TestMutationsBase,
        TestMutationsCollection,
        TestMutationsCrossCheck,
        TestMutationsValidation,
        TestMutationsProfiles,
        TestMutationsActionPlan,
    )
}
