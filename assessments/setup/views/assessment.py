"""The assessments list, a new assessment, its page and workflow moves, and the
participating institutions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import errors, permissions
from assessments.models import Assignment
from assessments.permissions import request_user as _user
from assessments.setup import selectors as setup_selectors
from assessments.setup import services as setup_services
from assessments.setup.forms import AssessmentCreateForm, ParticipantsForm

# --- the assessments ----------------------------------------------------------------------


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "assessments": permissions.assessments_visible_to(user),
            "can_create": permissions.can_create_any_assessment(user),
        },
    )


# --- a new assessment ---------------------------------------------------------------------


@login_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    permissions.require(permissions.can_create_any_assessment(user))
    form = AssessmentCreateForm(
        request.POST or None, user=user, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        province = form.chosen_province()
        permissions.require(
            permissions.can_create_assessment(user, province_id=province.pk if province else None)
        )
        data = form.cleaned_data
        try:
            assessment = setup_services.assessment_create(
                actor=user,
                framework=data["framework"],
                province=province,
                year=data["year"],
                round=data["round"],
                title_en=data["title_en"],
                title_id=data["title_id"],
                previous=data["previous"],
                data_collection_deadline=data["data_collection_deadline"],
            )
        except errors.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Assessment created. Choose the participating institutions, then fill the survey matrix."
                ),
            )
            return redirect("assessment_detail", pk=assessment.pk)
    return render(
        request,
        "assessments/setup_create.html",
        {"form": form, "fixed_province": form.fixed_province},
    )


# --- the assessment page ------------------------------------------------------------------


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = permissions.get_assessment_for_user(user, pk)
    # Focal points see the assessment and their own institution's progress, nothing else.
    own = user.institution_id if user.is_focal_point else None
    if user.is_focal_point and own is None:
        raise Http404
    manage = permissions.can_manage(user, assessment)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "can_manage": manage,
            "can_view_matrix": permissions.can_follow_process(user),
            "history": assessment.status_changes.select_related("actor"),
            "gaps": [] if own else list(setup_selectors.matrix_gaps(assessment)),
            "progress": setup_selectors.institution_progress(assessment, institution_id=own),
            "moves": setup_selectors.allowed_moves(assessment) if manage else [],
        },
    )


@login_required
@require_POST
def assessment_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = permissions.get_managed_assessment_for_user(user, pk)
    try:
        setup_services.assessment_transition(
            assessment=assessment,
            actor=user,
            to=request.POST.get("to", ""),
            note=request.POST.get("note", "").strip(),
        )
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The assessment is now at the stage “%(status)s”.")
            % {"status": assessment.get_status_display()},
        )
    return redirect("assessment_detail", pk=assessment.pk)


# --- participants -------------------------------------------------------------------------


@login_required
def assessment_participants(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = permissions.get_managed_assessment_for_user(user, pk)
    eligible = setup_selectors.eligible_institutions(assessment).order_by("acronym")
    form = ParticipantsForm(request.POST or None, eligible=eligible)
    if request.method == "POST" and form.is_valid():
        setup_services.assessment_set_participants(
            assessment=assessment, actor=user, institutions=form.cleaned_data["institutions"]
        )
        messages.success(request, _("Participating institutions saved."))
        return redirect("assessment_detail", pk=assessment.pk)
    chosen = {str(v) for v in request.POST.getlist("institutions")} if form.is_bound else None
    current = set(assessment.participants.values_list("pk", flat=True))
    assigned = dict(
        Assignment.objects.filter(assessment=assessment)
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    )
    today = timezone.localdate()
    rows = [
        {
            "institution": institution,
            "checked": str(institution.pk) in chosen
            if chosen is not None
            else institution.pk in current,
            "assigned": assigned.get(institution.pk, 0),
            "defunct": not institution.is_valid_on(today),
        }
        for institution in eligible
    ]
    return render(
        request,
        "assessments/setup_participants.html",
        {"assessment": assessment, "form": form, "rows": rows},
    )
