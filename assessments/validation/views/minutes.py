"""The minutes of a validation session as downloads: PDF and Excel, in English or Bahasa
Indonesia (`?lang=en|id`, else the user's language). Readers of the validation records
(`permissions.get_validation_session_for_user`) may download them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from assessments import permissions
from assessments.permissions import request_user as _user
from assessments.validation import minutes


@login_required
def validation_minutes_pdf(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """The minutes as a PDF; `?lang=en|id` chooses the language, else the user's."""
    session = permissions.get_validation_session_for_user(_user(request), pk, session_id)
    language = minutes.language_of(request.GET.get("lang"))
    response = HttpResponse(minutes.minutes_pdf(session, language), content_type="application/pdf")
    filename = minutes.minutes_filename(session, language, "pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = language
    return response


@login_required
def validation_minutes_xlsx(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """The minutes as an Excel workbook: the session, the institutions, the decisions."""
    session = permissions.get_validation_session_for_user(_user(request), pk, session_id)
    language = minutes.language_of(request.GET.get("lang"))
    response = HttpResponse(
        minutes.minutes_xlsx(session, language), content_type=minutes.XLSX_CONTENT_TYPE
    )
    filename = minutes.minutes_filename(session, language, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Language"] = language
    return response
