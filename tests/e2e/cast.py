"""The people of the walk and the states each stage starts from, built through the services
(tests/conftest.py's builders), so that each stage test runs on its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ministries.models import Institution, User

from .conftest import make_user


@dataclass
class Cast:
    coordinator: Any
    facilitator: Any
    focal_a: Any  # Kemnaker
    focal_b: Any  # BP2MI
    focal_kemlu: Any


def cast() -> Cast:
    """The coordinator (MOFA), an IOM facilitator and the focal points of Kemnaker, BP2MI and
    KEMLU; every account's language is unset, so the browser's language applies."""
    inst = {
        i.acronym: i for i in Institution.objects.filter(acronym__in=["KEMNAKER", "BP2MI", "KEMLU"])
    }
    R = User.Role
    return Cast(
        coordinator=make_user("coordinator-kemlu", R.NATIONAL_COORDINATOR, inst["KEMLU"]),
        facilitator=make_user("facilitator-iom", R.FACILITATOR),
        focal_a=make_user("focal-kemnaker", R.FOCAL_POINT, inst["KEMNAKER"]),
        focal_b=make_user("focal-bp2mi", R.FOCAL_POINT, inst["BP2MI"]),
        focal_kemlu=make_user("focal-kemlu", R.FOCAL_POINT, inst["KEMLU"]),
    )
