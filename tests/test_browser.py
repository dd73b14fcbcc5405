"""End-to-end in a real browser (Debian's Chromium driven by Playwright): the focal point's
entry page saves answers as they change, through htmx, under the strict CSP."""

from typing import Any

import pytest

from assessments.models import Response

from .conftest import load_reference_data


@pytest.fixture
def browser_page(browser):
    """A page of the worker's one Chromium (tests/conftest.py), with its console errors."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.csp_errors = errors
    try:
        yield page
    finally:
        page.close()


def _kemnaker_answer(username: str) -> tuple[Any, Response]:
    """A focal point of Kemnaker (password e2e-pass-2024) and its answer to 1.3.1 in a new
    national round."""
    load_reference_data()
    from ministries.models import Institution, User

    from .conftest import build_national_assessment

    kemnaker = Institution.objects.get(acronym="KEMNAKER")
    user = User.objects.create_user(
        username=username,
        password="e2e-pass-2024",
        role=User.Role.FOCAL_POINT,
        institution=kemnaker,
    )
    coordinator = User.objects.create_user(
        username=f"{username}-coordinator", role=User.Role.NATIONAL_COORDINATOR
    )
    assessment = build_national_assessment(coordinator)
    return user, assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_focal_point_answers_in_the_browser(live_server, browser_page, django_db_blocker):
    user, response = _kemnaker_answer("e2e-focal")
    assessment = response.assessment

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("html").click(position={"x": 5, "y": 400})
    page.keyboard.press("Tab")  # the first stop of the keyboard is the skip link
    assert page.evaluate("document.activeElement.className") == "skip-link", page.evaluate(
        "document.activeElement.outerHTML"
    )
    page.fill("#id_username", "e2e-focal")
    page.fill("#id_password", "e2e-pass-2024")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/entry/")
    block = page.locator(f"#response-{response.pk}")
    block.locator("input[name=answer][value=yes]").check()
    page.locator(f"#response-{response.pk} .save-status").filter(has_text="Saved at").wait_for()
    response.refresh_from_db()
    assert response.answer == "yes" and response.version == 2

    # Resized by its handle, the textarea carries a style attribute, which htmx's settle step
    # used to copy with setAttribute: an inline style the CSP refused on every save.
    page.evaluate(f"document.getElementById('justification-{response.pk}').style.height = '12em'")
    page.locator(f"#justification-{response.pk}").fill("Law 13/2003 on Manpower, art. 5 and 6.")
    page.locator(f"#response-{response.pk} input[name=version][value='3']").wait_for(
        state="attached"
    )
    response.refresh_from_db()
    assert response.justification == "Law 13/2003 on Manpower, art. 5 and 6."
    assert not [e for e in page.csp_errors if "Content Security Policy" in e], page.csp_errors

    # Typing and pressing Save at once (the change event's autosave and the button) saves
    # in place, once: no full-page POST racing the autosave with the same version.
    entry_url = page.url
    page.locator(f"#justification-{response.pk}").fill("Law 13/2003, art. 5.")
    page.locator(f"#response-{response.pk} .form-actions button[type=submit]").click()
    page.locator(f"#response-{response.pk} input[name=version][value='4']").wait_for(
        state="attached"
    )
    page.locator(f"#response-{response.pk} .save-status").filter(has_text="Saved at").wait_for()
    response.refresh_from_db()
    assert (response.justification, response.version) == ("Law 13/2003, art. 5.", 4)
    assert page.url == entry_url
    page.wait_for_timeout(300)  # a second request, had one been sent, would be back by now
    assert not page.get_by_role("alert").filter(has_text="Current saved version").count()

    # The evidence form shows only the fields of the chosen kind, and an error keeps what
    # was typed (the form comes back in place, through htmx, with the error by its field).
    slot = page.locator(f"#evidence-slot-{response.pk}")
    page.locator(f"#response-{response.pk} .add-evidence a").click()
    slot.locator("select[name=kind]").wait_for()
    # The script hides the other kinds' fields once htmx has settled the swapped form.
    slot.locator("input[name=url]").wait_for(state="hidden", timeout=5000)
    assert slot.locator("input[name=number]").is_visible()
    slot.locator("select[name=kind]").select_option("link")
    assert slot.locator("input[name=url]").is_visible()
    assert not slot.locator("input[name=number]").is_visible()
    slot.locator("input[name=title]").fill("Kemnaker portal")
    slot.locator(".evidence-form button[type=submit]").click()
    slot.locator(".invalid-feedback").filter(has_text="Link: enter a full web address").wait_for()
    assert slot.locator("input[name=title]").input_value() == "Kemnaker portal"
    slot.locator("input[name=number]").wait_for(state="hidden", timeout=5000)
    assert slot.locator("input[name=url]").is_visible()

    # A colleague saves meanwhile: the next change is refused and both texts are shown.
    from assessments.collection import services as collection_services

    collection_services.response_update(
        response=Response.objects.get(pk=response.pk),
        actor=user,
        version=4,
        justification="Colleague",
    )
    page.locator(f"#justification-{response.pk}").fill("My version")
    page.get_by_role("alert").filter(has_text="Current saved version").wait_for()
    assert "My version" in page.locator(f"#justification-{response.pk}").input_value()
    response.refresh_from_db()
    assert response.justification == "Colleague"

    page.select_option("#language-select", "id")
    page.click(".language-switch button")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "id"
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_choice_made_while_an_autosave_is_on_its_way_is_kept_and_saved(live_server, browser_page):
    """Clicking an answer while the justification's autosave is still on its way (a slow
    network): the block the server sends back replaces the form, and htmx drops the
    click's own save. The click is put back into the new form and saved after it."""
    _user, response = _kemnaker_answer("e2e-slow")
    assessment = response.assessment

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "e2e-slow")
    page.fill("#id_password", "e2e-pass-2024")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/entry/")

    # Every request now takes over a second to come back (Chromium's network emulation).
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 1200, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    block = page.locator(f"#response-{response.pk}")
    with page.expect_request(lambda r: r.url.endswith(f"/responses/{response.pk}/save/")):
        page.locator(f"#justification-{response.pk}").fill("UU 13/2003, art. 5.")
        page.locator(f"#justification-{response.pk}").press("Tab")  # change: the save
    block.locator("input[name=answer][value=partial]").check()  # while it is on its way
    # The first save comes back (version 2), then the kept click is saved (version 3).
    block.locator("input[name=version][value='3']").wait_for(state="attached", timeout=15000)
    assert block.locator("input[name=answer][value=partial]").is_checked()
    response.refresh_from_db()
    assert (response.answer, response.justification, response.version) == (
        "partial",
        "UU 13/2003, art. 5.",
        3,
    )
    assert not [e for e in page.csp_errors if "Content Security Policy" in e], page.csp_errors
