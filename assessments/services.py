"""Writes to assessments."""

import datetime

from django.db import transaction

from indicators.models import FrameworkVersion
from ministries.models import Province, User

from .models import Assessment


@transaction.atomic
def assessment_create(
    *,
    actor: User | None,
    framework: FrameworkVersion,
    year: int,
    title_en: str,
    title_id: str,
    province: Province | None = None,
    round: int = 1,
    previous: Assessment | None = None,
    data_collection_deadline: datetime.date | None = None,
) -> Assessment:
    assessment = Assessment(
        framework=framework,
        scope=Assessment.Scope.PROVINCIAL if province else Assessment.Scope.NATIONAL,
        province=province,
        year=year,
        round=round,
        title_en=title_en,
        title_id=title_id,
        previous=previous,
        data_collection_deadline=data_collection_deadline,
        created_by=actor,
    )
    assessment.full_clean()
    assessment.save()
    return assessment
