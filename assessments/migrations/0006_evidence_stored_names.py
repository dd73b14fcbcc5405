"""Evidence files and answers-workbook imports under random names (config/files.py).

Schema: `Evidence.original_name` (and its history's); the file fields' new `upload_to`.

Data: every stored evidence file moves to `evidence/<2 hex>/<32 hex>.<ext>`, the extension
that of the type detected at upload (`Evidence.content_type`, detected now for a row that
has none), and every kept import to `imports/<2 hex>/<32 hex>.xlsx`. `original_name` is
filled with the old file's base name (a name Django had made unique keeps its suffix, as
in `law_AbC1234.pdf`: it cannot be told from a real name). History rows that named the old
path name the new one.

Each file is copied under its new name and its row updated; the old file is deleted only
once the migration's transaction has committed. A migration that fails half-way thus
leaves every row naming a file that exists (the copies made so far stay behind as orphans
under random names, which nothing serves). A row whose file is missing keeps its name.
Files already in the new layout are left alone, so running it again moves nothing.

Reversible: going back moves evidence to `evidence/<year>/<month>/<original name>` (the
year and month it was created) and imports to `imports/<assessment id>/<base name>`, the
old layouts; where a name is taken, the storage makes it unique as it did at upload.
The data functions are plain module functions: tests call them directly.
"""

import re
import uuid
from pathlib import PurePosixPath

from django.db import migrations, models, transaction

import config.files

# Frozen copies (a migration must not change when the code does): config.files.EXTENSIONS.
EXTENSIONS = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
FILE_NAME_LENGTH = 100  # the file fields' max_length
# The new layout: the sub-folder is the name's first two digits (an old import's folder,
# its assessment's id, may well be two hex digits too).
RANDOM = re.compile(r"^(evidence|imports)/([0-9a-f]{2})/\2[0-9a-f]{30}\.[a-z0-9]+$")


def random_name(folder, extension):
    token = uuid.uuid4().hex
    return f"{folder}/{token[:2]}/{token}.{extension}"


def move(storage, old, new, alias):
    """Copy `old` to `new` and delete `old` once the transaction commits; the name saved
    under, or None when `old` is missing."""
    if not storage.exists(old):
        return None
    with storage.open(old, "rb") as handle:
        saved = storage.save(new, handle, max_length=FILE_NAME_LENGTH)
    transaction.on_commit(lambda: storage.delete(old), using=alias)
    return saved


def detect(storage, name):
    import magic

    with storage.open(name, "rb") as handle:
        return magic.from_buffer(handle.read(), mime=True)


def evidence_to_random_names(apps, schema_editor):
    alias = schema_editor.connection.alias
    Evidence = apps.get_model("assessments", "Evidence")
    History = apps.get_model("assessments", "HistoricalEvidence")
    storage = Evidence._meta.get_field("file").storage
    for item in Evidence.objects.using(alias).exclude(file="").order_by("pk").iterator():
        old = item.file.name
        if RANDOM.match(old):
            continue
        original = (item.original_name or PurePosixPath(old).name)[-255:]
        if not storage.exists(old):
            Evidence.objects.using(alias).filter(pk=item.pk).update(original_name=original)
            continue
        content_type = item.content_type or detect(storage, old)
        new = move(storage, old, random_name("evidence", EXTENSIONS.get(content_type, "bin")), alias)
        fields = {"file": new, "original_name": original}
        Evidence.objects.using(alias).filter(pk=item.pk).update(content_type=content_type, **fields)
        History.objects.using(alias).filter(id=item.pk, file=old).update(**fields)
    Import = apps.get_model("assessments", "AnswersWorkbookImport")
    for upload in Import.objects.using(alias).exclude(file="").order_by("pk").iterator():
        old = upload.file.name
        if RANDOM.match(old):
            continue
        new = move(storage, old, random_name("imports", "xlsx"), alias)
        if new:
            Import.objects.using(alias).filter(pk=upload.pk).update(file=new)


def evidence_to_old_names(apps, schema_editor):
    alias = schema_editor.connection.alias
    Evidence = apps.get_model("assessments", "Evidence")
    History = apps.get_model("assessments", "HistoricalEvidence")
    storage = Evidence._meta.get_field("file").storage
    for item in Evidence.objects.using(alias).exclude(file="").order_by("pk").iterator():
        old = item.file.name
        if not RANDOM.match(old):
            continue
        base = item.original_name or PurePosixPath(old).name
        folder = f"evidence/{item.created_at:%Y}/{item.created_at:%m}"
        new = move(storage, old, f"{folder}/{base}", alias)
        if new:
            Evidence.objects.using(alias).filter(pk=item.pk).update(file=new)
            History.objects.using(alias).filter(id=item.pk, file=old).update(file=new)
    Import = apps.get_model("assessments", "AnswersWorkbookImport")
    for upload in Import.objects.using(alias).exclude(file="").order_by("pk").iterator():
        old = upload.file.name
        if not RANDOM.match(old):
            continue
        name = f"imports/{upload.assessment_id}/{PurePosixPath(old).name}"
        new = move(storage, old, name, alias)
        if new:
            Import.objects.using(alias).filter(pk=upload.pk).update(file=new)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0005_answers_workbook_import'),
    ]

    operations = [
        migrations.AddField(
            model_name='evidence',
            name='original_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='file name'),
        ),
        migrations.AddField(
            model_name='historicalevidence',
            name='original_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='file name'),
        ),
        migrations.AlterField(
            model_name='answersworkbookimport',
            name='file',
            field=models.FileField(upload_to=config.files.RandomName('imports', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='file',
            field=models.FileField(blank=True, upload_to=config.files.RandomName('evidence'), verbose_name='file'),
        ),
        migrations.RunPython(evidence_to_random_names, evidence_to_old_names, elidable=False),
    ]
