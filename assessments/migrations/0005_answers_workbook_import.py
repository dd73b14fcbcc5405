"""The focal point's answers-workbook upload is no longer called a matrix import: "matrix"
is the coordinator's survey matrix. A rename only; no data changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_history_reason_text"),
    ]

    operations = [
        migrations.RenameModel(old_name="MatrixImport", new_name="AnswersWorkbookImport"),
    ]
