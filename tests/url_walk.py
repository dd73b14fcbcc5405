"""The mutating half of the permission walk: rows, the worlds they run in, and how they run.

Every POST, PUT, PATCH and DELETE route has a `Mutation` row per method, keyed by
(url name, method) in the `MUTATIONS` of tests/url_table_*.py (and of
tests/test_url_permissions.py for the accounts, language, token and admin routes). A row
gives the path, the body, and the status every persona must get; tests/test_url_permissions.py
sends each (url, method, persona) as its own test, rolled back at its end, so one persona's
successful write never changes another's answer.

Paths and bodies name the objects of a *world* in `{...}` placeholders, formatted with
`str.format` (a model instance gives its pk): `{response_a}`, `{response_a.version}`,
`{ind[1.3.2]}` (an indicator of the national framework), `{inst[BP2MI]}`. A value that is
exactly one placeholder keeps its type (an int in JSON). The worlds are built once per test
class, inside a transaction rolled back when the class is done, because building them per
test (the assessment walked to validation takes seconds) would make the walk minutes long:

- base: the personas of tests/conftest.py, `inst` and `framework` (the national framework).
- collection: `national_assessment` (data collection, the survey matrix of conftest's
  fixture), `response_a` (Kemnaker, 1.3.1), `response_b` (BP2MI, 4.1.2), `ind`, the
  workbooks `kemnaker_workbook` and `survey_matrix` as their users download them, and
  `workbook_upload`: Kemnaker's workbook uploaded, unchanged, by its focal point.
- cross_check: `cross_check_assessment` as conftest's fixture, `response_a` (submitted).
- validation: `validation_assessment` as conftest's fixture and `validation_session` (an FGD
  of it, no decision yet).
- profiles: `approved_assessment` as conftest's fixture, `draft_profile` (version 1, created
  by the coordinator), `profile_render` (its English PDF, queued) and `finding` (its first).

A row runs in the first world that has every object it names, unless it says `world=`.
The worlds are built with conftest's helpers and, for the rest, through the portal's own
URLs, so the walk never imports a view module.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .conftest import PERSONAS

MUTATING = ("POST", "PUT", "PATCH", "DELETE")
HTTP_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE", *MUTATING}
WORLDS = ["base", "collection", "cross_check", "validation", "profiles", "action_plan"]
BASE_NAMES = {*PERSONAS[1:], "inst", "framework"}
WORLD_NAMES = {
    "base": BASE_NAMES,
    "collection": BASE_NAMES
    | {
        "national_assessment",
        "response_a",
        "response_b",
        "ind",
        "kemnaker_workbook",
        "survey_matrix",
        "workbook_upload",
    },
    "cross_check": BASE_NAMES | {"cross_check_assessment", "response_a", "ind"},
    "validation": BASE_NAMES | {"validation_assessment", "validation_session", "ind"},
    "profiles": BASE_NAMES
    | {"approved_assessment", "draft_profile", "profile_render", "finding", "section", "figure"},
    "action_plan": BASE_NAMES
    | {"plan_assessment", "plan_profile", "plan_finding", "action_item", "steering_review"},
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Upload:
    """A file field: the bytes of the world's `name`, uploaded as `filename`."""

    name: str
    filename: str


@dataclass(frozen=True)
class Mutation:
    """One mutating request and the status each persona must get.

    `data` is the body (None: empty): JSON for /api/ paths, a form elsewhere; `json=False`
    sends a multipart form to the API (uploads). `bugs` names personas whose status is a
    known bug: their case is `xfail(strict=True)` with that reason, `expected` stays right.
    `to_login`: anonymous 302s must go to a login page (False for public forms).
    """

    path: str
    expected: dict[str, int]
    data: Mapping[str, Any] | None = None
    json: bool | None = None
    world: str | None = None
    to_login: bool = True
    bugs: Mapping[str, str] = field(default_factory=dict)

    def names(self) -> set[str]:
        templates = [self.path]
        for key, value in (self.data or {}).items():
            templates.append(key)
            values = value if isinstance(value, list) else [value]
            templates += [v for v in values if isinstance(v, str)]
            templates += [f"{{{v.name}}}" for v in values if isinstance(v, Upload)]
        return {
            re.split(r"[.\[]", f)[0]
            for t in templates
            for _, f, _, _ in string.Formatter().parse(t)
            if f
        }

    def world_name(self) -> str | None:
        """The world the row runs in; None if no world has every object it names."""
        if self.world is not None:
            return self.world
        needed = self.names()
        return next((w for w in WORLDS if needed <= WORLD_NAMES[w]), None)

    def uses_json(self) -> bool:
        return self.path.startswith("/api/") if self.json is None else self.json


# --- filling placeholders ------------------------------------------------------------------


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        return format(getattr(value, "pk", value), format_spec)


FORMATTER = _Formatter()
ONE_PLACEHOLDER = re.compile(r"^\{([^{}]+)\}$")


def fill(template: str, world: Mapping[str, Any]) -> str:
    return FORMATTER.vformat(template, (), world)


def fill_value(value: Any, world: Mapping[str, Any]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    if isinstance(value, Upload):
        return SimpleUploadedFile(value.filename, world[value.name], content_type=XLSX)
    if isinstance(value, list):
        return [fill_value(v, world) for v in value]
    if isinstance(value, dict):  # a JSON object inside a list (api-review-accept's items)
        return {k: fill_value(v, world) for k, v in value.items()}
    if isinstance(value, str):
        whole = ONE_PLACEHOLDER.match(value)
        if whole:
            raw = FORMATTER.get_field(whole[1], (), world)[0]
            return getattr(raw, "pk", raw)
        return fill(value, world)
    return value


def send(client: Any, method: str, mutation: Mutation, world: Mapping[str, Any]) -> Any:
    path = fill(mutation.path, world)
    data = None
    if mutation.data is not None:
        data = {fill(k, world): fill_value(v, world) for k, v in mutation.data.items()}
    if mutation.uses_json():
        body = json.dumps(data) if data is not None else ""
        return client.generic(method, path, body, content_type="application/json")
    if method == "POST":
        return client.post(path, data or {})
    body = urlencode(data or {}, doseq=True)
    return client.generic(method, path, body, content_type="application/x-www-form-urlencoded")


def check(name: str, method: str, who: str, mutation: Mutation, world: Mapping[str, Any]) -> None:
    """Send the row's request as `who` and compare the status with the row's."""
    from django.test import Client

    client = Client()
    if who != "anonymous":
        client.force_login(world[who])
    response = send(client, method, mutation, world)
    expected = mutation.expected[who]
    path = fill(mutation.path, world)
    assert response.status_code == expected, (
        f"{method} {path} ({name}) as {who}: got {response.status_code}, expected {expected}"
    )
    if who == "anonymous" and expected == 302 and mutation.to_login:
        assert "/login/" in response["Location"], f"{method} {path}: {response['Location']}"
    if expected in (400, 409, 422):
        assert response.content.strip(), f"{method} {path} as {who}: {expected} without a message"


def cases(mutations: Mapping[tuple[str, str], Mutation], world: str) -> list[Any]:
    """pytest params (name, method, persona) of the rows that run in `world`."""
    import pytest

    params = []
    for (name, method), mutation in sorted(mutations.items()):
        if mutation.world_name() != world:
            continue
        for who in PERSONAS:
            marks = []
            if who in mutation.bugs:
                marks.append(pytest.mark.xfail(strict=True, reason=mutation.bugs[who]))
            params.append(pytest.param(name, method, who, id=f"{name}-{method}-{who}", marks=marks))
    return params


# --- the worlds ----------------------------------------------------------------------------


def _call(user: Any, method: str, url: str, expected: int, **kwargs: Any) -> Any:
    """A request made while building a world; it must succeed as expected."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = getattr(client, method.lower())(url, **kwargs)
    assert response.status_code == expected, (
        f"building the walk's world: {method} {url} gave {response.status_code}: "
        f"{response.content[:500]!r}"
    )
    return response


def _personas() -> dict[str, Any]:
    """The personas of tests/conftest.py, with the same usernames, roles and institutions."""
    from ministries.models import Institution, Province, User

    from .factories import UserFactory

    inst = {
        i.acronym: i for i in Institution.objects.filter(acronym__in=["KEMNAKER", "BP2MI", "KEMLU"])
    }
    return {
        "inst": inst,
        "coordinator": UserFactory(
            username="t-coordinator",
            role=User.Role.NATIONAL_COORDINATOR,
            institution=inst["KEMLU"],
        ),
        "provincial_coordinator": UserFactory(
            username="t-jateng",
            role=User.Role.PROVINCIAL_COORDINATOR,
            province=Province.objects.get(code="33"),
        ),
        "facilitator": UserFactory(username="t-facilitator", role=User.Role.FACILITATOR),
        "focal_a": UserFactory(
            username="t-focal-kemnaker", role=User.Role.FOCAL_POINT, institution=inst["KEMNAKER"]
        ),
        "focal_b": UserFactory(
            username="t-focal-bp2mi", role=User.Role.FOCAL_POINT, institution=inst["BP2MI"]
        ),
        "administrator": UserFactory(
            username="t-admin",
            role=User.Role.ADMINISTRATOR,
            is_staff=True,
            is_superuser=True,
        ),
    }


def build_world(name: str) -> dict[str, Any]:
    from django.urls import resolve, reverse

    from indicators.models import FrameworkVersion

    from .conftest import build_national_assessment, to_approved, to_cross_check, to_validation

    world = _personas()
    world["framework"] = FrameworkVersion.objects.get(code="mgi-national-2023")
    if name == "base":
        return world
    coordinator, facilitator = world["coordinator"], world["facilitator"]
    focal_a, focal_b = world["focal_a"], world["focal_b"]
    inst = world["inst"]
    assessment = build_national_assessment(coordinator, facilitator)
    world["ind"] = {i.code: i for i in assessment.framework.indicators.all()}
    if name == "collection":
        from django.core.files.uploadedfile import SimpleUploadedFile

        pk = assessment.pk
        world["national_assessment"] = assessment
        world["response_a"] = assessment.responses.get(
            indicator__code="1.3.1", institution=inst["KEMNAKER"]
        )
        world["response_b"] = assessment.responses.get(
            indicator__code="4.1.2", institution=inst["BP2MI"]
        )
        workbook = _call(focal_a, "GET", reverse("workbook_export", args=[pk]), 200).content
        world["kemnaker_workbook"] = workbook
        upload = SimpleUploadedFile("kemnaker.xlsx", workbook, content_type=XLSX)
        uploaded = _call(
            focal_a, "POST", reverse("workbook_import", args=[pk]), 302, data={"file": upload}
        )
        world["workbook_upload"] = resolve(uploaded["Location"]).kwargs["import_id"]
        world["survey_matrix"] = _call(
            coordinator, "GET", reverse("assessment-survey-matrix-export", args=[pk]), 200
        ).content
        return world
    assessment = to_cross_check(assessment, coordinator, focal_a, focal_b)
    if name == "cross_check":
        world["cross_check_assessment"] = assessment
        world["response_a"] = assessment.responses.get(
            indicator__code="1.3.1", institution=inst["KEMNAKER"]
        )
        return world
    assessment = to_validation(assessment, coordinator, facilitator)
    if name == "validation":
        world["validation_assessment"] = assessment
        session = _call(
            coordinator,
            "POST",
            reverse("api-validation-sessions", args=[assessment.pk]),
            201,
            data={
                "held_on": "2031-03-04",
                "format": "hybrid",
                "place": "Jakarta, Kemlu",
                "participant_count": 18,
                "institutions": ["KEMNAKER", "BP2MI"],
            },
            content_type="application/json",
        )
        world["validation_session"] = session.json()["id"]
        return world
    assert name in ("profiles", "action_plan"), name
    assessment = to_approved(assessment, coordinator, [inst["KEMNAKER"], inst["BP2MI"]])
    world["approved_assessment"] = assessment
    # Version 1 and its English render, queued (the render task runs on commit, never here).
    _call(
        coordinator,
        "POST",
        reverse("api-assessment-profiles", args=[assessment.pk]),
        202,
        data={"language": "en"},
        content_type="application/json",
    )
    profile = assessment.profiles.get()
    if name == "action_plan":
        return _action_plan_world(world, assessment, profile)
    world["draft_profile"] = profile
    world["profile_render"] = profile.renders.get()
    world["finding"] = profile.findings.order_by("pk").first()
    world["section"] = profile.sections.order_by("pk").first()
    world["figure"] = profile.context_figures.create(
        label_en="Migrants", label_id="Migran", value="1", source="Demo", year=2023
    )
    return world


def _action_plan_world(world: dict[str, Any], assessment: Any, profile: Any) -> dict[str, Any]:
    """The profiles world's version 1 marked published (its PDFs are not what the walk
    asks about), and an action item of its plan led by Kemnaker (focal_a's institution)."""
    from django.utils import timezone

    from reports.actionplan import review_services, services

    type(profile).objects.filter(pk=profile.pk).update(
        status="published", published_at=timezone.now(), published_by=world["coordinator"]
    )
    world["plan_assessment"] = assessment
    world["plan_profile"] = profile
    world["plan_finding"] = profile.findings.filter(kind="further_development").first()
    world["action_item"] = services.item_create(
        assessment=assessment,
        actor=world["coordinator"],
        values={
            "title_en": "Adopt the regulation",
            "title_id": "Menetapkan peraturan",
            "kind": "policy_legal",
            "lead": world["inst"]["KEMNAKER"],
        },
    )
    world["steering_review"] = review_services.review_create(
        plan=world["action_item"].plan,
        held_on=timezone.localdate(),
        chair="MOFA and UN Resident Coordinator",
        participants=[world["inst"]["KEMNAKER"]],
        actor=world["coordinator"],
    )
    return world


def world_fixture(request: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The body of the class-scoped `world` fixture: the class's `world_name` built inside a
    transaction that stays open for the class's tests (each rolls back to its own savepoint)
    and is rolled back after the last."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(request.cls.world_name)
        transaction.set_rollback(True)


# --- which methods a URL accepts -------------------------------------------------------------


def url_views(patterns: Any, prefix: str = "") -> dict[str, Any]:
    """URL name -> view callback, as tests/test_url_permissions.py's `url_names` walks them."""
    from django.urls import URLPattern, URLResolver

    views: dict[str, Any] = {}
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            views.update(url_views(p.url_patterns, ns))
        elif isinstance(p, URLPattern) and p.name and "format" not in str(p.pattern):
            views.setdefault(prefix + p.name, p.callback)
    return views


def class_view_methods(callback: Any) -> set[str] | None:
    """The mutating methods a class-based view answers; None for a function view.

    A DRF viewset route answers the methods of its `actions`; other class-based views
    (Django's and DRF's) the methods of `http_method_names` they have a handler for.
    """
    actions = getattr(callback, "actions", None)
    if actions:
        return {m.upper() for m in actions} & set(MUTATING)
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return None
    return {
        m.upper()
        for m in view_class.http_method_names
        if m.upper() in MUTATING and hasattr(view_class, m)
    }


def decorator_methods(callback: Any) -> set[str] | None:
    """The methods `require_http_methods` (`require_POST`, `require_GET`, `require_safe`)
    lets through, read from the decorator's closure down the `__wrapped__` chain; None when
    the function view has no such decorator (it answers every method)."""
    view = callback
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(m, str) and m in HTTP_METHODS for m in value)
            ):
                return set(value)
        view = getattr(view, "__wrapped__", None)
    return None
