"""Demonstration assessments: the national 2023 round open for data collection, and the
Central Java 2023 round carried to approval. Called by `seed_demo` after `ministries.demo`;
idempotent (each step is skipped once the assessment is past it)."""

from io import TextIOBase

from assessments.demo.central_java import JAKARTA, CentralJavaCycle, central_java_assessment
from assessments.demo.national import national_assessment, national_matrix
from assessments.models import Assessment
from ministries.models import Institution, User

__all__ = ["JAKARTA", "CentralJavaCycle", "seed_assessments"]


def seed_assessments(out: TextIOBase) -> Assessment:
    """Both demo assessments; gives back Central Java's for the profile's demo."""
    institutions = {i.acronym: i for i in Institution.objects.all()}
    national = national_assessment(User.objects.get(username="coordinator"))
    national_matrix(national, User.objects.get(username="coordinator"), institutions)
    out.write(f"Indonesia 2023: {Assessment.Status(national.status).label}\n")
    central_java = central_java_assessment(User.objects.get(username="jateng-coordinator"))
    CentralJavaCycle(central_java, institutions).run()
    return central_java
