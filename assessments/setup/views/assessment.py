"""The assessments list, a new assessment, its page and workflow moves, and the
participating institutions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments import errors, permissions
from assessments.frozen import correction_started
from assessments.models import Assessment, Assignment
from assessments.permissions import request_user as _user
from assessments.setup import selectors as setup_selectors
from assessments.setup import services as setup_services
from assessments.setup.carry_forward import (
    OPEN_STATUSES,
    assessment_carry_forward,
    carry_forward_plan,
    carry_forward_sources,
    check_carry_forward,
)
from assessments.setup.forms import AssessmentCreateForm, ParticipantsForm
from assessments.setup.views import moves
from config.confirm import Confirmation, confirmation_page, is_confirmed

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
            "today": timezone.localdate(),  # an overdue deadline is marked
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
            "correction_started": correction_started(assessment),
            "carry_sources": list(carry_forward_sources(assessment))
            if manage and assessment.status in OPEN_STATUSES
            else [],
        },
    )


@login_required
@require_POST
def assessment_carry_forward_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry an earlier round's answers into this one's blank drafts, after confirmation."""
    user = _user(request)
    assessment = permissions.get_managed_assessment_for_user(user, pk)
    source_id = request.POST.get("source", "")
    source = (
        carry_forward_sources(assessment)
        .filter(pk=int(source_id) if source_id.isdigit() else 0)
        .first()
    )
    if source is None:
        messages.error(request, _("Choose an earlier assessment of the same scope."))
        return redirect("assessment_detail", pk=assessment.pk)
    if not is_confirmed(request):
        return confirmation_page(request, _carry_confirmation(assessment, source))
    try:
        count = assessment_carry_forward(assessment=assessment, source=source, actor=user)
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s answer carried forward, to be confirmed by its institution.",
                "%(count)s answers carried forward, to be confirmed by their institutions.",
                count,
            )
            % {"count": count},
        )
    return redirect("assessment_detail", pk=assessment.pk)


def _carry_confirmation(assessment: Assessment, source: Assessment) -> Confirmation:
    plan = carry_forward_plan(assessment, source)
    count = len(plan.pairs)
    confirmation = Confirmation(
        title=_("Carry forward the answers of %(title)s") % {"title": source.tr("title")},
        action_url=reverse("assessment_carry_forward", args=[assessment.pk]),
        cancel_url=reverse("assessment_detail", args=[assessment.pk]),
        confirm_label=ngettext(
            "Carry %(count)s answer forward", "Carry %(count)s answers forward", count
        )
        % {"count": count},
        consequences=[
            ngettext(
                "%(count)s blank draft will be filled with the earlier answer, its "
                "justification and evidence, as an unconfirmed draft.",
                "%(count)s blank drafts will be filled with the earlier answers, their "
                "justifications and evidence, as unconfirmed drafts.",
                count,
            )
            % {"count": count},
            _("Institutions: %(list)s.")
            % {"list": ", ".join(f"{a} ({n})" for a, n in plan.by_institution.items()) or "—"},
            _(
                "Drafts that already hold an answer, a justification or evidence are left as "
                "they are. A carried-forward answer counts as blank until a focal point of its "
                "institution confirms or saves it."
            ),
        ],
        notified=[
            _(
                "Nobody is emailed: the focal points see the answers to confirm on their entry "
                "page and home page."
            )
        ],
        hidden=[("source", source.pk)],
    )
    try:
        check_carry_forward(assessment, source)
    except errors.ServiceError as exc:
        confirmation.blocked = True
        confirmation.missing.append(exc.message)
    else:
        if not count:
            confirmation.blocked = True
            confirmation.missing.append(
                _("No blank draft of this round has an answer in the earlier assessment.")
            )
    return confirmation


@login_required
@require_POST
def assessment_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = permissions.get_managed_assessment_for_user(user, pk)
    to, note = request.POST.get("to", ""), request.POST.get("note", "").strip()
    # Closing data collection and approving the validated answers first show what follows.
    if moves.needs_confirmation(assessment, to) and not is_confirmed(request):
        return confirmation_page(request, moves.move_confirmation(assessment, to, note, user))
    try:
        setup_services.assessment_transition(assessment=assessment, actor=user, to=to, note=note)
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
    facilitators = setup_selectors.facilitator_choices()
    form = ParticipantsForm(request.POST or None, eligible=eligible, facilitators=facilitators)
    if request.method == "POST" and form.is_valid():
        setup_services.assessment_set_participants(
            assessment=assessment, actor=user, institutions=form.cleaned_data["institutions"]
        )
        setup_services.assessment_set_facilitators(
            assessment=assessment, actor=user, facilitators=form.cleaned_data["facilitators"]
        )
        messages.success(request, _("Participating institutions saved."))
        return redirect("assessment_detail", pk=assessment.pk)
    chosen = {str(v) for v in request.POST.getlist("institutions")} if form.is_bound else None
    named = (
        {str(v) for v in request.POST.getlist("facilitators")}
        if form.is_bound
        else {str(pk) for pk in assessment.facilitators.values_list("pk", flat=True)}
    )
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
        {
            "assessment": assessment,
            "form": form,
            "rows": rows,
            "facilitators": [(f, str(f.pk) in named) for f in facilitators],
        },
    )
