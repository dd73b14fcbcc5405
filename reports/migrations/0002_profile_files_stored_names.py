"""Profile PDFs under random names (config/files.py): `profiles/<2 hex>/<32 hex>.pdf`.

Until now a render's file was `profiles/mgi-profile-<assessment>-v<version>-<lang>.pdf`,
a name anyone could guess. The PDFs are downloaded as `exports.filename(...)`, built from
the profile, so no original name needs keeping.

Each file is copied under its new name and its row updated; the old file is deleted only
once the migration's transaction has committed, so a migration that fails half-way leaves
every row naming a file that exists. A row whose file is missing keeps its name; files
already in the new layout are left alone.

Reversible: going back moves each PDF to its old name (made unique by the storage if it
is taken). The data functions are plain module functions: tests call them directly.
"""

import re
import uuid

from django.db import migrations, models, transaction

import config.files

FILE_NAME_LENGTH = 100  # the file field's max_length
RANDOM = re.compile(r"^profiles/([0-9a-f]{2})/\1[0-9a-f]{30}\.pdf$")


def move(storage, old, new, alias):
    """Copy `old` to `new` and delete `old` once the transaction commits; the name saved
    under, or None when `old` is missing."""
    if not storage.exists(old):
        return None
    with storage.open(old, "rb") as handle:
        saved = storage.save(new, handle, max_length=FILE_NAME_LENGTH)
    transaction.on_commit(lambda: storage.delete(old), using=alias)
    return saved


def renders(apps, alias):
    ProfileRender = apps.get_model("reports", "ProfileRender")
    return ProfileRender, (
        ProfileRender.objects.using(alias)
        .exclude(file="")
        .select_related("profile")
        .only("pk", "file", "language", "profile__version", "profile__assessment_id")
        .order_by("pk")
    )


def profiles_to_random_names(apps, schema_editor):
    alias = schema_editor.connection.alias
    ProfileRender, rows = renders(apps, alias)
    storage = ProfileRender._meta.get_field("file").storage
    for render in rows.iterator():
        old = render.file.name
        if RANDOM.match(old):
            continue
        token = uuid.uuid4().hex
        new = move(storage, old, f"profiles/{token[:2]}/{token}.pdf", alias)
        if new:
            ProfileRender.objects.using(alias).filter(pk=render.pk).update(file=new)


def profiles_to_old_names(apps, schema_editor):
    alias = schema_editor.connection.alias
    ProfileRender, rows = renders(apps, alias)
    storage = ProfileRender._meta.get_field("file").storage
    for render in rows.iterator():
        old = render.file.name
        if not RANDOM.match(old):
            continue
        profile = render.profile
        name = f"profiles/mgi-profile-{profile.assessment_id}-v{profile.version}-{render.language}.pdf"
        new = move(storage, old, name, alias)
        if new:
            ProfileRender.objects.using(alias).filter(pk=render.pk).update(file=new)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='profilerender',
            name='file',
            field=models.FileField(blank=True, upload_to=config.files.RandomName('profiles', 'application/pdf'), verbose_name='file'),
        ),
        migrations.RunPython(profiles_to_random_names, profiles_to_old_names, elidable=False),
    ]
