"""The register of legal instruments (every signed-in person reads it; administrators and
coordinators add and correct instruments) and the citations to resolve (typed citations
that administrators and coordinators link to the register)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import errors, permissions
from assessments.permissions import request_user as _user
from assessments.register import selectors, services
from assessments.register.forms import InstrumentForm, ResolveForm
from indicators import instruments
from indicators.bilingual import active_language
from indicators.models import LegalInstrument


@require_safe
@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    permissions.require(permissions.can_read_register(user))
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in LegalInstrument.Kind.values else ""
    context = {
        "rows": selectors.register_rows(query=query, kind=kind),
        "query": query,
        "kind": kind,
        "kinds": LegalInstrument.Kind.choices,
        "can_edit": permissions.can_edit_register(user),
    }
    return render(request, "assessments/register_list.html", context)


def _instrument_form(request: HttpRequest, instrument: LegalInstrument | None) -> HttpResponse:
    """Add (`instrument` None) or correct an instrument of the register."""
    user = _user(request)
    permissions.require(permissions.can_edit_register(user))
    initial = _from_citation(request) if instrument is None else {}
    form = InstrumentForm(request.POST or None, instance=instrument, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422  # unless it is saved below
        if form.is_valid():
            try:
                saved = services.instrument_save(
                    actor=user, instrument=instrument, **form.cleaned_data
                )
            except ValidationError as exc:
                for name, problems in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(
                    request,
                    _("Saved in the register: %(citation)s.")
                    % {"citation": instruments.cite(saved, language=active_language())},
                )
                return redirect("register_list")
    context = {"form": form, "instrument": instrument}
    return render(request, "assessments/register_form.html", context, status=status)


def _from_citation(request: HttpRequest) -> dict[str, object]:
    """A new instrument prefilled from the citation being resolved (?citation=<id>)."""
    pk = request.GET.get("citation", "")
    if not pk.isdigit():
        return {}
    evidence = permissions.get_citation_to_resolve_for_user(_user(request), int(pk))
    return {"number": evidence.number, "year": evidence.year, "title_id": evidence.title}


@require_http_methods(["GET", "POST"])
@login_required
def register_add(request: HttpRequest) -> HttpResponse:
    return _instrument_form(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def register_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_edit_register(_user(request)):
        raise PermissionDenied
    return _instrument_form(request, get_object_or_404(LegalInstrument, pk=pk))


@require_safe
@login_required
def citations_resolve(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    permissions.require(permissions.can_edit_register(user))
    return render(
        request,
        "assessments/citations_resolve.html",
        {"found": selectors.citations_to_resolve(user), "errors": {}},
    )


@require_POST
@login_required
def citation_link(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    evidence = permissions.get_citation_to_resolve_for_user(user, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        found = selectors.citations_to_resolve(user)
        context = {"found": found, "errors": {evidence.pk: form.errors["instrument"]}}
        return render(request, "assessments/citations_resolve.html", context, status=422)
    instrument = form.cleaned_data["instrument"]
    try:
        services.citation_resolve(evidence=evidence, instrument=instrument, actor=user)
    except errors.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("“%(title)s” now cites %(citation)s.")
            % {
                "title": evidence.title,
                "citation": instruments.cite(instrument, language=active_language()),
            },
        )
    return redirect("citations_resolve")
