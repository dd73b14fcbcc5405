"""Framework versions over time: wording corrected in the 2023 versions with change notes,
the 2025 version with its code mapping from 2023, and answers read through that mapping."""

import datetime
import importlib
import io
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from openpyxl import Workbook, load_workbook

from indicators import framework_io, services
from indicators.framework_io import FrameworkInvalid
from indicators.models import (
    Dimension,
    FrameworkChangeNote,
    FrameworkVersion,
    Indicator,
    IndicatorGCMLink,
    IndicatorMapping,
    SDGSubcategory,
    SubArea,
)
from indicators.resources import framework_workbook_bytes
from indicators.selectors import mapped_answers
from ministries.models import Institution

pytestmark = pytest.mark.django_db

NATIONAL_FILE = framework_io.FRAMEWORKS_DIR / "mgi-national-2023.yaml"
KP2MI_NAMES = ("Ministry of Protection of Indonesian Migrant Workers", "Kementerian Pelindungan")
MIGRATION = importlib.import_module("indicators.migrations.0003_framework_mapping")


def texts_of(framework: str) -> list[tuple[str, str]]:
    """(where, text) for every text of a framework version, in both languages."""
    out = []
    for i in Indicator.objects.filter(framework__code=framework):
        for name in ("question_en", "question_id", "guidance_en", "guidance_id"):
            out.append((f"{i.code} {name}", getattr(i, name)))
    for s in SubArea.objects.filter(dimension__framework__code=framework):
        out += [(f"{s.code} name_en", s.name_en), (f"{s.code} name_id", s.name_id)]
    return out


# --- wording corrections in the 2023 versions ----------------------------------------------


@pytest.mark.parametrize("framework", ["mgi-national-2023", "mgi-local-2023"])
def test_2023_texts_name_bp2mi_not_the_ministry_formed_in_2024(framework):
    for where, text in texts_of(framework):
        assert not any(name in text for name in KP2MI_NAMES), where
    code = "2.1.1" if framework == "mgi-national-2023" else "3.1.1"
    indicator = Indicator.objects.get(framework__code=framework, code=code)
    field = "guidance" if framework == "mgi-national-2023" else "question"
    assert "Indonesian Migrant Worker Protection Agency" in getattr(indicator, f"{field}_en")
    assert "BP2MI" in getattr(indicator, f"{field}_en")
    assert "Badan Pelindungan Pekerja Migran Indonesia" in getattr(indicator, f"{field}_id")


def test_the_institution_register_keeps_the_succession_bp2mi_to_kp2mi():
    bp2mi = Institution.objects.select_related("successor").get(acronym="BP2MI")
    assert bp2mi.valid_to == datetime.date(2024, 10, 20)
    assert bp2mi.successor is not None and bp2mi.successor.acronym == "KP2MI"
    assert bp2mi.successor.valid_from == datetime.date(2024, 10, 21)
    assert bp2mi.is_valid_on(datetime.date(2023, 6, 20))
    assert not bp2mi.successor.is_valid_on(datetime.date(2023, 6, 20))


@pytest.mark.parametrize("framework", ["mgi-national-2023", "mgi-local-2023", "mgi-national-2025"])
def test_dimension_6_indonesian_wording_says_teratur_throughout(framework):
    dim = Dimension.objects.get(framework__code=framework, number=6)
    assert dim.name_id == "Migrasi yang aman, tertib dan teratur"
    texts = [dim.name_id, dim.migof_id, dim.description_id]
    texts += [s.name_id for s in dim.subareas.all()]
    for i in dim.indicators.all():
        texts += [i.question_id, i.guidance_id]
    assert all("reguler" not in t.lower() for t in texts)
    assert sum("teratur" in t for t in texts) >= 2


def test_2023_versions_carry_a_change_note_per_corrected_text():
    notes = {
        (n.framework.code, n.element, n.field): n
        for n in FrameworkChangeNote.objects.select_related("framework")
    }
    assert set(notes) == {
        ("mgi-national-2023", "2.1.1", "guidance_en"),
        ("mgi-national-2023", "2.1.1", "guidance_id"),
        ("mgi-national-2023", "6.2.2", "question_id"),
        ("mgi-national-2023", "6.2.2", "guidance_id"),
        ("mgi-local-2023", "3.1.1", "question_en"),
        ("mgi-local-2023", "3.1.1", "question_id"),
        ("mgi-local-2023", "6.2", "name_id"),
        ("mgi-local-2023", "6.2.1", "question_id"),
    }
    note = notes[("mgi-national-2023", "2.1.1", "guidance_en")]
    assert note.before == "or the Ministry of Protection of Indonesian Migrant Workers)"
    assert note.after == "or the Indonesian Migrant Worker Protection Agency, BP2MI)"
    assert "165/2024" in note.reason_en and "165 Tahun 2024" in note.reason_id
    assert note.changed_on == datetime.date(2026, 12, 7) and note.changed_by
    assert str(note.element_label) == "Indicator 2.1.1"
    assert str(notes[("mgi-local-2023", "6.2", "name_id")].element_label) == "Sub-area 6.2"
    assert notes[("mgi-local-2023", "6.2", "name_id")].text_language == "id"


def test_the_data_migration_corrects_stored_texts_and_writes_the_notes():
    """A database loaded before the correction holds the old texts and no notes."""
    for code, element, field, before, after, _reason in MIGRATION.CORRECTIONS:
        obj = MIGRATION._element(apps, FrameworkVersion.objects.get(code=code), element)
        setattr(obj, field, getattr(obj, field).replace(after, before))
        obj.save(update_fields=[field])
    FrameworkChangeNote.objects.all().delete()
    assert any(KP2MI_NAMES[0] in text for _w, text in texts_of("mgi-national-2023"))

    MIGRATION.correct_2023_wording(apps, None)
    MIGRATION.correct_2023_wording(apps, None)  # twice: no second note, no double change

    assert not any(KP2MI_NAMES[0] in text for _w, text in texts_of("mgi-national-2023"))
    assert FrameworkChangeNote.objects.count() == len(MIGRATION.CORRECTIONS) == 8
    sub = SubArea.objects.get(dimension__framework__code="mgi-local-2023", code="6.2")
    assert sub.name_id == "Jalur migrasi teratur dan pencegahan migrasi tidak teratur"


def test_the_loader_records_the_notes_of_the_data_file_once():
    FrameworkChangeNote.objects.filter(framework__code="mgi-national-2023").delete()
    services.framework_load_file(path=NATIONAL_FILE)
    services.framework_load_file(path=NATIONAL_FILE)
    assert FrameworkChangeNote.objects.filter(framework__code="mgi-national-2023").count() == 4


def test_a_change_note_that_does_not_match_the_text_is_refused(tmp_path: Path):
    data = yaml.safe_load(NATIONAL_FILE.read_text(encoding="utf-8"))
    data["change_notes"][0]["after"] = "a passage the text does not hold"
    data["change_notes"][1]["reason"] = {"en": "Why", "id": ""}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    FrameworkChangeNote.objects.all().delete()
    with pytest.raises(FrameworkInvalid) as exc:
        services.framework_load_file(path=path)
    messages = [str(e) for e in exc.value.errors]
    assert any("change_notes, row 1" in m and "does not read as corrected" in m for m in messages)
    assert any("change_notes, row 2" in m and "reason" in m for m in messages)
    assert not FrameworkChangeNote.objects.exists()


# --- the 2025 version and its mapping ---------------------------------------------------------


def test_2025_asks_ratification_per_instrument_and_maps_codes_from_2023():
    v2025 = FrameworkVersion.objects.get(code="mgi-national-2025")
    assert v2025.indicators.count() == 103
    questions = dict(
        v2025.indicators.filter(subarea__code="1.6").values_list("code", "question_en")
    )
    assert "Migrant Workers and Members of Their Families (1990)" in questions["1.6.1"]
    assert "1951 Convention" in questions["1.6.2"] and "1967 Protocol" in questions["1.6.2"]
    assert "Palermo protocols" in questions["1.6.3"]
    assert "(No. 97)" in questions["1.6.4"]
    assert "(No. 143)" in questions["1.6.5"]
    assert "(No. 189)" in questions["1.6.6"]
    assert "bilateral agreements" in questions["1.6.7"]
    rows = IndicatorMapping.objects.filter(to_version=v2025, from_version__code="mgi-national-2023")
    split = rows.filter(from_code="1.6.1")
    assert set(split.values_list("relation", flat=True)) == {"split"}
    assert sorted(split.values_list("to_code", flat=True)) == [f"1.6.{n}" for n in range(1, 7)]
    assert rows.get(from_code="1.6.2").relation == "renamed"
    assert rows.get(from_code="1.6.2").to_code == "1.6.7"
    assert rows.filter(relation="same").count() == 96


def test_gcm_links_of_refugee_and_displacement_indicators_are_indirect_from_2025():
    indirect = IndicatorGCMLink.objects.filter(indirect=True)
    assert set(
        indirect.values_list("indicator__framework__code", "indicator__code").distinct()
    ) == {
        ("mgi-national-2025", "1.6.2"),
        ("mgi-national-2025", "2.3.3"),
        ("mgi-national-2025", "5.2.4"),
    }
    # Every link of those three is indirect; the others stay direct.
    links = IndicatorGCMLink.objects.filter(
        indicator__framework__code="mgi-national-2025", indicator__code__in=["2.3.3", "5.2.4"]
    )
    assert links.exists() and all(link.indirect for link in links)
    assert not IndicatorGCMLink.objects.filter(
        indicator__framework__code="mgi-national-2025", indicator__code="1.1.1", indirect=True
    ).exists()


def test_sdg_subcategories_say_whether_they_were_verified():
    verified = set(SDGSubcategory.objects.filter(verified=True).values_list("code", flat=True))
    assert verified == {f"{d}{c}" for d in "123" for c in "abcde"}


def test_answers_follow_the_mapping_split_renamed_retired_and_merged():
    previous = {"1.6.1": "partial", "1.6.2": "yes", "1.1.1": "no"}
    mapped = mapped_answers(previous, "mgi-national-2023", "mgi-national-2025")
    assert {f"1.6.{n}": mapped[f"1.6.{n}"] for n in range(1, 7)} == {
        f"1.6.{n}": "partial" for n in range(1, 7)
    }
    assert mapped["1.6.7"] == "yes" and mapped["1.1.1"] == "no"
    # Same version: codes as they are.
    assert mapped_answers(previous, "mgi-national-2023", "mgi-national-2023") == previous

    a = FrameworkVersion.objects.create(code="x-a", level="national", year=2040, title_en="a")
    b = FrameworkVersion.objects.create(code="x-b", level="national", year=2041, title_en="b")
    for from_code, to_code, relation in [
        ("1", "9", "merged"),
        ("2", "9", "merged"),
        ("3", "8", "merged"),
        ("4", "8", "merged"),
        ("5", "", "retired"),
        ("", "7", "new"),
    ]:
        IndicatorMapping.objects.create(
            from_version=a, to_version=b, from_code=from_code, to_code=to_code, relation=relation
        )
    merged = mapped_answers(
        {"1": "yes", "2": "no", "3": "yes", "4": "na", "5": "yes"}, "x-a", "x-b"
    )
    # Disagreeing answers merge to "partial"; n/a gives way to a substantive answer; the
    # retired code is dropped and the new one has no earlier answer.
    assert merged == {"9": "partial", "8": "yes"}


# --- the Mapping sheet of the framework workbook ---------------------------------------------


def workbook_2025() -> Workbook:
    framework = FrameworkVersion.objects.get(code="mgi-national-2025")
    return load_workbook(io.BytesIO(framework_workbook_bytes(framework)))


def upload(wb: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_mapping_goes_out_and_comes_back_with_the_framework_unchanged():
    wb = workbook_2025()
    sheet = wb["Mapping"]
    assert [c.value for c in sheet[1]] == ["from_version", "from_code", "to_code", "relation"]
    assert sheet.max_row == 104
    gcm_indirect = [c.value for c in wb["Indicators"][1]].index("gcm_indirect")
    row_233 = next(r for r in wb["Indicators"].iter_rows(values_only=True) if r[0] == "2.3.3")
    assert row_233[gcm_indirect] == "7,12"
    before = list(IndicatorMapping.objects.values_list("from_code", "to_code", "relation"))
    result = services.framework_import_workbook(upload=upload(wb))
    assert not result.changed
    assert list(IndicatorMapping.objects.values_list("from_code", "to_code", "relation")) == before


def test_a_mapping_with_bad_relations_or_unknown_codes_is_refused_whole():
    wb = workbook_2025()
    indicators = wb["Indicators"]
    question = [c.value for c in indicators[1]].index("question_en") + 1
    indicators.cell(row=2, column=question, value="Edited, and never applied")
    sheet = wb["Mapping"]
    rows = {sheet.cell(row=r, column=2).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(row=rows["1.1.1"], column=4, value="moved")  # relation: D
    sheet.cell(row=rows["1.1.2"], column=3, value="9.9.9")  # to_code: C
    sheet.cell(row=rows["1.1.3"], column=2, value="1.9.9")  # from_code: B
    sheet.delete_rows(rows["6.5.2"])  # 6.5.2 of both versions left unmapped
    before = list(IndicatorMapping.objects.values_list("from_code", "to_code", "relation"))

    with pytest.raises(FrameworkInvalid) as exc:
        services.framework_import_workbook(upload=upload(wb))

    errors = exc.value.errors
    where = {(e.sheet, e.row, e.column) for e in errors}
    assert ("Mapping", rows["1.1.1"], "D") in where
    assert ("Mapping", rows["1.1.2"], "C") in where
    assert ("Mapping", rows["1.1.3"], "B") in where
    text = "\n".join(str(e) for e in errors)
    assert "Unknown relation “moved”" in text
    assert "Indicator 9.9.9 is not in mgi-national-2025" in text
    assert "Indicator 1.9.9 is not in mgi-national-2023" in text
    assert "Indicators of mgi-national-2023 missing from the mapping: 1.1.3, 6.5.2." in text
    assert "Indicators of mgi-national-2025 missing from the mapping: 1.1.2, 6.5.2." in text
    assert list(IndicatorMapping.objects.values_list("from_code", "to_code", "relation")) == before
    assert not Indicator.objects.filter(question_en="Edited, and never applied").exists()


def test_a_split_code_needs_two_later_codes(tmp_path: Path):
    src = framework_io.FRAMEWORKS_DIR / "mgi-national-2025.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    rows = data["mapping"]["rows"]
    rows[:] = [r for r in rows if not (r["from"] == "1.6.1" and r["to"] != "1.6.1")]
    rows += [{"from": "", "to": f"1.6.{n}", "relation": "new"} for n in range(2, 7)]
    path = tmp_path / "one-split.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as exc:
        services.framework_load_file(path=path)
    assert any("1.6.1 is split" in str(e) for e in exc.value.errors)


# --- the framework pages ----------------------------------------------------------------------


def test_framework_page_shows_its_corrections_with_reasons(client):
    html = client.get("/framework/mgi-national-2023/").content.decode()
    assert "Corrections to this version" in html
    assert "<del>or the Ministry of Protection of Indonesian Migrant Workers)</del>" in html
    assert "<ins>or the Indonesian Migrant Worker Protection Agency, BP2MI)</ins>" in html
    assert "Indicator 6.2.2" in html and 'lang="id"><del>berstatus tidak reguler?' in html
    assert "Presidential Regulation 165/2024" in html
    client.cookies["django_language"] = "id"
    html_id = client.get("/framework/mgi-national-2023/").content.decode()
    assert "Peraturan Presiden Nomor 165 Tahun 2024" in html_id


def test_framework_page_of_2025_shows_the_code_changes_and_indirect_links(client):
    html = client.get("/framework/mgi-national-2025/").content.decode()
    assert "Indicator codes since mgi-national-2023" in html
    assert "96 indicators keep their codes" in html
    assert "<td>1.6.2</td><td>Renamed</td>" in html
    assert html.count("<td>Split</td>") == 6
    assert "indirect link" in html
    assert "Corrections to this version" not in html
    page = client.get("/framework/mgi-national-2025/2.3.3/").content.decode()
    assert page.count("indirect link") == 2 and "outside the scope of the GCM" in page
