"""An account's preferred language is blank until its owner chooses one.

Until now every account was created with "en", and signing in applied it, so Indonesian
users were switched to English whatever their browser asked for. From now on a blank
language lets the language cookie or the browser's Accept-Language decide; choosing a
language in the account settings or with the language switch saves it, and signing in
applies it.

Existing accounts: the portal never recorded whether "en" was chosen or only the default
(the switch, the settings page and the admin all wrote the same value, and users have no
history), so the two cannot be told apart. Every account still on "en", the old default,
becomes blank; an account on "id" was chosen (the default was never "id") and keeps it.
Someone who had really chosen English and whose browser asks for Indonesian chooses once
more, on the switch or in the settings. Reversing sets the blank accounts back to "en".
"""

from django.db import migrations, models

OLD_DEFAULT = "en"


def unset_old_default(apps, schema_editor):
    User = apps.get_model("ministries", "User")
    User.objects.filter(language=OLD_DEFAULT).update(language="")


def restore_old_default(apps, schema_editor):
    User = apps.get_model("ministries", "User")
    User.objects.filter(language="").update(language=OLD_DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("ministries", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("id", "Bahasa Indonesia")],
                default="",
                help_text="Empty until the user chooses: the portal then follows their browser.",
                max_length=5,
                verbose_name="preferred language",
            ),
        ),
        migrations.RunPython(unset_old_default, restore_old_default),
    ]
