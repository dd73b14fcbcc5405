from django.db import migrations, models


class Migration(migrations.Migration):
    """The language each consolidated narrative was written in (a taken-over justification
    stands in both narratives in its one language)."""

    dependencies = [
        ("assessments", "0011_evidence_instrument"),
    ]

    operations = [
        migrations.AddField(
            model_name="consolidatedanswer",
            name="narrative_en_language",
            field=models.CharField(blank=True, default="en", max_length=5),
        ),
        migrations.AddField(
            model_name="consolidatedanswer",
            name="narrative_id_language",
            field=models.CharField(blank=True, default="id", max_length=5),
        ),
        migrations.AddField(
            model_name="historicalconsolidatedanswer",
            name="narrative_en_language",
            field=models.CharField(blank=True, default="en", max_length=5),
        ),
        migrations.AddField(
            model_name="historicalconsolidatedanswer",
            name="narrative_id_language",
            field=models.CharField(blank=True, default="id", max_length=5),
        ),
    ]
