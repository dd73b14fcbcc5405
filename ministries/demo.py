"""Demonstration people: institutions, provinces and one login per role (password "demo").

Called by the `seed_demo` command, first; idempotent. Never in production: the command
refuses to run there.
"""

from io import TextIOBase

from ministries import services
from ministries.models import Institution, Province, User

DEMO_PASSWORD = "demo"  # noqa: S105 - published demo logins, refused under production settings

# (username, role, institution acronym, province code, full name)
DEMO_USERS: list[tuple[str, str, str | None, str | None, str]] = [
    ("admin", User.Role.ADMINISTRATOR, None, None, "Portal Administrator"),
    ("coordinator", User.Role.NATIONAL_COORDINATOR, "KEMLU", None, "Dewi Kusuma (MOFA)"),
    ("facilitator", User.Role.FACILITATOR, None, None, "Maria Santos (IOM)"),
    ("focal-kemnaker", User.Role.FOCAL_POINT, "KEMNAKER", None, "Budi Santoso"),
    ("focal-bp2mi", User.Role.FOCAL_POINT, "BP2MI", None, "Siti Rahmawati"),
    ("focal-kemlu", User.Role.FOCAL_POINT, "KEMLU", None, "Andi Pratama"),
    ("focal-imigrasi", User.Role.FOCAL_POINT, "IMIGRASI", None, "Rina Wulandari"),
    ("focal-bps", User.Role.FOCAL_POINT, "BPS", None, "Agus Setiawan"),
    (
        "jateng-coordinator",
        User.Role.PROVINCIAL_COORDINATOR,
        None,
        "33",
        "Sri Lestari (Jawa Tengah)",
    ),
    ("focal-disnakertrans", User.Role.FOCAL_POINT, "DISNAKERTRANS-JATENG", None, "Wahyu Hidayat"),
    ("focal-bpbd-jateng", User.Role.FOCAL_POINT, "BPBD-JATENG", None, "Yuni Astuti"),
]


def seed_people(out: TextIOBase) -> None:
    """Institutions and provinces from the reference list, and the demo logins."""
    result = services.institutions_load()
    out.write(f"institutions and provinces: {result.created} created, {result.updated} updated\n")
    institutions = {i.acronym: i for i in Institution.objects.all()}
    provinces = {p.code: p for p in Province.objects.all()}
    for username, role, acronym, province, name in DEMO_USERS:
        first, _, last = name.partition(" ")
        services.user_upsert(
            username=username,
            role=role,
            password=DEMO_PASSWORD,
            email=f"{username}@demo.mgi.localhost",
            first_name=first,
            last_name=last,
            institution=institutions[acronym] if acronym else None,
            province=provinces[province] if province else None,
            is_staff=role == User.Role.ADMINISTRATOR,
            is_superuser=role == User.Role.ADMINISTRATOR,
        )


def demo_focal_point(institution: Institution) -> User:
    """The demo focal point of an institution (created on first use)."""
    acronym = institution.acronym.lower()
    user, _created = services.user_upsert(
        username=f"focal-{acronym}",
        role=User.Role.FOCAL_POINT,
        password=DEMO_PASSWORD,
        email=f"focal-{acronym}@demo.mgi.localhost",
        institution=institution,
    )
    return user
