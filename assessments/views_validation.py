"""Validation (the focus group discussion): sessions, their decisions, minutes and snapshots.

Coordinators of the assessment's scope record sessions and decisions while the assessment
is in validation; its facilitators and administrators read them. Focal points and other
strangers get 404: `selectors.validation_assessments_visible_to` is the only door.
"""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from indicators.bilingual import active_language, localized
from indicators.models import Indicator
from ministries.models import Institution, User

from . import minutes, permissions, selectors, services
from .models import Assessment, Snapshot, ValidationDecision, ValidationSession
from .permissions import request_user as _user


def get_validation_assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(
        selectors.validation_assessments_visible_to(_user(request)).select_related("framework"),
        pk=pk,
    )


def get_session(assessment: Assessment, session_id: int) -> ValidationSession:
    session = get_object_or_404(
        ValidationSession.objects.select_related("recorded_by"),
        assessment=assessment,
        pk=session_id,
    )
    session.assessment = assessment
    return session


def can_record(user: User, assessment: Assessment) -> bool:
    """Sessions and decisions are written by the coordinators while in validation."""
    return (
        permissions.can_manage(user, assessment)
        and assessment.status == Assessment.Status.VALIDATION
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ValidationSessionForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Date (first day)"), widget=DateInput())
    ends_on = forms.DateField(
        label=gettext_lazy("Last day"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Only if the discussion lasted more than one day."),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=ValidationSession.Format.choices,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(label=gettext_lazy("Place"), required=False, max_length=255)
    participant_count = forms.IntegerField(
        label=gettext_lazy("Number of participants"), min_value=1, max_value=10000
    )
    institutions = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Institutions present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, institutions: list[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution_list = institutions
        field = self.fields["institutions"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(i.pk, f"{i.acronym}: {localized(i, 'name')}") for i in institutions]

    def chosen_institutions(self) -> list[Institution]:
        by_pk = {i.pk: i for i in self.institution_list}
        return [by_pk[pk] for pk in self.cleaned_data["institutions"]]

    @classmethod
    def initial_for(cls, session: ValidationSession, present: list[Institution]) -> dict[str, Any]:
        return {
            "held_on": session.held_on,
            "ends_on": session.ends_on,
            "format": session.format,
            "place": session.place,
            "participant_count": session.participant_count,
            "institutions": [i.pk for i in present],
            "notes": session.notes,
        }


def _save_session(
    form: ValidationSessionForm,
    *,
    assessment: Assessment,
    user: User,
    session: ValidationSession | None = None,
) -> ValidationSession | None:
    """Call the service with the form's values; its refusal becomes the form's error."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.validation_session_save(
            assessment=assessment,
            actor=user,
            session=session,
            held_on=data["held_on"],
            ends_on=data["ends_on"],
            format=data["format"],
            place=data["place"],
            participant_count=data["participant_count"],
            institutions=form.chosen_institutions(),
            notes=data["notes"],
        )
    except services.ServiceError as exc:
        form.add_error(None, exc.message)
        return None


# --- sessions ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def validation_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment's validation sessions; coordinators record a new one here."""
    user = _user(request)
    assessment = get_validation_assessment(request, pk)
    recording = can_record(user, assessment)
    form = None
    if request.method == "POST":
        permissions.require(permissions.can_manage(user, assessment))
    if recording or request.method == "POST":
        form = ValidationSessionForm(
            request.POST or None,
            institutions=selectors.validation_institution_choices(assessment),
            initial={"held_on": timezone.localdate(), "format": ValidationSession.Format.IN_PERSON},
        )
    if request.method == "POST" and form is not None:
        session = _save_session(form, assessment=assessment, user=user)
        if session is not None:
            messages.success(
                request,
                _("Validation session of %(date)s recorded. Record its decisions below.")
                % {"date": minutes.session_dates(session)},
            )
            return redirect("validation_session", pk=assessment.pk, session_id=session.pk)
    context = {
        "assessment": assessment,
        "sessions": selectors.validation_sessions(assessment),
        "can_record": recording,
        "form": form,
    }
    return render(request, "assessments/validation_sessions.html", context)


def _session_context(
    request: HttpRequest, assessment: Assessment, session: ValidationSession, **extra: Any
) -> dict[str, Any]:
    user = _user(request)
    deciding = can_record(user, assessment)
    rows = selectors.validation_sheet(assessment, session)
    institutions = list(session.institutions.order_by("acronym"))
    decided = [r for r in rows if r.decision is not None]
    changed = sum(
        1
        for r in decided
        if r.decision and r.decision.decision == ValidationDecision.Decision.CHANGED
    )
    context = {
        "assessment": assessment,
        "session": session,
        "institutions": institutions,
        "rows": rows,
        "confirmed_count": len(decided) - changed,
        "changed_count": changed,
        "undecided_count": len(rows) - len(decided),
        "can_decide": deciding,
        "coverage_choices": [(v, str(label)) for v, label in Indicator.Coverage.choices],
        "decide_url": reverse("validation_decide", args=[assessment.pk, session.pk]),
        "form": None,
    }
    if deciding and "form" not in extra:
        context["form"] = ValidationSessionForm(
            initial=ValidationSessionForm.initial_for(session, institutions),
            institutions=selectors.validation_institution_choices(assessment),
        )
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def validation_session(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """One session: its facts (editable while in validation) and the decision sheet."""
    user = _user(request)
    assessment = get_validation_assessment(request, pk)
    session = get_session(assessment, session_id)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        permissions.require(permissions.can_manage(user, assessment))
        form = ValidationSessionForm(
            request.POST, institutions=selectors.validation_institution_choices(assessment)
        )
        if _save_session(form, assessment=assessment, user=user, session=session):
            messages.success(request, _("The session's facts were saved."))
            return redirect("validation_session", pk=assessment.pk, session_id=session.pk)
        extra = {"form": form, "form_open": True}
    context = _session_context(request, assessment, session, **extra)
    return render(request, "assessments/validation_session.html", context)


# --- decisions --------------------------------------------------------------------------------


@login_required
@require_POST
def validation_decide(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """Record the session's decision on one indicator; htmx swaps the row in place."""
    user = _user(request)
    assessment = get_validation_assessment(request, pk)
    session = get_session(assessment, session_id)
    permissions.require(permissions.can_manage(user, assessment))
    indicator = get_object_or_404(
        Indicator, framework_id=assessment.framework_id, code=request.POST.get("indicator", "")
    )
    posted = {
        name: request.POST.get(name, "") for name in ("decision", "answer", "coverage", "reason")
    }
    error = ""
    try:
        services.validation_decide(session=session, indicator=indicator, actor=user, **posted)
    except services.ServiceError as exc:
        error = exc.message
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:  # type: ignore[attr-defined]
        context = _row_context(request, assessment, session, indicator)
        context.update({"row_error": error, "row_saved": not error, "posted": posted})
        return render(
            request,
            "assessments/validation_session.html#row",
            context,
            status=422 if error else 200,
        )
    if error:
        messages.error(request, f"{indicator.code}: {error}")
        context = _session_context(
            request, assessment, session, error_pk=indicator.pk, row_error=error, posted=posted
        )
        return render(request, "assessments/validation_session.html", context)
    messages.success(
        request,
        _("%(code)s: %(decision)s.")
        % {
            "code": indicator.code,
            "decision": ValidationDecision.Decision(posted["decision"]).label,
        },
    )
    url = reverse("validation_session", args=[assessment.pk, session.pk])
    return redirect(f"{url}#ind-{indicator.pk}")


def _row_context(
    request: HttpRequest, assessment: Assessment, session: ValidationSession, indicator: Indicator
) -> dict[str, Any]:
    [row] = selectors.validation_sheet(assessment, session, indicator=indicator)
    return {
        "assessment": assessment,
        "session": session,
        "row": row,
        "error_pk": indicator.pk,
        "can_decide": can_record(_user(request), assessment),
        "coverage_choices": [(v, str(label)) for v, label in Indicator.Coverage.choices],
        "decide_url": reverse("validation_decide", args=[assessment.pk, session.pk]),
    }


@login_required
@require_POST
def validation_confirm_rest(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """Confirm, in one step, every indicator this session has not decided on yet."""
    user = _user(request)
    assessment = get_validation_assessment(request, pk)
    session = get_session(assessment, session_id)
    permissions.require(permissions.can_manage(user, assessment))
    try:
        count = services.validation_confirm_rest(session=session, actor=user)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if count:
            messages.success(
                request,
                _("%(count)s indicators confirmed.") % {"count": count},
            )
        else:
            messages.info(request, _("Every indicator already has a decision in this session."))
    return redirect("validation_session", pk=assessment.pk, session_id=session.pk)


# --- minutes ----------------------------------------------------------------------------------


@login_required
def validation_minutes_pdf(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """The minutes as a PDF; `?lang=en|id` chooses the language, else the user's."""
    assessment = get_validation_assessment(request, pk)
    session = get_session(assessment, session_id)
    language = minutes.language_of(request.GET.get("lang"))
    response = HttpResponse(minutes.minutes_pdf(session, language), content_type="application/pdf")
    filename = minutes.minutes_filename(session, language, "pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = language
    return response


@login_required
def validation_minutes_xlsx(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """The minutes as an Excel workbook: the session, the institutions, the decisions."""
    assessment = get_validation_assessment(request, pk)
    session = get_session(assessment, session_id)
    language = minutes.language_of(request.GET.get("lang"))
    response = HttpResponse(
        minutes.minutes_xlsx(session, language), content_type=minutes.XLSX_CONTENT_TYPE
    )
    filename = minutes.minutes_filename(session, language, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Language"] = language
    return response


# --- snapshots --------------------------------------------------------------------------------


@login_required
def snapshot_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The numbered, frozen datasets of the assessment, newest first."""
    assessment = get_validation_assessment(request, pk)
    snapshots = list(selectors.snapshots_of(assessment))
    return render(
        request,
        "assessments/snapshot_list.html",
        {"assessment": assessment, "snapshots": snapshots},
    )


@login_required
def snapshot_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One snapshot, read-only, exactly as it was frozen."""
    assessment = get_validation_assessment(request, pk)
    snapshot = get_object_or_404(
        Snapshot.objects.select_related("approved_by"), assessment=assessment, number=number
    )
    latest = (
        Snapshot.objects.filter(assessment=assessment).order_by("-number").values("number").first()
    )
    context = {
        "assessment": assessment,
        "snapshot": snapshot,
        "view": snapshot_view(snapshot.data),
        "superseded_by": latest["number"] if latest and latest["number"] > number else None,
    }
    return render(request, "assessments/snapshot_detail.html", context)


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def snapshot_view(data: dict[str, Any]) -> dict[str, Any]:
    """The frozen data, with labels and texts in the active language, for the page."""
    lang = active_language()
    answers = {v: str(label) for v, label in Indicator.Answer.choices}
    coverages = {v: str(label) for v, label in Indicator.Coverage.choices}
    formats = {v: str(label) for v, label in ValidationSession.Format.choices}

    def text(item: dict[str, Any], name: str) -> str:
        return str(item.get(f"{name}_{lang}") or item.get(f"{name}_en") or "")

    indicators = [
        {
            "code": row.get("code", ""),
            "dimension": row.get("dimension"),
            "question": text(row, "question"),
            "answer": answers.get(row.get("answer", ""), row.get("answer", "")),
            "coverage": coverages.get(row.get("coverage", ""), ""),
            "narrative": text(row, "narrative"),
            "sources": [
                {
                    "institution": s.get("institution", ""),
                    "answer": answers.get(s.get("answer", ""), ""),
                }
                for s in row.get("sources", [])
            ],
            "evidence": [e.get("label") or e.get("title", "") for e in row.get("evidence", [])],
        }
        for row in data.get("indicators", [])
    ]
    sessions = []
    for s in data.get("validation", []):
        decisions = s.get("decisions", [])
        changes = [
            {
                "indicator": d.get("indicator", ""),
                "previous": answers.get(d.get("previous_answer", ""), ""),
                "answer": answers.get(d.get("answer", ""), ""),
                "reason": d.get("reason", ""),
            }
            for d in decisions
            if d.get("decision") == ValidationDecision.Decision.CHANGED
        ]
        sessions.append(
            {
                "held_on": _date(s.get("held_on")),
                "ends_on": _date(s.get("ends_on")),
                "format": formats.get(s.get("format", ""), s.get("format", "")),
                "place": s.get("place", ""),
                "participant_count": s.get("participant_count"),
                "institutions": s.get("institutions", []),
                "confirmed": len(decisions) - len(changes),
                "changes": changes,
            }
        )
    return {
        "title": text(data.get("assessment", {}), "title"),
        "institutions": data.get("institutions", []),
        "indicators": indicators,
        "sessions": sessions,
    }
