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
