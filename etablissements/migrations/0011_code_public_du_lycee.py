import secrets

from django.db import migrations, models

import etablissements.models.etablissement


def attribuer_codes(apps, schema_editor):
    # A callable default is evaluated once for the existing rows: give each LP its own code.
    Etablissement = apps.get_model("etablissements", "Etablissement")
    for etablissement in Etablissement.objects.only("pk"):
        etablissement.code_public = secrets.token_urlsafe(12)
        etablissement.save(update_fields=["code_public"])


class Migration(migrations.Migration):
    dependencies = [
        ("etablissements", "0010_page_publique"),
    ]

    operations = [
        migrations.AddField(
            model_name="etablissement",
            name="code_public",
            field=models.CharField(default="", editable=False, max_length=32, verbose_name="code public"),
            preserve_default=False,
        ),
        migrations.RunPython(attribuer_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="etablissement",
            name="code_public",
            field=models.CharField(
                default=etablissements.models.etablissement.nouveau_code_public,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="code public",
            ),
        ),
    ]
