"""Sign-in protection shared by the login page, the token endpoint and the admin: the client
address django-axes counts failures by, and the answer to a locked-out sign-in."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only as far as MGI_TRUSTED_PROXY_COUNT
    proxies: each of them appends the address it saw, so the client is the entry that many
    places from the right; whatever stands left of it the client wrote itself. With no
    trusted proxy (the default) the header is ignored. Same rule as DRF's NUM_PROXIES."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    count = settings.MGI_TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
        if part.strip()
    ]
    if count <= 0 or not forwarded:
        return remote
    candidate = forwarded[-min(count, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return ngettext(
        "Too many failed sign-ins for this account or from this address. Signing in is "
        "blocked for %(minutes)d minute. Try again later, or ask an administrator to "
        "unlock the account.",
        "Too many failed sign-ins for this account or from this address. Signing in is "
        "blocked for %(minutes)d minutes. Try again later, or ask an administrator to "
        "unlock the account.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: 429 in the reader's language, JSON for the API."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    message = lockout_message()
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = retry_after
    return response
