"""The render service and task, run eagerly: what editing, retries and dead workers do to a
render's status row and its file.

Three of these tests showed defects fixed in reports/services.py and reports/tasks.py:
an edit left renders "queued" with no task on its way (the page polled forever, the PDF
never caught up); a render in progress during an edit ended "done" with the old text; and
a render whose worker died every time was handed back by the broker forever.
"""

import io

import pytest
from django.db import OperationalError
from pypdf import PdfReader

from reports import freshness, services, tasks
from reports.models import ProfileRender

from . import test_staff_pages as pages

pytestmark = pytest.mark.django_db

# The same fixtures as the pages' tests: media files in a temporary directory, short PDFs.
media = pages.media
quick_pdf = pages.quick_pdf


def sends(callbacks):
    """The tasks sent on commit (the public pages' freshness mark aside)."""
    return [c for c in callbacks if c is not freshness._replace_generation]


def pdf_text(render: ProfileRender) -> str:
    with render.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def pdf_files(media_root) -> list:
    return sorted((media_root / "profiles").glob("*/*.pdf"))  # profiles/<2 hex>/<random>.pdf


def test_editing_a_finding_renders_the_pdf_again_with_the_new_text(
    draft_profile, coordinator, facilitator, django_capture_on_commit_callbacks, media, request
):
    with django_capture_on_commit_callbacks(execute=True):
        render = services.render_request(profile=draft_profile, language="en", actor=coordinator)
    render.refresh_from_db()
    assert render.status == ProfileRender.Status.DONE
    first_checksum = render.checksum
    text = pdf_text(render)
    assert "Summary of key findings" in text and "Annex 3: Indicators and answers" in text
    # Rendered again from the one-page stand-in with every finding's text (quick_pdf): the
    # real layout is checked above, the new text below.
    request.getfixturevalue("quick_pdf")

    finding = draft_profile.findings.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.finding_update(
            finding=finding,
            actor=facilitator,
            text_en="Zebra crossing finding restated by the facilitator.",
            text_id="Temuan yang dirumuskan ulang oleh fasilitator.",
        )
    assert (
        len(sends(queued)) == 1
    )  # the edit queued the render again: "queued" means a task is sent
    render.refresh_from_db()
    assert render.status == ProfileRender.Status.DONE
    assert render.checksum != first_checksum
    assert "Zebra crossing finding restated by the facilitator." in pdf_text(render)
    assert len(pdf_files(media)) == 1


def test_a_render_overtaken_by_an_edit_is_not_marked_done_with_the_old_text(
    draft_profile,
    coordinator,
    facilitator,
    django_capture_on_commit_callbacks,
    media,
    quick_pdf,
    monkeypatch,
):
    finding = draft_profile.findings.order_by("pk").first()
    html_of = services.profile_html
    calls = []

    def edited_meanwhile(profile, language):
        html = html_of(profile, language)
        if not calls:  # the first run has read the old text; now someone saves an edit
            services.finding_update(
                finding=finding, actor=facilitator, text_en="New English.", text_id="Baru."
            )
        calls.append(language)
        return html

    monkeypatch.setattr(services, "profile_html", edited_meanwhile)
    with django_capture_on_commit_callbacks(execute=True):
        render = services.render_request(profile=draft_profile, language="en", actor=coordinator)
    render.refresh_from_db()
    assert calls == ["en", "en"]  # the edit's task rendered it again
    assert render.status == ProfileRender.Status.DONE
    assert "New English." in pdf_text(render)
    assert len(pdf_files(media)) == 1


def test_requesting_the_same_language_twice_gives_one_row_and_one_file(
    draft_profile, coordinator, django_capture_on_commit_callbacks, media, quick_pdf
):
    with django_capture_on_commit_callbacks(execute=True) as sent:
        first = services.render_request(profile=draft_profile, language="id", actor=coordinator)
        second = services.render_request(profile=draft_profile, language="id", actor=coordinator)
    assert first.pk == second.pk
    assert len(sends(sent)) == 2  # two tasks; the second finds the PDF done and does nothing
    render = draft_profile.renders.get()
    assert render.status == ProfileRender.Status.DONE and render.attempts == 1
    [file] = pdf_files(media)
    assert render.file.name == str(file.relative_to(media))

    # Rendering again replaces the file (under a new random name): one file still.
    with django_capture_on_commit_callbacks(execute=True):
        services.render_request(profile=draft_profile, language="id", actor=coordinator)
    render.refresh_from_db()
    assert pdf_files(media) == [media / render.file.name]
    assert draft_profile.renders.count() == 1


def test_a_render_redelivered_after_its_worker_died_renders_again(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    with django_capture_on_commit_callbacks(execute=False):
        render = services.render_request(profile=draft_profile, language="en", actor=coordinator)
    # What a worker killed mid-way leaves behind: "rendering", one attempt.
    ProfileRender.objects.filter(pk=render.pk).update(status="rendering", attempts=1, progress=30)
    tasks.profile_render.delay(render_id=render.pk)
    render.refresh_from_db()
    assert (render.status, render.attempts) == ("done", 2)


def test_a_render_whose_worker_died_every_time_is_failed_not_redelivered_forever(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    with django_capture_on_commit_callbacks(execute=False):
        render = services.render_request(profile=draft_profile, language="en", actor=coordinator)
    ProfileRender.objects.filter(pk=render.pk).update(
        status="rendering", attempts=services.MAX_RENDER_ATTEMPTS
    )
    tasks.profile_render.delay(render_id=render.pk)
    render.refresh_from_db()
    assert render.status == ProfileRender.Status.FAILED
    assert "stopped without finishing 3 times" in render.error
    assert not render.file

    # Asking again starts a fresh count, and this time it renders.
    with django_capture_on_commit_callbacks(execute=True):
        services.render_request(profile=draft_profile, language="en", actor=coordinator)
    render.refresh_from_db()
    assert (render.status, render.attempts, render.error) == ("done", 1, "")


def test_a_transient_error_is_retried(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf, monkeypatch
):
    html_of = services.profile_html
    failures = 3  # as many as the task retries: the fourth attempt succeeds

    def flaky(profile, language):
        nonlocal failures
        if failures:
            failures -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return html_of(profile, language)

    monkeypatch.setattr(services, "profile_html", flaky)
    with django_capture_on_commit_callbacks(execute=False):
        render = services.render_request(profile=draft_profile, language="en", actor=coordinator)
    # As a worker runs it (errors not raised here): each retry runs at once instead of after its delay.
    # Between attempts the render is queued again, so a retry is not taken for a render whose
    # worker died (which, after three attempts, would be failed).
    monkeypatch.setitem(tasks.profile_render.app.conf, "task_eager_propagates", False)
    tasks.profile_render.apply(kwargs={"render_id": render.pk})
    render.refresh_from_db()
    assert (render.status, render.attempts, render.error) == ("done", 4, "")


def test_a_transient_error_that_persists_fails_the_render(
    draft_profile, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    def down(profile, language):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services, "profile_html", down)
    with django_capture_on_commit_callbacks(execute=False):
        render = services.render_request(profile=draft_profile, language="en", actor=coordinator)
    monkeypatch.setitem(tasks.profile_render.app.conf, "task_eager_propagates", False)
    tasks.profile_render.apply(kwargs={"render_id": render.pk})
    render.refresh_from_db()
    assert render.status == ProfileRender.Status.FAILED
    assert render.error == "OperationalError: could not connect to server"


def test_any_other_error_fails_the_render_with_its_message(
    draft_profile, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(profile, language):
        raise ValueError("no such template variable")

    monkeypatch.setattr(services, "profile_html", broken)
    with pytest.raises(ValueError), django_capture_on_commit_callbacks(execute=True):
        services.render_request(profile=draft_profile, language="en", actor=coordinator)
    render = draft_profile.renders.get()
    assert render.status == ProfileRender.Status.FAILED
    assert render.error == "ValueError: no such template variable"
    assert render.finished_at is not None


def test_stuck_renders_are_reaped(draft_profile, coordinator, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        render = services.render_request(profile=draft_profile, language="en", actor=coordinator)
    ProfileRender.objects.filter(pk=render.pk).update(
        status="rendering", started_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    assert services.renders_reap(older_than_seconds=600) == 1
    render.refresh_from_db()
    assert render.status == ProfileRender.Status.FAILED and render.error
