"""The demonstration survey matrix of the national 2023 assessment (fictional assignments).

Keys are indicator codes or sub-area codes (an indicator code wins over its sub-area);
values are (lead institution, contributing institutions).
"""

NATIONAL_2023_PARTICIPANTS = [
    "KEMLU", "KEMENDAGRI", "DUKCAPIL", "KEMNAKER", "BP2MI", "KEMENKUMHAM", "IMIGRASI",
    "BPS", "KEMENKO-PMK", "KEMENKO-POLHUKAM", "BAPPENAS", "KEMENPPPA", "KEMENKES",
    "KEMENDIKBUDRISTEK", "KEMENSOS", "KEMENDESA", "KEMENKEU", "BNPB", "BI", "OJK", "POLRI",
    "KOMNAS-HAM", "BPJS-KETENAGAKERJAAN",
]  # fmt: skip

NATIONAL_2023_MATRIX: dict[str, tuple[str, list[str]]] = {
    "1.1.1": ("KEMENKES", []),
    "1.1.2": ("KEMENKES", ["KEMENSOS"]),
    "1.1.3": ("KEMENDIKBUDRISTEK", []),
    "1.1.4": ("KEMENDIKBUDRISTEK", []),
    "1.1.5": ("BPJS-KETENAGAKERJAAN", ["KEMNAKER"]),
    "1.1.6": ("KEMNAKER", ["BP2MI", "BPJS-KETENAGAKERJAAN"]),
    "1.1.7": ("KEMENKUMHAM", ["KOMNAS-HAM"]),
    "1.1.8": ("KEMENKUMHAM", ["KEMNAKER"]),
    "1.2": ("IMIGRASI", []),
    "1.3": ("KEMNAKER", ["BP2MI"]),
    "1.4": ("IMIGRASI", ["KEMENKUMHAM"]),
    "1.4.2": ("KEMENKUMHAM", []),
    "1.4.3": ("KEMENKUMHAM", ["KEMLU"]),
    "1.5": ("KEMNAKER", ["KEMLU"]),
    "1.5.2": ("KEMLU", []),
    "1.6": ("KEMLU", ["KEMNAKER", "BP2MI"]),
    "2.1": ("KEMLU", ["KEMENKO-PMK"]),
    "2.1.3": ("KEMENKO-PMK", ["KEMLU"]),
    "2.2": ("BAPPENAS", ["KEMLU"]),
    "2.2.5": ("KEMENPPPA", ["BAPPENAS"]),
    "2.3": ("KEMENKUMHAM", []),
    "2.3.1": ("IMIGRASI", ["KEMENKUMHAM"]),
    "2.3.2": ("BP2MI", ["KEMNAKER"]),
    "2.3.3": ("KEMENKO-POLHUKAM", ["IMIGRASI"]),
    "2.4": ("KEMLU", []),
    "2.4.3": ("BP2MI", ["KEMNAKER"]),
    "2.4.4": ("KEMENDAGRI", ["BP2MI"]),
    "2.5": ("BPS", ["IMIGRASI", "BP2MI"]),
    "3.1": ("KEMLU", ["KEMNAKER"]),
    "3.1.3": ("POLRI", ["KEMLU"]),
    "3.2": ("KEMLU", []),
    "3.2.3": ("KEMNAKER", ["BP2MI", "KEMLU"]),
    "3.2.5": ("POLRI", ["KEMLU", "IMIGRASI"]),
    "3.3": ("KEMLU", ["BP2MI"]),
    "4.1": ("BP2MI", ["KEMNAKER"]),
    "4.1.1": ("KEMNAKER", ["BP2MI"]),
    "4.1.6": ("KEMNAKER", []),
    "4.2": ("KEMNAKER", ["KEMENDIKBUDRISTEK"]),
    "4.2.3": ("BP2MI", ["KEMNAKER"]),
    "4.3": ("KEMENDIKBUDRISTEK", ["IMIGRASI"]),
    "4.4": ("KEMNAKER", ["BP2MI", "KEMLU"]),
    "4.5": ("BI", ["OJK", "BP2MI"]),
    "4.6": ("KEMLU", ["BP2MI"]),
    "4.6.2": ("KEMENDESA", ["BP2MI"]),
    "5.1": ("BNPB", ["KEMLU"]),
    "5.2": ("KEMLU", ["BNPB"]),
    "5.2.2": ("IMIGRASI", []),
    "5.2.3": ("KEMENKO-POLHUKAM", ["IMIGRASI"]),
    "5.2.5": ("KEMENSOS", ["BNPB"]),
    "5.3": ("BNPB", ["KEMLU"]),
    "5.3.1": ("BP2MI", ["KEMLU"]),
    "6.1": ("IMIGRASI", ["POLRI"]),
    "6.2": ("IMIGRASI", []),
    "6.3": ("BP2MI", ["KEMENSOS"]),
    "6.3.2": ("IMIGRASI", []),
    "6.4": ("POLRI", ["KEMENPPPA", "KEMENSOS"]),
    "6.4.2": ("KEMENPPPA", ["POLRI"]),
    "6.4.3": ("KEMENPPPA", []),
    "6.5": ("KEMLU", ["DUKCAPIL"]),
    "6.5.2": ("DUKCAPIL", ["KEMLU"]),
}


def assignment_for(indicator_code: str, subarea_code: str) -> tuple[str, list[str]]:
    if indicator_code in NATIONAL_2023_MATRIX:
        return NATIONAL_2023_MATRIX[indicator_code]
    return NATIONAL_2023_MATRIX[subarea_code]


# --- Central Java 2023: a completed round (fictional answers) ------------------------------

JATENG_2023_PARTICIPANTS = [
    "SETDA-JATENG", "BIRO-PEMERINTAHAN-JATENG", "DISNAKERTRANS-JATENG", "BAPPEDA-JATENG",
    "DINKES-JATENG", "DISDIKBUD-JATENG", "DINSOS-JATENG", "BPBD-JATENG", "DP3AP2KB-JATENG",
    "KESBANGPOL-JATENG", "DISPERMADESDUKCAPIL-JATENG", "DISKOMINFO-JATENG",
    "DINKOPUKM-JATENG", "BP3MI-JATENG", "KANIM-SEMARANG", "POLDA-JATENG",
]  # fmt: skip

# Lead institution per dimension, with per-sub-area exceptions; contributors by dimension.
JATENG_LEADS = {
    "1": "DISNAKERTRANS-JATENG", "1.1": "DINKES-JATENG", "2": "BAPPEDA-JATENG",
    "2.1": "BIRO-PEMERINTAHAN-JATENG", "3": "BIRO-PEMERINTAHAN-JATENG",
    "4": "DISNAKERTRANS-JATENG", "5": "BPBD-JATENG", "6": "KESBANGPOL-JATENG",
    "6.1": "KANIM-SEMARANG",
}  # fmt: skip
JATENG_CONTRIBUTORS = {
    "1": ["BP3MI-JATENG"], "4": ["BP3MI-JATENG", "DINKOPUKM-JATENG"], "5": ["DINSOS-JATENG"],
    "6": ["POLDA-JATENG", "DP3AP2KB-JATENG"],
}  # fmt: skip


def jateng_assignment(code: str, subarea: str) -> tuple[str, list[str]]:
    dimension = code.split(".")[0]
    lead = JATENG_LEADS.get(subarea) or JATENG_LEADS[dimension]
    contributors = [c for c in JATENG_CONTRIBUTORS.get(dimension, []) if c != lead]
    return lead, contributors


def jateng_answer(code: str, *, national_competence: bool) -> str:
    """A fixed, fictional answer per indicator (the same on every run)."""
    if national_competence:
        return "na"
    weight = sum(int(part) * (i + 3) for i, part in enumerate(code.split("."))) % 7
    return "yes" if weight in (0, 1, 2, 3) else "partial" if weight in (4, 5) else "no"


JATENG_NARRATIVES = {
    "yes": (
        "Demonstration: the provincial government has this measure in place, set out in "
        "regional regulation and applied by the responsible offices.",
        "Demonstrasi: pemerintah provinsi telah memiliki langkah ini, diatur dalam peraturan "
        "daerah dan dilaksanakan oleh perangkat daerah yang berwenang.",
    ),
    "partial": (
        "Demonstration: the measure exists for some groups or districts only, or is planned "
        "but not yet regulated.",
        "Demonstrasi: langkah ini baru ada untuk sebagian kelompok atau kabupaten/kota, atau "
        "sudah direncanakan tetapi belum diatur.",
    ),
    "no": (
        "Demonstration: no provincial measure was found for this indicator.",
        "Demonstrasi: tidak ditemukan langkah provinsi untuk indikator ini.",
    ),
    "na": (
        "Demonstration: a national competence; the province has no delegated task here.",
        "Demonstrasi: kewenangan nasional; provinsi tidak memiliki tugas yang dilimpahkan.",
    ),
}

# Written by the provincial coordinator (Central Java's government), so in Indonesian: the
# demo's notes read as a real focal point or coordinator would write them. What an IOM
# facilitator writes (review comments) stays in English.
JATENG_FGD_NOTES = (
    "Catatan demonstrasi: diskusi kelompok terpumpun (FGD) validasi diikuti perangkat daerah "
    "Provinsi Jawa Tengah, instansi vertikal dan perwakilan IOM; semua indikator dibahas "
    "satu per satu."
)
JATENG_FGD_CHANGE_REASON = (
    "Demo: peraturan gubernur tentang layanan terpadu satu atap bagi pekerja migran yang "
    "ditetapkan pada 2023 ditunjukkan dalam FGD, sehingga jawaban diubah menjadi Ya."
)
JATENG_FGD_NARRATIVE = (
    "Demonstration: a governor regulation of 2023 on one-stop integrated services for "
    "migrant workers, shown at the focus group discussion, puts this measure in place.",
    "Demonstrasi: peraturan gubernur tahun 2023 tentang layanan terpadu satu atap bagi "
    "pekerja migran, yang ditunjukkan dalam FGD, menetapkan langkah ini.",
)

# The demonstration's own governor regulation: the demo's answers cite a provincial measure,
# and none is invented under a real-looking number. The demo adds it to the register (the
# reference data, indicators/data/legal_instruments.yaml, never holds it).
JATENG_DEMO_INSTRUMENT = {
    "kind": "pergub",
    "number": "DEMO-1",
    "year": 2022,
    "issuer_name_en": "Central Java",
    "issuer_name_id": "Jawa Tengah",
    "title_id": "Layanan Terpadu Satu Atap Pelindungan Pekerja Migran Indonesia (demonstrasi)",
    "title_en": (
        "the One-Stop Integrated Service for the Protection of Indonesian Migrant Workers "
        "(demonstration)"
    ),
}
# What each institution's evidence library cites: instruments of the register, by short form.
JATENG_CITATIONS = [
    {"instrument": "UU 18/2017"},
    {"instrument": "PP 59/2021"},
    {"instrument": "Pergub Jawa Tengah DEMO-1/2022"},
]
