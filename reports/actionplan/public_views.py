"""The published action plan's downloads on the public side (no login): CSV, Excel, JSON;
404 until the coordinator publishes the plan. Cached like the profile's data files: the
validators follow the plan's last change (selectors.public_profile_version)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from .. import freshness
from ..public import caching
from . import exports, selectors


def plan_validators(request: HttpRequest, profile_id: int, fmt: str) -> caching.Validators:
    version = freshness.public_profile_version(profile_id)
    return caching.validators_for(version, "action-plan", fmt)


@require_safe
@caching.public_cache(plan_validators, by_language=True)
def public_plan_data(request: HttpRequest, profile_id: int, fmt: str) -> HttpResponse:
    profile, _plan, items = selectors.public_plan(profile_id)
    return exports.plan_response(profile, items, fmt)
