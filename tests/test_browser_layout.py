"""Every page fits a phone: at 390 px nothing scrolls sideways, and at 1366 px the menu is open.

The demo (`seed_demo`, with one-page stand-in PDFs) gives every page real content: the
national assessment in data collection, the Central Java one published with its review
threads, validation session, snapshot and profile. One browser; one context per persona,
signed in through the login form; every page URL name is visited at least once, in English
and in Bahasa Indonesia. Screenshots of the phone views are kept in the artefact directory
(`$MGI_TEST_ARTIFACTS`, by default tests/artifacts/layout/, git-ignored).

What counts as a page is stated below: `PAGES` must name every URL name outside the admin
and the API that is not in `NOT_PAGES` (POST-only actions, file downloads, fragments and
redirects), so a new page is walked from its first day.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import load_reference_data

ARTIFACTS = Path(
    os.environ.get("MGI_TEST_ARTIFACTS") or Path(__file__).parent / "artifacts" / "layout"
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "demo"  # the demo's published password (ministries/demo.py)

# URL names that are not pages a person reads: actions (POST only), files, fragments and
# redirects. Everything else outside the admin and the API is in PAGES.
NOT_PAGES = {
    "logout",
    "language_switch",
    "language_link",
    "set_language",
    "assessment_transition",
    "matrix_cell",
    "matrix_export",
    "submit",
    "response_save",
    "evidence_file",
    "workbook_export",
    "workbook_import_apply",
    "response_review",
    "response_comment",
    "response_resubmit",
    "consolidation_take_over_bulk",
    "consolidation_take_over",
    "validation_decide",
    "validation_confirm_rest",
    "validation_minutes_pdf",
    "validation_minutes_xlsx",
    "profile_create_view",
    "finding_update_view",
    "finding_delete_view",
    "render_request_view",
    "profile_approve_view",
    "profile_publish_view",
    "render_status",  # the render card the profile page polls (a fragment)
    "render_pdf",
    "public_profile_pdf",
    "public_profile_data",
    "assessment_carry_forward",
    "confirm_carried",
    "response_confirm",
    "review_accept_bulk",
    "logout_everywhere",
    "api_token_revoke",
    "session_keepalive",
    "two_step_recovery_codes",
    "two_step_disable",
    "two_step_verify",  # the sign-in's second step: only between password and code
    "audit_export",  # a CSV file
    "action_from_finding",
    "action_item_update",
    "action_plan_publish",
    "citation_link",
    "figure_create_view",
    "figure_delete_view",
    "figure_update_view",
    "figures_upload_view",
    "finding_confirm_view",
    "finding_translation_confirm_view",
    "launch_handover_view",
    "launch_take_back_view",
    "section_update_view",
    "round_archive_request_view",
    "round_archive_status",  # the archive card the assessment page polls (a fragment)
    "round_archive_download",
    "public_action_plan_data",  # CSV, Excel, JSON files
    "action_review_minutes_request",
    "action_review_minutes_status",  # the minutes card the review page polls (a fragment)
    "action_review_minutes_pdf",
    "action_review_minutes_xlsx",
}


@dataclass
class Demo:
    """The demo objects the pages are opened on."""

    national: int
    province: int
    framework: str
    indicator: str
    gcm: int
    kemnaker: str
    kemnaker_response: int
    thread_response: int
    session: int
    snapshot: int
    profile: int
    consolidated_code: str
    action_item: int
    instrument: int
    steering_review: int


def demo_objects() -> Demo:
    from assessments.models import Assessment, Response, ResponseComment
    from indicators.models import GCMObjective, LegalInstrument
    from reports.models import ActionItem, Profile, SteeringReview

    national = Assessment.objects.get(scope="national", year=2023)
    province = Assessment.objects.get(scope="provincial", year=2023)
    thread = ResponseComment.objects.filter(response__assessment=province).first()
    assert thread is not None
    return Demo(
        national=national.pk,
        province=province.pk,
        framework=national.framework.code,
        indicator="1.3.1",
        gcm=GCMObjective.objects.order_by("number").first().number,
        kemnaker="KEMNAKER",
        kemnaker_response=Response.objects.get(
            assessment=national, institution__acronym="KEMNAKER", indicator__code="1.3.1"
        ).pk,
        thread_response=thread.response_id,
        session=province.validation_sessions.get().pk,
        snapshot=province.snapshots.get().number,
        profile=Profile.objects.get(assessment=province).pk,
        consolidated_code=province.responses.order_by("indicator__order").first().indicator.code,
        action_item=ActionItem.objects.filter(plan__assessment=province).order_by("pk").first().pk,
        instrument=LegalInstrument.objects.get(kind="uu", number="18", year=2017).pk,
        steering_review=SteeringReview.objects.filter(plan__assessment=province).get().pk,
    )


Visit = tuple[str, Callable[[Demo], str]]

# Who opens which page: (persona's demo username or "" for anonymous, its visits).
PERSONAS: dict[str, tuple[str, list[Visit]]] = {
    "anonymous": (
        "",
        [
            ("home", lambda d: reverse("home")),
            ("login", lambda d: reverse("login")),
            ("password_reset", lambda d: reverse("password_reset")),
            ("password_reset_done", lambda d: reverse("password_reset_done")),
            (
                "password_reset_confirm",
                lambda d: reverse("password_reset_confirm", args=["MQ", "set-password"]),
            ),
            ("password_reset_complete", lambda d: reverse("password_reset_complete")),
            ("framework_list", lambda d: reverse("framework_list")),
            ("framework_detail", lambda d: reverse("framework_detail", args=[d.framework])),
            (
                "gcm_objective_detail",
                lambda d: reverse("gcm_objective_detail", args=[d.framework, d.gcm]),
            ),
            (
                "indicator_detail",
                lambda d: reverse("indicator_detail", args=[d.framework, d.indicator]),
            ),
            ("public_profiles", lambda d: reverse("public_profiles")),
            ("public_profile", lambda d: reverse("public_profile", args=[d.profile])),
        ],
    ),
    "focal point of the statistics office": (
        "focal-bps",
        [
            ("action_roadmap", lambda d: reverse("action_roadmap", args=[d.province])),
            ("register_list", lambda d: reverse("register_list")),
        ],
    ),
    "coordinator": (
        "coordinator",
        [
            ("home", lambda d: reverse("home")),
            ("account_settings", lambda d: reverse("account_settings")),
            ("password_change", lambda d: reverse("password_change")),
            ("two_step_setup", lambda d: reverse("two_step_setup")),
            ("assessment_list", lambda d: reverse("assessment_list")),
            ("assessment_create", lambda d: reverse("assessment_create")),
            ("assessment_detail", lambda d: reverse("assessment_detail", args=[d.national])),
            (
                "assessment_participants",
                lambda d: reverse("assessment_participants", args=[d.national]),
            ),
            ("matrix_grid", lambda d: reverse("matrix_grid", args=[d.national])),
            ("matrix_import", lambda d: reverse("matrix_import", args=[d.national])),
            (
                "assessment_dashboard",
                lambda d: reverse("assessment_dashboard", args=[d.national]),
            ),
            (
                "institution_entry",
                lambda d: reverse("institution_entry", args=[d.national, d.kemnaker]),
            ),
            ("snapshot_list", lambda d: reverse("snapshot_list", args=[d.province])),
            (
                "snapshot_detail",
                lambda d: reverse("snapshot_detail", args=[d.province, d.snapshot]),
            ),
            ("profile_manage", lambda d: reverse("profile_manage", args=[d.province])),
            ("profile_findings", lambda d: reverse("profile_findings", args=[d.profile])),
            ("audit_list", lambda d: reverse("audit_list")),
            ("citations_resolve", lambda d: reverse("citations_resolve")),
            ("register_add", lambda d: reverse("register_add")),
            ("register_edit", lambda d: reverse("register_edit", args=[d.instrument])),
        ],
    ),
    "facilitator": (
        "facilitator",
        [
            ("home", lambda d: reverse("home")),
            ("review_queue", lambda d: reverse("review_queue")),
            ("response_thread", lambda d: reverse("response_thread", args=[d.thread_response])),
            ("response_history", lambda d: reverse("response_history", args=[d.thread_response])),
            ("consolidation_list", lambda d: reverse("consolidation_list", args=[d.province])),
            (
                "consolidation_indicator",
                lambda d: reverse(
                    "consolidation_indicator", args=[d.province, d.consolidated_code]
                ),
            ),
            ("validation_sessions", lambda d: reverse("validation_sessions", args=[d.province])),
            (
                "validation_session",
                lambda d: reverse("validation_session", args=[d.province, d.session]),
            ),
        ],
    ),
    "focal point": (
        "focal-kemnaker",
        [
            ("home", lambda d: reverse("home")),
            ("assessment_list", lambda d: reverse("assessment_list")),
            ("entry", lambda d: reverse("entry", args=[d.national])),
            ("evidence_library", lambda d: reverse("evidence_library", args=[d.national])),
            (
                "response_evidence",
                lambda d: reverse("response_evidence", args=[d.kemnaker_response]),
            ),
            ("response_history", lambda d: reverse("response_history", args=[d.kemnaker_response])),
            ("workbook_import", lambda d: reverse("workbook_import", args=[d.national])),
            # workbook_import_preview: uploaded in the test, then opened.
        ],
    ),
    "provincial coordinator": (
        "jateng-coordinator",
        [
            ("home", lambda d: reverse("home")),
            ("assessment_list", lambda d: reverse("assessment_list")),
            ("assessment_detail", lambda d: reverse("assessment_detail", args=[d.province])),
            (
                "assessment_dashboard",
                lambda d: reverse("assessment_dashboard", args=[d.province]),
            ),
            ("review_queue", lambda d: reverse("review_queue")),
            ("profile_sections", lambda d: reverse("profile_sections", args=[d.profile])),
            ("action_plan", lambda d: reverse("action_plan", args=[d.province])),
            ("action_summary", lambda d: reverse("action_summary", args=[d.province])),
            ("action_timeline", lambda d: reverse("action_timeline", args=[d.province])),
            ("action_new", lambda d: reverse("action_new", args=[d.province])),
            ("action_item", lambda d: reverse("action_item", args=[d.action_item])),
            ("action_item_edit", lambda d: reverse("action_item_edit", args=[d.action_item])),
            ("action_reviews", lambda d: reverse("action_reviews", args=[d.province])),
            ("action_review_new", lambda d: reverse("action_review_new", args=[d.province])),
            ("action_review", lambda d: reverse("action_review", args=[d.steering_review])),
        ],
    ),
}
UPLOADED = {"workbook_import_preview"}  # opened after an upload, not from a pattern


def page_url_names() -> set[str]:
    """Every URL name outside the admin and the API."""
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin" or str(p.pattern).startswith("api/"):
                    continue
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name and not str(p.pattern).startswith("api/"):
                names.add(p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_page_url_name_is_walked_at_phone_width():
    walked = {name for _u, visits in PERSONAS.values() for name, _ in visits} | UPLOADED
    assert walked.isdisjoint(NOT_PAGES)
    assert page_url_names() - NOT_PAGES == walked


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _upload_workbook(page: Any, base: str, demo: Demo) -> str:
    """The focal point downloads the institution's workbook and uploads it back unchanged."""
    workbook = page.request.get(f"{base}{reverse('workbook_export', args=[demo.national])}")
    assert workbook.ok
    page.goto(f"{base}{reverse('workbook_import', args=[demo.national])}")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "kemnaker.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": workbook.body(),
            }
        ],
    )
    page.locator("main form[enctype] button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/workbook/import/" in url and url.rstrip("/")[-1].isdigit())
    return page.url.removeprefix(base)


def _measure(page: Any, base: str, path: str) -> tuple[int, int]:
    """The page's status (0 if it was redirected elsewhere) and its width. Stylesheets block
    the scripts in <head>, so at DOMContentLoaded the layout is the final one."""
    response = page.goto(f"{base}{path}", wait_until="domcontentloaded")
    assert response is not None
    status = response.status if page.url == f"{base}{path}" else 0
    return status, page.evaluate("document.documentElement.scrollWidth")


def _visit_all(page: Any, base: str, persona: str, visits: list[tuple[str, str]], lang: str):
    """Each page at 390 px: (name, path, status, scroll width) of those that fail."""
    failures = []
    for name, path in visits:
        status, width = _measure(page, base, path)
        shot = ARTIFACTS / lang / f"{persona.replace(' ', '-')}--{name}.png"
        page.screenshot(path=str(shot), full_page=False)
        if status != 200 or width > PHONE["width"]:
            failures.append((persona, lang, name, path, status, width))
    return failures


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_page_scrolls_sideways_on_a_phone_and_the_menu_is_open_on_a_desktop(
    live_server, browser, monkeypatch
):
    load_reference_data()
    from reports import services as report_services

    # One-page stand-in PDFs, as tests/conftest.py's quick_pdfs: the pages show the
    # renders, not their text.
    monkeypatch.setattr(
        report_services,
        "profile_html",
        lambda profile, language: (
            f'<!DOCTYPE html><html lang="{language}"><body><p>{language}</p></body></html>'
        ),
    )
    call_command("seed_demo", stdout=io.StringIO())
    demo = demo_objects()
    base = live_server.url
    for lang in ("en", "id"):
        (ARTIFACTS / lang).mkdir(parents=True, exist_ok=True)

    failures: list[tuple[Any, ...]] = []
    console_errors: list[str] = []
    for persona, (username, visits) in PERSONAS.items():
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.on(
            "console",
            lambda m, persona=persona: (
                console_errors.append(f"{persona}: {m.text}") if m.type == "error" else None
            ),
        )
        if username:
            _sign_in(page, base, username)
        paths = [(name, url(demo)) for name, url in visits]
        if username == "focal-kemnaker":
            paths.append(("workbook_import_preview", _upload_workbook(page, base, demo)))

        # The header takes little room on a phone: the menu is closed behind its toggler.
        page.goto(f"{base}/")
        toggler = page.locator(".navbar-toggler")
        assert toggler.is_visible() and toggler.get_attribute("aria-expanded") == "false"
        assert not page.locator("#site-menu").is_visible()
        assert page.locator(".site-header").bounding_box()["height"] < 0.15 * PHONE["height"]
        toggler.click()
        page.locator("#site-menu").wait_for(state="visible")
        assert toggler.get_attribute("aria-expanded") == "true"

        failures += _visit_all(page, base, persona, paths, "en")
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": base}])
        page.goto(f"{base}/")
        assert page.evaluate("document.documentElement.lang") == "id"
        failures += _visit_all(page, base, persona, paths, "id")

        # On a desktop the menu is open, no toggler.
        page.set_viewport_size(DESKTOP)
        page.goto(f"{base}/")
        assert page.locator("#site-menu").is_visible()
        assert not page.locator(".navbar-toggler").is_visible()
        page.screenshot(path=str(ARTIFACTS / "id" / f"{persona.replace(' ', '-')}--desktop.png"))
        context.close()

    assert not failures, "\n".join(map(str, failures))
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
