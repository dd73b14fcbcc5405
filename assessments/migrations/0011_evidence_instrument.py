"""Evidence.instrument: a citation points at the legal-instrument register.

The data step links each free-text citation whose instrument type, number and year agree
with exactly one instrument of the register; the others stay as they are and are listed on
the "Citations to resolve" page. (The same rule, for later loads of the register, is
`assessments.collection.citations.citations_match`; this copy is frozen with the migration.)
"""

import django.db.models.deletion
from django.db import migrations, models

# Evidence.InstrumentType → LegalInstrument.Kind values it may stand for.
KINDS = {
    "law": ["uu"],
    "government_regulation": ["pp"],
    "presidential_regulation": ["perpres"],
    "presidential_decree": ["keppres"],
    "ministerial_regulation": ["permen"],
    "regional_regulation": ["perda_prov", "perda_kab"],
    "governor_regulation": ["pergub"],
    "decree": ["keppres", "kepmen"],
    "agreement": ["treaty"],
}


def match_citations(apps, schema_editor):
    Evidence = apps.get_model("assessments", "Evidence")
    LegalInstrument = apps.get_model("indicators", "LegalInstrument")
    pending = Evidence.objects.filter(
        kind="citation", instrument__isnull=True, instrument_type__in=KINDS, year__isnull=False
    ).exclude(number="")
    for evidence in pending.iterator():
        candidates = list(
            LegalInstrument.objects.filter(
                kind__in=KINDS[evidence.instrument_type],
                number__iexact=evidence.number.strip(),
                year=evidence.year,
            ).values_list("pk", flat=True)[:2]
        )
        if len(candidates) == 1:
            Evidence.objects.filter(pk=evidence.pk).update(instrument_id=candidates[0])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0010_reminder_sent_after_mail"),
        ("indicators", "0002_legal_instruments"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="instrument",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evidence",
                to="indicators.legalinstrument",
                verbose_name="legal instrument",
            ),
        ),
        migrations.AddField(
            model_name="historicalevidence",
            name="instrument",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="indicators.legalinstrument",
                verbose_name="legal instrument",
            ),
        ),
        migrations.RunPython(match_citations, migrations.RunPython.noop),
    ]
