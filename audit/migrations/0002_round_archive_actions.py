from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("assessment_created", "Assessment created"),
                    ("participants_set", "Participating institutions changed"),
                    ("facilitators_set", "Facilitators changed"),
                    ("matrix_edited", "Survey matrix edited"),
                    ("matrix_imported", "Survey matrix imported"),
                    ("response_removed", "Response with content removed"),
                    ("response_restored", "Response restored"),
                    ("workflow_moved", "Assessment moved to another stage"),
                    ("validation_session_saved", "Validation session saved"),
                    ("validation_decided", "Validation decision recorded"),
                    ("comment_added", "Comment added"),
                    ("response_reviewed", "Answer reviewed"),
                    ("finding_updated", "Finding changed"),
                    ("finding_deleted", "Finding deleted"),
                    ("profile_created", "Profile version created"),
                    ("profile_approved", "Profile version approved"),
                    ("profile_published", "Profile version published"),
                    ("archive_requested", "Archive of the round requested"),
                    ("archive_downloaded", "Archive of the round downloaded"),
                    ("signed_in", "Signed in"),
                    ("sign_in_failed", "Failed sign-in"),
                    ("signed_out", "Signed out"),
                    ("mfa_enabled", "Two-step verification turned on"),
                    ("mfa_recovery_codes", "New recovery codes made"),
                    ("mfa_reset", "Two-step verification turned off or reset"),
                    ("token_created", "API token created"),
                    ("token_revoked", "API token revoked"),
                    ("admin_added", "Administrator added a record"),
                    ("admin_changed", "Administrator changed a record"),
                    ("admin_deleted", "Administrator deleted a record"),
                    ("email_failed", "Email could not be sent"),
                ],
                db_index=True,
                max_length=40,
                verbose_name="action",
            ),
        ),
    ]
