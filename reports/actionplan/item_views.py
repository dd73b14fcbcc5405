"""The action plan's pages that write: an item's page with its updates, create (by hand or
from a finding), edit (409-like refusal on a stale version, the current one shown), post an
update, publish the plan (after the confirmation page of config/confirm.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.errors import ServiceError
from assessments.permissions import request_user as _user
from config.confirm import Confirmation, confirmation_page, is_confirmed

from . import permissions, reasons, selectors, services
from .forms import ItemForm, UpdateEvidenceForm, UpdateForm
from .models import ActionItem
from .views import dimension_names


def _update_form(request: HttpRequest, item: ActionItem, data: object = None) -> UpdateForm | None:
    user = _user(request)
    if not permissions.can_post_update(user, item):
        return None
    progress = permissions.can_post_progress(user, item)
    evidence = permissions.evidence_for_update(user, item)
    initial = {"language": request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("en", "id") else "en"}
    return UpdateForm(data, evidence=evidence, progress=progress, initial=initial)


def _evidence_form(
    request: HttpRequest, item: ActionItem, form: UpdateForm | None
) -> UpdateEvidenceForm | None:
    """The new-evidence part of a focal point's progress form (none for a comment)."""
    if form is None or not permissions.can_post_progress(_user(request), item):
        return None
    if request.method == "POST":
        return UpdateEvidenceForm(request.POST, request.FILES)
    return UpdateEvidenceForm()


def _item_page(
    request: HttpRequest,
    item: ActionItem,
    form: UpdateForm | None,
    status: int = 200,
    evidence_form: UpdateEvidenceForm | None = None,
) -> HttpResponse:
    user = _user(request)
    history = [
        (row, reasons.reason_text(row.history_change_reason))
        for row in item.history.select_related("history_user").order_by("-history_date")[:50]
    ]
    context = {
        "item": item,
        "assessment": item.plan.assessment,
        "updates": selectors.item_updates(item),
        "form": form,
        "evidence_form": evidence_form or _evidence_form(request, item, form),
        "can_manage": permissions.can_manage_plan(user, item.plan.assessment),
        "posts_progress": permissions.can_post_progress(user, item),
        "history": history,
        "dimension_name": dimension_names(item.plan.assessment).get(item.dimension or 0, ""),
    }
    return render(request, "reports/actionplan/item.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_item_for_user(_user(request), pk)
    return _item_page(request, item, _update_form(request, item))


@login_required
@require_POST
def update_post_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress update or a comment, by the person's role on the item."""
    user = _user(request)
    item = permissions.get_item_for_user(user, pk, post=True)
    form = _update_form(request, item, request.POST)
    assert form is not None
    evidence_form = _evidence_form(request, item, form)
    valid = form.is_valid()
    if evidence_form is not None and not evidence_form.is_valid():
        valid = False
    if not valid:
        return _item_page(request, item, form, 400, evidence_form)
    data = form.cleaned_data
    try:
        services.update_post(
            item=item,
            actor=user,
            kind=permissions.update_kind_for(user, item),
            text=data["text"],
            language=data["language"],
            percent=data.get("percent"),
            evidence=data.get("evidence") or [],
            new_evidence=evidence_form.values() if evidence_form is not None else None,
        )
    except ValidationError as error:  # the new evidence's problems, by field
        assert evidence_form is not None
        evidence_form.add_service_errors(error)
        return _item_page(request, item, form, 400, evidence_form)
    except ServiceError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _item_page(request, item, form, 400, evidence_form)
    messages.success(request, _("Your update is posted."))
    return redirect("action_item", pk=item.pk)


def _form_page(request: HttpRequest, form: ItemForm, **context: object) -> HttpResponse:
    status = 400 if form.is_bound else 200
    status = int(context.pop("status", status))  # type: ignore[call-overload]
    return render(
        request, "reports/actionplan/item_form.html", {"form": form, **context}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = permissions.get_plan_assessment_for_user(user, pk, manage=True)
    if request.method != "POST":
        return _form_page(request, ItemForm(), assessment=assessment)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.item_create(assessment=assessment, actor=user, values=form.values())
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The action is added to the plan."))
            return redirect("action_item", pk=item.pk)
    return _form_page(request, form, assessment=assessment)


@login_required
@require_POST
def item_from_finding_view(request: HttpRequest, pk: int, finding_id: int) -> HttpResponse:
    """One click: an item from an area with potential for further development, from the plan
    page (then its edit page) or from the findings editor (`from=findings`: then the new
    item's page, and back to the editor when refused)."""
    user = _user(request)
    assessment = permissions.get_plan_assessment_for_user(user, pk, manage=True)
    finding = permissions.get_plan_finding(assessment, finding_id)
    from_editor = request.POST.get("from") == "findings"
    try:
        item = services.item_create_from_finding(finding=finding, actor=user)
    except ServiceError as error:
        messages.error(request, error.message)
        if from_editor:
            url = reverse("profile_findings", args=[finding.profile_id])
            return redirect(f"{url}#finding-{finding.pk}")
        return redirect("action_plan", pk=assessment.pk)
    if from_editor:
        messages.success(request, _("The finding is added to the action plan as this action."))
        return redirect("action_item", pk=item.pk)
    messages.success(request, _("The action is created from the finding; check its details."))
    return redirect("action_item_edit", pk=item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = permissions.get_item_for_user(user, pk, manage=True)
    context = {"assessment": item.plan.assessment, "item": item}
    if request.method != "POST":
        return _form_page(request, ItemForm(initial=ItemForm.initial_for(item)), **context)
    form = ItemForm(request.POST)
    if form.is_valid():
        version = form.cleaned_data.get("version") or 0
        try:
            item = services.item_update(
                item=item, actor=user, version=version, values=form.values()
            )
        except services.StaleItem as stale:
            form.add_error(None, stale.message)
            return _form_page(request, form, current=stale.current, status=409, **context)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The action is saved."))
            return redirect("action_item", pk=item.pk)
    return _form_page(request, form, **context)


@login_required
@require_POST
def plan_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the plan: its public items appear on the published profile's public page."""
    user = _user(request)
    plan = permissions.get_plan_for_user(user, pk, manage=True)
    back = reverse("action_plan", args=[pk])
    if not is_confirmed(request):
        public = plan.items.filter(public=True).count()
        hidden = plan.items.filter(public=False).count()
        confirmation = Confirmation(
            title=_("Publish the action plan"),
            action_url=reverse("action_plan_publish", args=[pk]),
            cancel_url=back,
            confirm_label=_("Publish the action plan"),
            consequences=[
                _(
                    "%(n)s actions and their status appear on the public page of the published profile and in its data files, for everyone."
                )
                % {"n": public},
                _("%(n)s actions marked not public stay visible to the staff only.")
                % {"n": hidden},
            ],
            notified=[_("Nobody is told by email.")],
            blocked=plan.published,
            missing=[_("The action plan is already published.")] if plan.published else [],
        )
        return confirmation_page(request, confirmation)
    try:
        services.plan_publish(plan=plan, actor=user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The action plan is published."))
    return redirect(back)
