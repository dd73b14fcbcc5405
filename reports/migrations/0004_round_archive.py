import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import config.files


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_profile_publication"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RoundArchive",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Being built"),
                            ("done", "Done"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("error", models.TextField(blank=True, verbose_name="error")),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        upload_to=config.files.RandomName("archives", "application/zip"),
                        verbose_name="file",
                    ),
                ),
                ("checksum", models.CharField(blank=True, max_length=64, verbose_name="SHA-256")),
                (
                    "size",
                    models.PositiveBigIntegerField(blank=True, null=True, verbose_name="size"),
                ),
                (
                    "file_count",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="files"),
                ),
                ("attempts", models.PositiveIntegerField(default=0, verbose_name="attempts")),
                (
                    "requested_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="requested"),
                ),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started")),
                (
                    "finished_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="finished"),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="archives",
                        to="assessments.assessment",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "round archive",
                "verbose_name_plural": "round archives",
                "ordering": ["assessment", "-requested_at", "-pk"],
            },
        ),
    ]
