"""Framework code mappings, change notes, the indirect flag on GCM links, verified SDG
sub-categories; and the wording corrections of the 2023 versions in databases that hold them.

The GCM links keep their table: the plain many-to-many field's table becomes the table of
an explicit through model (state only), which then gains the `indirect` column.

The corrections are frozen here as they were made (a migration is history); the same
notes are in the 2023 data files, so a database loaded later gets the same notes from
`load_framework`.
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models

import indicators.bilingual

CHANGED_ON = datetime.date(2026, 12, 7)
CHANGED_BY = "MGI portal team (content review)"
BP2MI_REASON = {
    "reason_en": (
        "The 2023 round took place before the Ministry of Protection of Indonesian Migrant "
        "Workers existed (formed from BP2MI by Presidential Regulation 165/2024, from "
        "21 October 2024): a 2023 text names the agency of the time, BP2MI."
    ),
    "reason_id": (
        "Putaran 2023 berlangsung sebelum Kementerian Pelindungan Pekerja Migran Indonesia "
        "ada (dibentuk dari BP2MI berdasarkan Peraturan Presiden Nomor 165 Tahun 2024, sejak "
        "21 Oktober 2024): teks 2023 menyebut lembaga yang ada pada saat itu, yaitu BP2MI."
    ),
}
TERATUR_REASON = {
    "reason_en": (
        "Dimension 6 is “Migrasi yang aman, tertib dan teratur” in Indonesian: its "
        "Indonesian texts use “teratur” for “regular” throughout. The meaning is unchanged."
    ),
    "reason_id": (
        "Dimensi 6 berjudul “Migrasi yang aman, tertib dan teratur”: teks bahasa Indonesia "
        "dimensi ini menggunakan “teratur” untuk “regular” secara konsisten. Maknanya tidak "
        "berubah."
    ),
}
# (framework, element, field, before, after, reason)
CORRECTIONS = [
    (
        "mgi-national-2023",
        "2.1.1",
        "guidance_en",
        "or the Ministry of Protection of Indonesian Migrant Workers)",
        "or the Indonesian Migrant Worker Protection Agency, BP2MI)",
        BP2MI_REASON,
    ),
    (
        "mgi-national-2023",
        "2.1.1",
        "guidance_id",
        "atau Kementerian Pelindungan Pekerja Migran Indonesia)",
        "atau Badan Pelindungan Pekerja Migran Indonesia, BP2MI)",
        BP2MI_REASON,
    ),
    (
        "mgi-national-2023",
        "6.2.2",
        "question_id",
        "berstatus tidak reguler?",
        "berstatus tidak teratur?",
        TERATUR_REASON,
    ),
    (
        "mgi-national-2023",
        "6.2.2",
        "guidance_id",
        "berstatus tidak reguler untuk memperoleh status reguler",
        "berstatus tidak teratur untuk memperoleh status teratur",
        TERATUR_REASON,
    ),
    (
        "mgi-local-2023",
        "3.1.1",
        "question_en",
        "the Ministry of Protection of Indonesian Migrant Workers and its regional office",
        "the Indonesian Migrant Worker Protection Agency (BP2MI) and its regional office",
        BP2MI_REASON,
    ),
    (
        "mgi-local-2023",
        "3.1.1",
        "question_id",
        "Kementerian Pelindungan Pekerja Migran Indonesia dan balai di daerah",
        "Badan Pelindungan Pekerja Migran Indonesia (BP2MI) dan balai di daerah",
        BP2MI_REASON,
    ),
    (
        "mgi-local-2023",
        "6.2",
        "name_id",
        "Jalur reguler dan pencegahan migrasi tidak reguler",
        "Jalur migrasi teratur dan pencegahan migrasi tidak teratur",
        TERATUR_REASON,
    ),
    (
        "mgi-local-2023",
        "6.2.1",
        "question_id",
        "berstatus tidak reguler?",
        "berstatus tidak teratur?",
        TERATUR_REASON,
    ),
]


def _element(apps, framework, code):
    parts = code.split(".")
    if len(parts) == 3:
        model, lookup = apps.get_model("indicators", "Indicator"), {"framework": framework}
    elif len(parts) == 2:
        model = apps.get_model("indicators", "SubArea")
        lookup = {"dimension__framework": framework}
    else:
        raise ValueError(code)
    return model.objects.filter(code=code, **lookup).first()


def correct_2023_wording(apps, schema_editor):
    """Replace each passage where it is still stored, and record its change note."""
    FrameworkVersion = apps.get_model("indicators", "FrameworkVersion")
    ChangeNote = apps.get_model("indicators", "FrameworkChangeNote")
    for code, element, field, before, after, reason in CORRECTIONS:
        framework = FrameworkVersion.objects.filter(code=code).first()
        if framework is None:  # a database without that version: the loader brings it
            continue
        obj = _element(apps, framework, element)
        if obj is None:
            continue
        text = getattr(obj, field)
        if before in text:
            setattr(obj, field, text.replace(before, after))
            obj.save(update_fields=[field])
        if after in getattr(obj, field):
            ChangeNote.objects.get_or_create(
                framework=framework,
                element=element,
                field=field,
                changed_on=CHANGED_ON,
                defaults={"before": before, "after": after, "changed_by": CHANGED_BY, **reason},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_legal_instruments"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IndicatorGCMLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "gcmobjective",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="indicator_links",
                                to="indicators.gcmobjective",
                                verbose_name="GCM objective",
                            ),
                        ),
                        (
                            "indicator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="gcm_links",
                                to="indicators.indicator",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "GCM link",
                        "verbose_name_plural": "GCM links",
                        "db_table": "indicators_indicator_gcm_objectives",
                        "unique_together": {("indicator", "gcmobjective")},
                    },
                ),
                migrations.AlterField(
                    model_name="indicator",
                    name="gcm_objectives",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="indicators",
                        through="indicators.IndicatorGCMLink",
                        to="indicators.gcmobjective",
                        verbose_name="GCM objectives",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="indicatorgcmlink",
            name="indirect",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "The indicator concerns refugees or internal displacement, outside the "
                    "GCM's scope: the objective is related, not covered."
                ),
                verbose_name="indirect link",
            ),
        ),
        migrations.AddField(
            model_name="sdgsubcategory",
            name="verified",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "The name was checked against the published UN metadata of indicator "
                    "10.7.2; otherwise profiles show the link as the portal's own mapping."
                ),
                verbose_name="checked against the UN metadata",
            ),
        ),
        migrations.CreateModel(
            name="FrameworkChangeNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("element", models.CharField(blank=True, max_length=12, verbose_name="element")),
                ("field", models.CharField(max_length=40, verbose_name="field")),
                ("before", models.TextField(verbose_name="before")),
                ("after", models.TextField(verbose_name="after")),
                ("reason_en", models.TextField(verbose_name="reason (English)")),
                ("reason_id", models.TextField(verbose_name="reason (Indonesian)")),
                ("changed_on", models.DateField(verbose_name="date")),
                ("changed_by", models.CharField(max_length=255, verbose_name="changed by")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="change_notes",
                        to="indicators.frameworkversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "framework change note",
                "verbose_name_plural": "framework change notes",
                "ordering": ["framework", "changed_on", "element", "field"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("framework", "element", "field", "changed_on"),
                        name="frameworkchangenote_unique_field_day",
                    )
                ],
            },
            bases=(indicators.bilingual.BilingualMixin, models.Model),
        ),
        migrations.CreateModel(
            name="IndicatorMapping",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_code",
                    models.CharField(blank=True, max_length=12, verbose_name="earlier code"),
                ),
                (
                    "to_code",
                    models.CharField(blank=True, max_length=12, verbose_name="later code"),
                ),
                (
                    "relation",
                    models.CharField(
                        choices=[
                            ("same", "Same"),
                            ("renamed", "Renamed"),
                            ("split", "Split"),
                            ("merged", "Merged"),
                            ("new", "New"),
                            ("retired", "Retired"),
                        ],
                        max_length=10,
                        verbose_name="relation",
                    ),
                ),
                (
                    "from_version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="mappings_onward",
                        to="indicators.frameworkversion",
                        verbose_name="earlier version",
                    ),
                ),
                (
                    "to_version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mappings",
                        to="indicators.frameworkversion",
                        verbose_name="later version",
                    ),
                ),
            ],
            options={
                "verbose_name": "indicator code mapping",
                "verbose_name_plural": "indicator code mappings",
                "ordering": ["to_version", "from_version", "from_code", "to_code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("from_version", "to_version", "from_code", "to_code"),
                        name="indicatormapping_unique_pair",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("from_code", ""),
                                ("relation", "new"),
                                models.Q(("to_code", ""), _negated=True),
                            ),
                            models.Q(
                                ("relation", "retired"),
                                ("to_code", ""),
                                models.Q(("from_code", ""), _negated=True),
                            ),
                            models.Q(
                                models.Q(("relation__in", ["new", "retired"]), _negated=True),
                                models.Q(("from_code", ""), _negated=True),
                                models.Q(("to_code", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="indicatormapping_codes_match_relation",
                    ),
                ],
            },
        ),
        migrations.RunPython(correct_2023_wording, migrations.RunPython.noop),
    ]
